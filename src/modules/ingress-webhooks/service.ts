import type { Static } from 'elysia'
import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import { assertOrgLimit, revokeInOrg } from '../../db/rows'
import { transaction, type Trx } from '../../db/transaction'
import type { Principal } from '../../http/auth'
import { ApiError, invalid } from '../../http/errors'
import { type PageParams, paginate } from '../../http/pagination'
import { hashToken, newIngressToken } from '../../http/tokens'
import { newId } from '../../ids'
import { type IngressWebhookCreate, toIngressWebhook } from './model'

/** Each URL is a standing door into the org; a bound keeps a leaked admin key from opening thousands. */
export const MAX_ACTIVE_INGRESS_WEBHOOKS = 50

const activeIngressWebhooks = (db: Db | Trx, orgId: string) =>
  db.selectFrom('ingress_webhooks').selectAll().where('org_id', '=', orgId).where('revoked_at', 'is', null)

export function listIngressWebhooks(db: Db, orgId: string, params: PageParams) {
  return paginate(activeIngressWebhooks(db, orgId), 'ingress_webhooks.id', params, toIngressWebhook)
}

async function assertJobOfOrg(trx: Trx, orgId: string, jobId: string) {
  const job = await trx
    .selectFrom('jobs')
    .select('id')
    .where('org_id', '=', orgId)
    .where('id', '=', jobId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  // Another organization's job is "not found", exactly like one that never existed.
  if (!job) throw new ApiError('not_found', 'Job not found', [{ field: '/job_id', message: 'no such job' }])
}

/** Creates the URL; the token exists only in the returned `url`, the database keeps its hash. */
export function createIngressWebhook(
  trx: Trx,
  actor: Principal,
  input: Static<typeof IngressWebhookCreate>,
  baseUrl: string,
  clock: Clock,
) {
  const name = input.name.trim()
  if (name === '') throw invalid('/name', 'must not be blank')
  return (async () => {
    await assertOrgLimit(
      trx,
      actor.orgId,
      MAX_ACTIVE_INGRESS_WEBHOOKS,
      async () => {
        const active = await activeIngressWebhooks(trx, actor.orgId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
        return Number((active as { n?: number } | undefined)?.n ?? 0)
      },
      `An organization can have at most ${MAX_ACTIVE_INGRESS_WEBHOOKS} ingress URLs; revoke one first`,
    )
    if (input.job_id) await assertJobOfOrg(trx, actor.orgId, input.job_id)
    const secret = newIngressToken()
    const row = {
      id: newId('ing'),
      org_id: actor.orgId,
      name,
      job_id: input.job_id ?? null,
      token_hash: secret.hash,
      created_by: actor.userId,
      created_at: clock.now().toISOString(),
      last_received_at: null,
      received_count: 0,
      revoked_at: null,
    }
    await trx.insertInto('ingress_webhooks').values(row).execute()
    return { ...toIngressWebhook(row), url: `${baseUrl}/webhooks/ingress/${secret.token}` }
  })()
}

export function revokeIngressWebhook(db: Db, orgId: string, id: string, clock: Clock) {
  return revokeInOrg(db, 'ingress_webhooks', orgId, id, 'Ingress URL', clock.now())
}

export type ActiveIngressWebhook = NonNullable<Awaited<ReturnType<typeof findActiveIngressWebhook>>>

/**
 * The URL a token opens, or undefined. Every token, well-formed or not, known, revoked or
 * unknown, costs one hash and one indexed lookup of that hash: the answer's timing says
 * nothing about how close a guess was. Revocation is part of the query, not a later branch.
 */
export function findActiveIngressWebhook(db: Db, token: string) {
  return db
    .selectFrom('ingress_webhooks')
    .select(['id', 'org_id', 'job_id', 'created_by'])
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
}

/**
 * Counts an accepted request, inside the transaction that stores its activity. False when
 * the URL was revoked since the token was looked up, so a revocation wins over a request
 * already in flight.
 */
export async function markReceived(trx: Trx, id: string, at: Date): Promise<boolean> {
  const result = await trx
    .updateTable('ingress_webhooks')
    .set((eb) => ({ received_count: eb('received_count', '+', 1), last_received_at: at.toISOString() }))
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
