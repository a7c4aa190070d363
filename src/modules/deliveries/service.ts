import type { Db } from '../../db/client'
import { deliveriesQueued, transaction } from '../../db/transaction'
import type { Clock } from '../../clock'
import { conflict, notFound } from '../../http/errors'
import { queueManualAttempts } from '../../outbox/manual'
import { toAttempt, toDelivery } from './model'

async function findDelivery(db: Db, orgId: string, id: string) {
  const row = await db.selectFrom('deliveries').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('Delivery')
  return row
}

/** The body as it is (or was) delivered: the stored test payload or the event it carries. */
async function eventBody(db: Db, row: { payload: string | null; event_id: string }) {
  if (row.payload !== null) return JSON.parse(row.payload)
  const event = await db.selectFrom('events').selectAll().where('id', '=', row.event_id).executeTakeFirst()
  if (!event) return null
  return { id: event.id, type: event.type, created_at: event.created_at, org_id: event.org_id, data: JSON.parse(event.data) }
}

export async function getDelivery(db: Db, orgId: string, id: string, clock: Clock) {
  const row = await findDelivery(db, orgId, id)
  const attempts = await db.selectFrom('delivery_attempts').selectAll().where('delivery_id', '=', id).orderBy('number').execute()
  return { ...toDelivery(row, clock.now()), event: await eventBody(db, row), attempts: attempts.map(toAttempt) }
}

/** Queues a new attempt now, with the same delivery id; refused while one is in flight or the endpoint is disabled. */
export async function redeliver(db: Db, orgId: string, id: string, clock: Clock) {
  await transaction(db, async (trx) => {
    const row = await trx
      .selectFrom('deliveries')
      .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'deliveries.endpoint_id')
      .select(['deliveries.id', 'webhook_endpoints.enabled'])
      .where('deliveries.org_id', '=', orgId)
      .where('deliveries.id', '=', id)
      .executeTakeFirst()
    if (!row) throw notFound('Delivery')
    if (row.enabled === 0) throw conflict('The webhook is disabled; enable it before redelivering')
    const queued = await queueManualAttempts(trx, { deliveryIds: [id] }, clock.now())
    if (queued === 0) throw conflict('An attempt of this delivery is in flight; try again when it has finished')
    deliveriesQueued(trx)
  })
  return getDelivery(db, orgId, id, clock)
}
