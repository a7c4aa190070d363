import { t } from 'elysia'
import { JsonInteger, literals } from '../../http/fields'
import { type ActivityRow, MEMBER_TYPES } from '../../db/schema'
import { Timestamp } from '../../http/time'

/** The activity object other tools POST to an ingress URL (PRODUCT.md §4): camelCase, as the seed products send it. */
export const ActivityInput = t.Object(
  {
    title: t.String({ minLength: 1, maxLength: 200, examples: ['Customer call logged'] }),
    description: t.Optional(t.String({ maxLength: 10_000 })),
    startTime: Timestamp('When the activity started'),
    endTime: t.Optional(Timestamp('When it ended; not before `startTime`')),
    trigger: t.Optional(t.String({ maxLength: 200, description: 'What caused it, e.g. `Phone`', examples: ['Phone'] })),
    event: t.Optional(t.String({ maxLength: 200, description: 'The event name, if not the trigger', examples: ['Call log'] })),
    memberEmail: t.Optional(
      t.String({
        format: 'email',
        maxLength: 254,
        description: 'A user (or else a contractor) of the organization; defaults to the URL’s creator',
      }),
    ),
    externalId: t.Optional(
      t.String({
        minLength: 1,
        maxLength: 255,
        description: 'Your id for it: sending the same one to the same URL again answers 200 with the stored activity',
        examples: ['call-5521'],
      }),
    ),
    metadata: t.Optional(
      t.Record(t.String(), t.Unknown(), { description: 'Any JSON object (up to 64 KiB, 32 levels deep), stored as given' }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Unknown fields are refused with 400 naming them; put extra data in `metadata`',
    examples: [
      {
        title: 'Customer call logged',
        description: 'Asked about the invoice for the boiler repair.',
        startTime: '2026-03-02T14:05:00Z',
        trigger: 'Phone',
        event: 'Call log',
        externalId: 'call-5521',
      },
    ],
  },
)

export const Member = t.Object(
  {
    type: literals(MEMBER_TYPES),
    id: t.String(),
    email: t.String(),
  },
  { description: 'Who the activity is assigned to, as resolved when it arrived' },
)

/** The stored activity, in the API's snake_case like every other resource. */
export const Activity = t.Object({
  id: t.String({ examples: ['act_01jd3k5q7x0000000000000000'] }),
  ingress_webhook_id: t.String(),
  job_id: t.Union([t.String(), t.Null()]),
  title: t.String(),
  description: t.Union([t.String(), t.Null()]),
  start_time: t.String({ format: 'date-time' }),
  end_time: t.Union([t.String({ format: 'date-time' }), t.Null()]),
  trigger: t.Union([t.String(), t.Null()]),
  event: t.Union([t.String(), t.Null()]),
  member: t.Union([Member, t.Null()], { description: 'Null when none was named and the URL’s creator has been removed' }),
  external_id: t.Union([t.String(), t.Null()]),
  metadata: t.Union([t.Record(t.String(), t.Unknown()), t.Null()]),
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
})

export function toActivity(row: ActivityRow) {
  return {
    id: row.id,
    ingress_webhook_id: row.ingress_webhook_id,
    job_id: row.job_id,
    title: row.title,
    description: row.description,
    start_time: row.start_time,
    end_time: row.end_time,
    trigger: row.trigger,
    event: row.event,
    member:
      row.member_type && row.member_id && row.member_email
        ? { type: row.member_type, id: row.member_id, email: row.member_email }
        : null,
    external_id: row.external_id,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    version: row.version,
    created_at: row.created_at,
  }
}

// Webhook payloads carry these objects; the OpenAPI `webhooks` section documents them with these schemas.
