import { type Static, t } from 'elysia'
import { CHECKIN_TYPES, type JobCheckinRow, type JobMessageRow } from '../../db/schema'
import { JsonInteger, literals, Nullable } from '../../http/fields'
import { Timestamp } from '../../http/time'

// ── check-ins and messages: what happens on a job, newest first ──

export const Checkin = t.Object({
  id: t.String({ examples: ['chk_01jd3k5q7x0000000000000000'] }),
  job_id: t.String(),
  contractor_id: t.String(),
  type: literals(CHECKIN_TYPES, { description: '`in` on arrival, `out` on leaving' }),
  at: t.String({ format: 'date-time' }),
  lat: Nullable(t.Number()),
  lng: Nullable(t.Number()),
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
})

export const CheckinCreate = t.Object(
  {
    contractor_id: t.String({ maxLength: 64 }),
    type: literals(CHECKIN_TYPES),
    at: t.Optional(Timestamp('When it happened; default now')),
    lat: t.Optional(Nullable(t.Number({ minimum: -90, maximum: 90 }))),
    lng: t.Optional(Nullable(t.Number({ minimum: -180, maximum: 180 }))),
  },
  { additionalProperties: false },
)
export type CheckinCreateInput = Static<typeof CheckinCreate>

export const Message = t.Object({
  id: t.String({ examples: ['msg_01jd3k5q7x0000000000000000'] }),
  job_id: t.String(),
  body: t.String(),
  user_id: Nullable(t.String({ description: 'The user who posted it (for an API key: its creator)' })),
  contractor_id: Nullable(t.String({ description: 'The crew member who posted it, when one did' })),
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
})

export const MessageCreate = t.Object(
  { body: t.String({ minLength: 1, maxLength: 5_000, examples: ['On my way, 10 minutes out.'] }) },
  { additionalProperties: false },
)
export type MessageCreateInput = Static<typeof MessageCreate>

export function toCheckin(row: JobCheckinRow) {
  return {
    id: row.id,
    job_id: row.job_id,
    contractor_id: row.contractor_id,
    type: row.type,
    at: row.at,
    lat: row.lat,
    lng: row.lng,
    version: row.version,
    created_at: row.created_at,
  }
}

export function toMessage(row: JobMessageRow) {
  return {
    id: row.id,
    job_id: row.job_id,
    body: row.body,
    user_id: row.user_id,
    contractor_id: row.contractor_id,
    version: row.version,
    created_at: row.created_at,
  }
}

// Webhook payloads carry these objects; the OpenAPI `webhooks` section documents them with these schemas.
