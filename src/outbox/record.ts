import type { Db } from '../db/client'
import type { DeliveryStatus } from '../db/schema'
import { preparedQuery } from '../db/prepared'
import { transaction, type Trx } from '../db/transaction'
import type { ClaimedDelivery } from './claim'
import { DISABLE_AFTER_FAILING_MS, retryDelayMs } from './retry'
import type { AttemptResult } from './send'

export interface RecordedAttempt {
  status: DeliveryStatus
  nextAttemptAt: Date | null
  /** Set when this attempt disabled the endpoint (410, or five days of failures). */
  disabledReason: string | null
}

/**
 * Where a delivery goes after a failed attempt. Automatic attempts walk the retry
 * schedule; a Test button attempt is one-shot; a manual attempt on a delivery whose
 * schedule is spent (redeliver, recover) is one-shot too, while one on a delivery still
 * retrying counts as that retry.
 */
function afterFailure(delivery: ClaimedDelivery, result: AttemptResult, schedule: readonly number[], now: Date) {
  const oneShot = delivery.trigger === 'test' || (delivery.trigger === 'manual' && delivery.failures > schedule.length)
  if (oneShot || result.statusCode === 410) return { failures: delivery.failures, nextAttemptAt: null }
  const failures = delivery.failures + 1
  const delay = retryDelayMs(schedule, failures, result.retryAfterMs)
  return { failures, nextAttemptAt: delay === null ? null : new Date(now.getTime() + delay) }
}

/**
 * Disables an endpoint and stops what it still had queued: never attempted → `skipped`,
 * retrying → `failed`. Enabling again does not replay by itself; recover sends both.
 */
export async function disableEndpoint(trx: Trx, endpointId: string, reason: string, now: string): Promise<void> {
  await trx
    .updateTable('webhook_endpoints')
    .set((eb) => ({ enabled: 0, disabled_reason: reason, disabled_at: now, version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', endpointId)
    .execute()
  await trx
    .updateTable('deliveries')
    .set((eb) => ({
      status: eb.case().when('attempt_count', '=', 0).then(eb.val<DeliveryStatus>('skipped')).else(eb.val<DeliveryStatus>('failed')).end(),
      next_attempt_at: null,
      lease_until: null,
      lease_token: null,
      coalesce_key: null,
      last_error: `endpoint disabled: ${reason}`,
      updated_at: now,
    }))
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    // An attempt in flight records its own outcome.
    .where('lease_token', 'is', null)
    .execute()
}

// The record step's statements, compiled once: they run for every attempt.
const endFailureRun = preparedQuery(['id'], (db, p) =>
  db
    .updateTable('webhook_endpoints')
    .set({ consecutive_failures: 0, failing_since: null })
    .where('id', '=', p.id)
    .where('consecutive_failures', '>', 0),
)
const countFailure = preparedQuery(['id', 'startedAt'], (db, p) =>
  db
    .updateTable('webhook_endpoints')
    .set((eb) => ({
      consecutive_failures: eb('consecutive_failures', '+', 1),
      failing_since: eb.fn.coalesce('failing_since', eb.val(p.startedAt)),
    }))
    .where('id', '=', p.id)
    .returning(['enabled', 'failing_since']),
)
const insertAttempt = preparedQuery(
  ['org_id', 'delivery_id', 'endpoint_id', 'number', 'trigger', 'started_at', 'duration_ms', 'succeeded', 'status_code', 'error', 'error_message', 'response_excerpt'],
  (db, p) => db.insertInto('delivery_attempts').values(p),
)
const advanceDelivery = preparedQuery(
  ['id', 'lease_token', 'status', 'attempt_count', 'failures', 'next_attempt_at', 'last_attempt_at', 'last_status_code', 'last_error', 'updated_at'],
  (db, { id, lease_token, ...p }) =>
    db
      .updateTable('deliveries')
      .set({ ...p, next_trigger: 'auto', lease_until: null, lease_token: null })
      .where('id', '=', id)
      .where('lease_token', '=', lease_token),
)

const deliveryExists = preparedQuery(['id'], (db, p) => db.selectFrom('deliveries').select('id').where('id', '=', p.id))

async function updateEndpointHealth(trx: Trx, delivery: ClaimedDelivery, result: AttemptResult, now: Date): Promise<string | null> {
  if (result.succeeded) {
    // The common case writes nothing: only a success that ends a run of failures touches the row.
    await endFailureRun(trx, { id: delivery.endpoint_id })
    return null
  }
  const [endpoint] = (await countFailure(trx, { id: delivery.endpoint_id, startedAt: result.startedAt.toISOString() })).rows
  if (!endpoint || endpoint.enabled === 0) return null
  let reason: string | null = null
  if (result.statusCode === 410) reason = 'The endpoint answered 410 Gone'
  else if (endpoint.failing_since && now.getTime() - Date.parse(endpoint.failing_since) >= DISABLE_AFTER_FAILING_MS) {
    reason = `Every delivery attempt has failed since ${endpoint.failing_since} (5 days); last error: ${result.errorMessage ?? result.error}`
  }
  if (reason) await disableEndpoint(trx, delivery.endpoint_id, reason, now.toISOString())
  return reason
}

export interface AttemptToRecord {
  delivery: ClaimedDelivery
  result: AttemptResult
}

async function recordOne(trx: Trx, { delivery, result }: AttemptToRecord, schedule: readonly number[], now: Date): Promise<RecordedAttempt> {
  const next = result.succeeded ? { failures: delivery.failures, nextAttemptAt: null } : afterFailure(delivery, result, schedule, now)
  const status: DeliveryStatus = result.succeeded ? 'succeeded' : next.nextAttemptAt ? 'pending' : 'failed'
  // Only the lease holder moves the delivery on.
  const moved = await advanceDelivery(trx, {
    id: delivery.id,
    lease_token: delivery.lease_token,
    status,
    attempt_count: delivery.attempt_count + 1,
    failures: next.failures,
    next_attempt_at: next.nextAttemptAt?.toISOString() ?? null,
    last_attempt_at: result.startedAt.toISOString(),
    last_status_code: result.statusCode,
    last_error: result.succeeded ? null : result.errorMessage,
    updated_at: now.toISOString(),
  })
  if (Number(moved.numAffectedRows ?? 0) === 0) {
    // A stale holder (its lease ran out) still leaves its log line; a delivery deleted with its
    // endpoint meanwhile leaves nothing, and must not fail the other records of the batch.
    const [exists] = (await deliveryExists(trx, { id: delivery.id })).rows
    if (!exists) return { status, nextAttemptAt: null, disabledReason: null }
  }
  await insertAttempt(trx, {
    org_id: delivery.org_id,
    delivery_id: delivery.id,
    endpoint_id: delivery.endpoint_id,
    number: delivery.attempt_count + 1,
    trigger: delivery.trigger,
    started_at: result.startedAt.toISOString(),
    duration_ms: result.durationMs,
    succeeded: result.succeeded ? 1 : 0,
    status_code: result.statusCode,
    error: result.error,
    error_message: result.errorMessage,
    response_excerpt: result.responseExcerpt,
  })
  const disabledReason = await updateEndpointHealth(trx, delivery, result, now)
  return { status, nextAttemptAt: next.nextAttemptAt, disabledReason }
}

/**
 * The record step for a batch of finished attempts: each one's log line, its delivery's
 * next state and its endpoint's health, all in one transaction — under load, one commit
 * covers many attempts instead of one each.
 */
export function recordAttempts(db: Db, attempts: AttemptToRecord[], schedule: readonly number[], now: Date): Promise<RecordedAttempt[]> {
  return transaction(db, async (trx) => {
    const recorded: RecordedAttempt[] = []
    for (const attempt of attempts) recorded.push(await recordOne(trx, attempt, schedule, now))
    return recorded
  })
}

export async function recordAttempt(db: Db, delivery: ClaimedDelivery, result: AttemptResult, schedule: readonly number[], now: Date) {
  const [recorded] = await recordAttempts(db, [{ delivery, result }], schedule, now)
  return recorded!
}

/** A claimed delivery that cannot be sent at all (its endpoint was disabled meanwhile, its event is gone). */
export async function failUnsent(db: Db, delivery: ClaimedDelivery, reason: string, now: Date): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ status: 'failed', next_attempt_at: null, lease_until: null, lease_token: null, last_error: reason, updated_at: now.toISOString() })
    .where('id', '=', delivery.id)
    .where('lease_token', '=', delivery.lease_token)
    .execute()
}
