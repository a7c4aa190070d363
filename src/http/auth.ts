import type { Actor } from '../actor'
import type { Db } from '../db/client'
import { preparedQuery } from '../db/prepared'
import type { Role } from '../db/schema'
import { ApiError } from './errors'
import { type Permissions, permissionsForRole } from './permissions'
import { API_KEY_PREFIX, hashToken } from './tokens'

/** The principal as services record it: the signed-in user, or the API key. */
export function actorOf(principal: Principal): Actor {
  return principal.kind === 'session' ? { type: 'user', id: principal.userId } : { type: 'api_key', id: principal.keyId }
}

/** Who is calling: resolved once per request from the Bearer token. */
export interface Principal {
  kind: 'api_key' | 'session'
  orgId: string
  /** The signed-in user, or the user who created the API key. */
  userId: string | null
  role: Role | null
  keyId: string | null
  sessionId: string | null
  permissions: Permissions
  /** Rate-limit bucket and its per-minute limit. */
  bucket: string
  rateLimit: number | null
}

const unauthorized = (message: string) =>
  new ApiError('unauthorized', message, undefined, { 'www-authenticate': 'Bearer realm="crewbase"' })

export function bearerToken(header: string | null): string {
  if (!header) throw unauthorized('Missing Authorization header; send "Authorization: Bearer <token>"')
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match) throw unauthorized('Authorization header must be "Bearer <token>"')
  return match[1]!
}

// `last_used_at` is written at most once a minute per key: a write per request would cost more than the request.
const LAST_USED_EVERY_MS = 60_000
const lastUsedWritten = new Map<string, number>()

// Compiled once: they run on every authenticated request.
const apiKeyByHash = preparedQuery(['hash'], (db, p) =>
  db
    .selectFrom('api_keys')
    .select(['id', 'org_id', 'permissions', 'rate_limit', 'created_by', 'expires_at', 'revoked_at'])
    .where('key_hash', '=', p.hash),
)
const sessionByHash = preparedQuery(['hash'], (db, p) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id as session_id', 'sessions.expires_at', 'users.id as user_id', 'users.org_id', 'users.role'])
    .where('sessions.token_hash', '=', p.hash),
)

export async function authenticate(db: Db, token: string, now: Date): Promise<Principal> {
  const hash = hashToken(token)
  const nowIso = now.toISOString()
  if (token.startsWith(API_KEY_PREFIX)) {
    const [key] = (await apiKeyByHash(db, { hash })).rows
    if (!key || key.revoked_at) throw unauthorized('Invalid or revoked API key')
    if (key.expires_at && key.expires_at <= nowIso) throw unauthorized('API key has expired')
    const written = lastUsedWritten.get(key.id) ?? 0
    if (now.getTime() - written >= LAST_USED_EVERY_MS) {
      lastUsedWritten.set(key.id, now.getTime())
      await db.updateTable('api_keys').set({ last_used_at: nowIso }).where('id', '=', key.id).execute()
    }
    return {
      kind: 'api_key',
      orgId: key.org_id,
      userId: key.created_by,
      role: null,
      keyId: key.id,
      sessionId: null,
      permissions: JSON.parse(key.permissions) as Permissions,
      bucket: `key:${key.id}`,
      rateLimit: key.rate_limit,
    }
  }
  const [session] = (await sessionByHash(db, { hash })).rows
  if (!session) throw unauthorized('Invalid or expired token')
  if (session.expires_at <= nowIso) throw unauthorized('Session has expired; sign in again')
  return {
    kind: 'session',
    orgId: session.org_id,
    userId: session.user_id,
    role: session.role,
    keyId: null,
    sessionId: session.session_id,
    permissions: permissionsForRole(session.role),
    bucket: `user:${session.user_id}`,
    rateLimit: null,
  }
}
