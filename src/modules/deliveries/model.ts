import { t } from 'elysia'
import { JsonInteger, literals } from '../../http/fields'
import { ATTEMPT_ERRORS, ATTEMPT_TRIGGERS, DELIVERY_STATUSES, type DeliveryAttemptRow, type DeliveryRow } from '../../db/schema'

const Timestamp = t.String({ format: 'date-time' })
const NullableTimestamp = t.Union([Timestamp, t.Null()])

export const DeliveryStatusSchema = literals(DELIVERY_STATUSES, {
  description:
    '`pending` (queued or retrying), `succeeded`, `failed` (retries spent, 410, endpoint disabled while retrying), `skipped` (the endpoint was disabled; recover sends it once enabled)',
})

export const Attempt = t.Object({
  number: JsonInteger({ description: '1 for the first attempt of this delivery' }),
  trigger: literals(ATTEMPT_TRIGGERS, { description: '`auto` (schedule), `manual` (redeliver, recover), `test`' }),
  started_at: Timestamp,
  duration_ms: JsonInteger(),
  succeeded: t.Boolean(),
  status_code: t.Union([JsonInteger(), t.Null()], { description: 'null when no answer came' }),
  error: t.Union([...literals(ATTEMPT_ERRORS).anyOf, t.Null()], {
    description: 'Error class of a failed attempt: `dns`, `connect`, `tls`, `timeout`, `http` (non-2xx or a redirect)',
  }),
  error_message: t.Union([t.String(), t.Null()]),
  response_excerpt: t.Union([t.String(), t.Null()], { description: 'The first 2 KB of the response body' }),
})

export const Delivery = t.Object({
  id: t.String({ description: 'Sent as X-Crewbase-Delivery and webhook-id; the same on every retry', examples: ['dlv_01jd3k5q7x0000000000000000'] }),
  webhook_id: t.String(),
  event_id: t.String(),
  event_type: t.String(),
  status: DeliveryStatusSchema,
  in_flight: t.Boolean({ description: 'An attempt is being made right now' }),
  attempt_count: JsonInteger(),
  next_attempt_at: t.Union([Timestamp, t.Null()], { description: 'When the next attempt is due (pending only)' }),
  last_attempt_at: NullableTimestamp,
  last_status_code: t.Union([JsonInteger(), t.Null()]),
  last_error: t.Union([t.String(), t.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
})

export const EventBody = t.Object(
  {
    id: t.String(),
    type: t.String(),
    created_at: Timestamp,
    org_id: t.String(),
    data: t.Object({ object: t.Record(t.String(), t.Unknown()), previous: t.Optional(t.Record(t.String(), t.Unknown())) }),
  },
  { description: 'The body as delivered' },
)

export const DeliveryDetail = t.Composite([
  Delivery,
  t.Object({ event: t.Union([EventBody, t.Null()]), attempts: t.Array(Attempt, { description: 'Oldest first' }) }),
])

export const DeliveryListQuery = {
  status: t.Optional(DeliveryStatusSchema),
}

export function toDelivery(row: DeliveryRow, now: Date) {
  const inFlight = row.lease_until !== null && row.lease_until > now.toISOString()
  return {
    id: row.id,
    webhook_id: row.endpoint_id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status,
    in_flight: inFlight,
    attempt_count: row.attempt_count,
    next_attempt_at: row.status === 'pending' && !inFlight ? row.next_attempt_at : null,
    last_attempt_at: row.last_attempt_at,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

export function toAttempt(row: DeliveryAttemptRow) {
  return {
    number: row.number,
    trigger: row.trigger,
    started_at: row.started_at,
    duration_ms: row.duration_ms,
    succeeded: row.succeeded === 1,
    status_code: row.status_code,
    error: row.error,
    error_message: row.error_message,
    response_excerpt: row.response_excerpt,
  }
}
