import type { Db } from '../../db/client'
import type { WebhookEndpointRow } from '../../db/schema'
import type { WebhookHealthValue } from './model'

const HEALTH_WINDOW_MS = 24 * 60 * 60 * 1000

/** Success rate over the last 24 h, failures in a row, the next attempt due, last attempt and success. */
export async function healthOf(db: Db, row: WebhookEndpointRow, now: Date): Promise<WebhookHealthValue> {
  const since = new Date(now.getTime() - HEALTH_WINDOW_MS).toISOString()
  // Read from the attempt log through its (endpoint_id, succeeded, started_at) index, so an
  // attempt never has to write health figures onto the endpoint row.
  const attempts = (succeeded: 0 | 1) =>
    db.selectFrom('delivery_attempts').where('endpoint_id', '=', row.id).where('succeeded', '=', succeeded)
  const count = (succeeded: 0 | 1) =>
    attempts(succeeded)
      .where('started_at', '>=', since)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst()
      .then((r) => Number(r?.n ?? 0))
  const last = (succeeded: 0 | 1) =>
    attempts(succeeded)
      .select((eb) => eb.fn.max('started_at').as('at'))
      .executeTakeFirst()
      .then((r) => (r?.at as string | null | undefined) ?? null)
  const [ok, failed, lastSuccess, lastFailure, next, skipped] = await Promise.all([
    count(1),
    count(0),
    last(1),
    last(0),
    db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('endpoint_id', '=', row.id)
      .where('status', '=', 'pending')
      .executeTakeFirst(),
    // Through the (endpoint_id, status, id) index.
    db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('endpoint_id', '=', row.id)
      .where('status', '=', 'skipped')
      .executeTakeFirst()
      .then((r) => Number(r?.n ?? 0)),
  ])
  const total = ok + failed
  return {
    success_rate: total === 0 ? null : Math.round((ok / total) * 1000) / 1000,
    attempts_24h: total,
    consecutive_failures: row.consecutive_failures,
    failing_since: row.failing_since,
    next_attempt_at: (next?.at as string | null | undefined) ?? null,
    skipped,
    last_attempt_at: [lastSuccess, lastFailure].filter((t): t is string => t !== null).sort().pop() ?? null,
    last_success_at: lastSuccess,
  }
}
