import { randomUUID } from 'node:crypto'
import type { Db } from '../db/client'
import type { DeliveryStatus } from '../db/schema'
import type { Trx } from '../db/transaction'
import { newId } from '../ids'
import { loadDelivery } from './claim'
import { type AttemptOutcome, deliverClaimed, leaseMs } from './deliver'

type Deps = Parameters<typeof deliverClaimed>[0]

/**
 * The Test button: a signed `webhook.test` to one endpoint through the real pipeline,
 * attempted now, in this request, with its result. It fans out to no other endpoint and
 * is not part of the organization's event log; its delivery shows in the endpoint's log.
 */
export async function sendTestEvent(
  deps: Deps,
  endpoint: { id: string; org_id: string },
  object: Record<string, unknown>,
): Promise<{ deliveryId: string; eventId: string; body: string; outcome: AttemptOutcome } | null> {
  const now = deps.clock.now()
  const nowIso = now.toISOString()
  const eventId = newId('evt')
  const deliveryId = newId('dlv')
  const leaseUntil = new Date(now.getTime() + leaseMs(deps.config)).toISOString()
  const payload = JSON.stringify({ id: eventId, type: 'webhook.test', created_at: nowIso, org_id: endpoint.org_id, data: { object } })
  await deps.db
    .insertInto('deliveries')
    .values({
      id: deliveryId,
      org_id: endpoint.org_id,
      endpoint_id: endpoint.id,
      event_id: eventId,
      event_type: 'webhook.test',
      payload,
      coalesce_key: null,
      status: 'pending',
      next_trigger: 'test',
      attempt_count: 0,
      failures: 0,
      // Leased from birth: the dispatcher leaves it alone while this request sends it.
      next_attempt_at: leaseUntil,
      lease_until: leaseUntil,
      lease_token: randomUUID(),
      last_attempt_at: null,
      last_status_code: null,
      last_error: null,
      created_at: nowIso,
      updated_at: nowIso,
    })
    .execute()
  // Null when the endpoint was deleted meanwhile (its deliveries went with it).
  const claimed = await loadDelivery(deps.db, deliveryId)
  const outcome = claimed && (await deliverClaimed(deps, claimed))
  return outcome ? { deliveryId, eventId, body: payload, outcome } : null
}

/**
 * Queues a new attempt now for deliveries that are not in flight (redeliver, recover).
 * Returns how many were queued; the caller wakes the dispatcher after commit.
 */
export async function queueManualAttempts(
  trx: Trx | Db,
  filter: { deliveryIds?: string[]; endpointId?: string; statuses?: readonly DeliveryStatus[]; since?: string },
  now: Date,
): Promise<number> {
  const nowIso = now.toISOString()
  let query = trx
    .updateTable('deliveries')
    .set({
      status: 'pending',
      next_trigger: 'manual',
      next_attempt_at: nowIso,
      lease_until: null,
      lease_token: null,
      coalesce_key: null,
      updated_at: nowIso,
    })
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', nowIso)]))
  if (filter.deliveryIds) query = query.where('id', 'in', filter.deliveryIds)
  if (filter.endpointId) query = query.where('endpoint_id', '=', filter.endpointId)
  if (filter.statuses) query = query.where('status', 'in', filter.statuses)
  if (filter.since) query = query.where('created_at', '>=', filter.since)
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows)
}
