import { type Static, t } from 'elysia'
import { ALERT_RESOLUTIONS, ALERT_RULE_TYPES, ALERT_STATUSES, ALERT_SUBJECT_TYPES, type AlertRow } from '../../db/schema'
import { JsonInteger, literals, Nullable } from '../../http/fields'
import { pageQuery } from '../../http/pagination'

const DateTime = t.String({ format: 'date-time' })

export const Alert = t.Object({
  id: t.String({ examples: ['alt_01jd3k5q7x0000000000000000'] }),
  rule: t.Object(
    {
      id: t.String(),
      type: literals(ALERT_RULE_TYPES),
      title: t.String(),
      description: Nullable(t.String()),
      minutes: Nullable(JsonInteger()),
    },
    { description: 'The rule that fired, as it was when it fired' },
  ),
  subject: t.Object(
    { type: literals(ALERT_SUBJECT_TYPES), id: t.String() },
    { description: 'What the alert is about: the job (late start, overrun), the crew member (check-ins) or the place (arrivals, departures)' },
  ),
  job_id: Nullable(t.String()),
  contractor_id: Nullable(t.String()),
  place_id: Nullable(t.String()),
  message: t.String({ examples: ['JOB-1001 "Replace boiler valve" has not started 12 minutes after its scheduled start (2026-11-22T08:00:00.000Z)'] }),
  status: literals(ALERT_STATUSES, { description: '`open` → `acknowledged` → `resolved`; also resolved by itself when the condition ends' }),
  active: t.Boolean({ description: 'True while the condition that fired it still holds; a new alert for the same rule and subject comes only after it ends' }),
  acknowledged_at: Nullable(DateTime),
  acknowledged_by: Nullable(t.String({ description: 'User id' })),
  resolved_at: Nullable(DateTime),
  resolved_by: Nullable(t.String({ description: 'User id; null when resolved by the server' })),
  resolution: Nullable(
    literals(ALERT_RESOLUTIONS, {
      description: '`auto` (the condition ended), `manual`, or the rule was disabled, changed or deleted',
    }),
  ),
  version: JsonInteger(),
  created_at: DateTime,
  updated_at: DateTime,
})

export const AlertListQuery = t.Object(
  {
    ...pageQuery,
    status: t.Optional(literals(ALERT_STATUSES)),
    type: t.Optional(literals(ALERT_RULE_TYPES)),
    rule_id: t.Optional(t.String({ maxLength: 64 })),
    job_id: t.Optional(t.String({ maxLength: 64 })),
    contractor_id: t.Optional(t.String({ maxLength: 64 })),
    place_id: t.Optional(t.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
)
export type AlertListFilters = Static<typeof AlertListQuery>

export function toAlert(row: AlertRow) {
  return {
    id: row.id,
    rule: { id: row.rule_id, type: row.type, title: row.rule_title, description: row.rule_description, minutes: row.rule_minutes },
    subject: { type: row.subject_type, id: row.subject_id },
    job_id: row.job_id,
    contractor_id: row.contractor_id,
    place_id: row.place_id,
    message: row.message,
    status: row.status,
    active: row.active === 1,
    acknowledged_at: row.acknowledged_at,
    acknowledged_by: row.acknowledged_by,
    resolved_at: row.resolved_at,
    resolved_by: row.resolved_by,
    resolution: row.resolution,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}
export type AlertObject = ReturnType<typeof toAlert>

// Webhook payloads carry these objects; the OpenAPI `webhooks` section documents them with these schemas.
