import type { Static } from 'elysia'
import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import { assertOrgLimit, revokeInOrg } from '../../db/rows'
import { transaction, type Trx } from '../../db/transaction'
import type { Principal } from '../../http/auth'
import { ApiError, invalid } from '../../http/errors'
import { type PageParams, paginate } from '../../http/pagination'
import { type Access, ACCESS_LEVELS, type Permissions } from '../../http/permissions'
import { newApiKey } from '../../http/tokens'
import { newId } from '../../ids'
import { type ApiKeyCreate, fullPermissions, toApiKey } from './model'

export const MAX_ACTIVE_KEYS = 5

const activeKeys = (db: Db | Trx, orgId: string, nowIso: string) =>
  db
    .selectFrom('api_keys')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', nowIso)]))

export function listApiKeys(db: Db, orgId: string, params: PageParams, clock: Clock) {
  return paginate(activeKeys(db, orgId, clock.now().toISOString()), 'api_keys.id', params, toApiKey)
}

/** A key may hand out no more than it holds itself, so admin access cannot be used to escalate. */
function assertWithinGrantor(grantor: Permissions, requested: Permissions) {
  const rank = (level: Access | undefined) => ACCESS_LEVELS.indexOf(level ?? 'none')
  for (const [resource, level] of Object.entries(requested)) {
    if (rank(level) > rank(grantor[resource as keyof Permissions])) {
      throw new ApiError('forbidden', `This token cannot grant ${level} on ${resource}: it does not hold it`)
    }
  }
}

export interface NewApiKeyInput extends Static<typeof ApiKeyCreate> {}

export async function createApiKey(
  trx: Trx,
  orgId: string,
  createdBy: string | null,
  input: NewApiKeyInput,
  clock: Clock,
) {
  const now = clock.now()
  if (input.expires_at && new Date(input.expires_at) <= now) throw invalid('/expires_at', 'must be in the future')
  await assertOrgLimit(
    trx,
    orgId,
    MAX_ACTIVE_KEYS,
    async () => {
      const active = await activeKeys(trx, orgId, now.toISOString()).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
      return Number((active as { n?: number } | undefined)?.n ?? 0)
    },
    `An organization can have at most ${MAX_ACTIVE_KEYS} active API keys; revoke one first`,
  )
  const secret = newApiKey()
  const row = {
    id: newId('key'),
    org_id: orgId,
    label: input.label.trim(),
    prefix: secret.prefix,
    key_hash: secret.hash,
    permissions: JSON.stringify(fullPermissions(input.permissions)),
    rate_limit: input.rate_limit ?? null,
    created_by: createdBy,
    created_at: now.toISOString(),
    last_used_at: null,
    expires_at: input.expires_at ? new Date(input.expires_at).toISOString() : null,
    revoked_at: null,
  }
  await trx.insertInto('api_keys').values(row).execute()
  return { ...toApiKey(row), key: secret.key }
}

export function createApiKeyFor(trx: Trx, actor: Principal, input: NewApiKeyInput, clock: Clock) {
  assertWithinGrantor(actor.permissions, input.permissions)
  return createApiKey(trx, actor.orgId, actor.userId, input, clock)
}

export function revokeApiKey(db: Db, orgId: string, id: string, clock: Clock) {
  return revokeInOrg(db, 'api_keys', orgId, id, 'API key', clock.now())
}
