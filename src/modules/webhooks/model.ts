import { t } from 'elysia'
import { JsonInteger } from '../../http/fields'
import type { WebhookEndpointRow } from '../../db/schema'
import { MAX_URL_LENGTH } from '../../outbox/address'

export const MAX_ENDPOINTS_PER_ORG = 5
export const MAX_CUSTOM_HEADERS = 20
export const MAX_DEBOUNCE_SECONDS = 300
export const MIN_RATE_LIMIT = 1
export const MAX_RATE_LIMIT = 1000

const EventPattern = t.String({
  minLength: 1,
  maxLength: 64,
  description: 'An event type, `resource.*` for every event of a resource, or `*` for all',
  examples: ['job.completed', 'job.*', '*'],
})

const Url = t.String({
  minLength: 1,
  maxLength: MAX_URL_LENGTH,
  description: 'HTTPS URL on the public internet (http and private addresses only with CREWBASE_WEBHOOK_ALLOW_INSECURE)',
  examples: ['https://hooks.example.com/crewbase'],
})
const Events = t.Array(EventPattern, { minItems: 1, maxItems: 50, examples: [['job.*', 'invoice.paid']] })
const CustomHeaders = t.Record(t.String({ maxLength: 100 }), t.String({ maxLength: 1000 }), {
  maxProperties: MAX_CUSTOM_HEADERS,
  description: 'Sent with every delivery; cannot override Crewbase’s own headers',
  examples: [{ Authorization: 'Bearer receiver-token' }],
})
const Description = t.Union([t.String({ maxLength: 500 }), t.Null()])
const Debounce = JsonInteger({
  minimum: 0,
  maximum: MAX_DEBOUNCE_SECONDS,
  description: 'Coalesce `*.updated` events of one resource within this many seconds into one delivery with the latest state',
})
const Filter = t.Union([t.Record(t.String(), t.Unknown()), t.Null()], {
  error: 'must be a JSON object of paths and conditions, or null',
  description:
    'Only events whose body matches are delivered (no delivery row otherwise). Keys are dotted paths into the body (`type`, `data.object.status`); a plain value means equality (against an array: contains); operator objects take `$eq $neq $gt $gte $lt $lte $in $nin $exist $startsWith $endsWith`; `$and`/`$or` take arrays of filters, `$not` one. At most 4 KB and 32 conditions. Null delivers every subscribed event.',
  examples: [{ 'data.object.status': { $in: ['paid', 'sent'] }, 'data.object.total_cents': { $gte: 100000 } }],
})
const RateLimit = t.Union([JsonInteger({ minimum: MIN_RATE_LIMIT, maximum: MAX_RATE_LIMIT }), t.Null()], {
  error: `must be an integer from ${MIN_RATE_LIMIT} to ${MAX_RATE_LIMIT}, or null`,
  description: `Most deliveries per second sent to this endpoint (${MIN_RATE_LIMIT}–${MAX_RATE_LIMIT}), retries and recovers included; a backlog drains at this pace. Null: no ceiling.`,
  examples: [10],
})
const Timestamp = t.String({ format: 'date-time' })
const NullableTimestamp = t.Union([Timestamp, t.Null()])

export const WebhookHealth = t.Object({
  success_rate: t.Union([t.Number({ minimum: 0, maximum: 1 }), t.Null()], {
    description: 'Share of attempts in the last 24 hours that succeeded (0–1); null when there were none',
  }),
  attempts_24h: JsonInteger({ description: 'Attempts in the last 24 hours' }),
  consecutive_failures: JsonInteger({ description: 'Failed attempts since the last success' }),
  failing_since: t.Union([Timestamp, t.Null()], { description: 'Start of the current run of failures; five days of it disables the endpoint' }),
  next_attempt_at: t.Union([Timestamp, t.Null()], { description: 'When the next delivery to this endpoint is due' }),
  skipped: JsonInteger({ description: 'Deliveries kept as `skipped` while the endpoint was disabled; recover sends them' }),
  last_attempt_at: NullableTimestamp,
  last_success_at: NullableTimestamp,
})

export const Webhook = t.Object({
  id: t.String({ examples: ['wh_01jd3k5q7x0000000000000000'] }),
  url: t.String(),
  description: t.Union([t.String(), t.Null()]),
  events: t.Array(t.String()),
  headers: t.Record(t.String(), t.String()),
  enabled: t.Boolean(),
  disabled_reason: t.Union([t.String(), t.Null()], { description: 'Why Crewbase disabled the endpoint (410 Gone, five days of failures)' }),
  disabled_at: NullableTimestamp,
  debounce_seconds: JsonInteger(),
  filter: Filter,
  rate_limit_per_second: RateLimit,
  previous_secret_expires_at: t.Union([Timestamp, t.Null()], {
    description: 'After a rotation, until when the old secret also signs (a second `v1=` / `v1,` entry)',
  }),
  health: WebhookHealth,
  version: JsonInteger(),
  created_at: Timestamp,
  updated_at: Timestamp,
})

// webhook.test carries the endpoint itself.

export const WebhookWithSecret = t.Composite([
  Webhook,
  t.Object({
    secret: t.Union([t.String(), t.Null()], {
      description:
        '`whsec_` + base64 of 32 random bytes. Shown only in this response (null when an Idempotency-Key replay answers); store it now.',
      examples: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    }),
  }),
])

export const WebhookCreate = t.Object(
  {
    url: Url,
    events: Events,
    headers: t.Optional(CustomHeaders),
    description: t.Optional(Description),
    enabled: t.Optional(t.Boolean()),
    debounce_seconds: t.Optional(Debounce),
    filter: t.Optional(Filter),
    rate_limit_per_second: t.Optional(RateLimit),
  },
  { additionalProperties: false },
)

export const WebhookPatch = t.Object(
  {
    url: t.Optional(Url),
    events: t.Optional(Events),
    headers: t.Optional(CustomHeaders),
    description: t.Optional(Description),
    enabled: t.Optional(
      t.Boolean({ description: 'Enabling again does not replay by itself: what failed or was skipped meanwhile goes out with recover or redeliver' }),
    ),
    debounce_seconds: t.Optional(Debounce),
    filter: t.Optional(Filter),
    rate_limit_per_second: t.Optional(RateLimit),
  },
  { additionalProperties: false },
)

export const RecoverBody = t.Object(
  { since: t.String({ format: 'date-time', description: 'Queue every failed or skipped delivery created at or after this time' }) },
  { additionalProperties: false },
)
export const RecoverResult = t.Object({ queued: JsonInteger({ description: 'Failed and skipped deliveries queued for an attempt now' }) })

export type WebhookHealthValue = typeof WebhookHealth.static

export function toWebhook(row: WebhookEndpointRow, health: WebhookHealthValue, now: Date) {
  const rotating = row.previous_secret_expires_at !== null && row.previous_secret_expires_at > now.toISOString()
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as string[],
    headers: JSON.parse(row.headers) as Record<string, string>,
    enabled: row.enabled === 1,
    disabled_reason: row.disabled_reason,
    disabled_at: row.disabled_at,
    debounce_seconds: row.debounce_seconds,
    filter: row.filter === null ? null : (JSON.parse(row.filter) as Record<string, unknown>),
    rate_limit_per_second: row.rate_limit_per_second,
    previous_secret_expires_at: rotating ? row.previous_secret_expires_at : null,
    health,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}
