import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import { transaction, type Trx } from '../../db/transaction'
import { ApiError } from '../../http/errors'
import { newSessionToken } from '../../http/tokens'
import { newId } from '../../ids'
import { uniqueOr } from '../../db/rows'
import { anyOrgExists, createOrgWithOwner, type NewOrgWithOwner } from '../orgs/service'
import type { Passwords } from '../../passwords'
import { toUser } from '../users/model'

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000
export const MAX_SESSIONS_PER_USER = 10

async function openSession(trx: Trx, user: { id: string; org_id: string }, clock: Clock) {
  const now = clock.now()
  const { token, hash } = newSessionToken()
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString()
  await trx
    .insertInto('sessions')
    .values({ id: newId('ses'), org_id: user.org_id, user_id: user.id, token_hash: hash, created_at: now.toISOString(), expires_at: expiresAt })
    .execute()
  // Keep the newest MAX_SESSIONS_PER_USER: the 11th sign-in ends the oldest session.
  const keep = trx
    .selectFrom('sessions')
    .select('id')
    .where('user_id', '=', user.id)
    .orderBy('id', 'desc')
    .limit(MAX_SESSIONS_PER_USER)
  await trx.deleteFrom('sessions').where('user_id', '=', user.id).where('id', 'not in', keep).execute()
  return { token, expires_at: expiresAt }
}

export async function signIn(db: Db, passwords: Passwords, email: string, password: string, clock: Clock) {
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst()
  // Verifying even when the email is unknown keeps the answer time the same, so emails cannot be probed.
  const ok = await passwords.verify(password, user?.password_hash ?? null)
  if (!user || !ok) throw new ApiError('unauthorized', 'Email or password is wrong')
  const session = await transaction(db, (trx) => openSession(trx, user, clock))
  return { ...session, user: toUser(user) }
}

export async function signOut(db: Db, sessionId: string) {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute()
}

const alreadySetUp = () => new ApiError('conflict', 'This server is already set up; sign in instead')

/**
 * First-run setup: only while the database holds no organization. The check and the claim of
 * the one `first_run` row are in the transaction that creates the organization, so of two
 * setups racing exactly one succeeds.
 */
export async function setUp(trx: Trx, input: NewOrgWithOwner, clock: Clock) {
  if (await anyOrgExists(trx)) throw alreadySetUp()
  const { org, user } = await createOrgWithOwner(trx, input, clock)
  await uniqueOr(trx, () => trx.insertInto('first_run').values({ id: 1, org_id: org.id, created_at: org.created_at }).execute(), alreadySetUp)
  const session = await openSession(trx, user, clock)
  return { ...session, user: toUser(user) }
}

export async function currentOrg(db: Db, orgId: string) {
  return db.selectFrom('orgs').select(['id', 'name', 'currency', 'created_at']).where('id', '=', orgId).executeTakeFirstOrThrow()
}
