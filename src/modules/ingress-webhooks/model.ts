import { t } from 'elysia'
import { JsonInteger } from '../../http/fields'
import type { IngressWebhookRow } from '../../db/schema'

export const IngressWebhook = t.Object({
  id: t.String({ examples: ['ing_01jd3k5q7x0000000000000000'] }),
  name: t.String(),
  job_id: t.Union([t.String(), t.Null()], { description: 'Activities received are attached to this job' }),
  created_by: t.Union([t.String(), t.Null()], {
    description: 'The user who created the URL: the member of activities that name none. Null once that user is removed',
  }),
  created_at: t.String({ format: 'date-time' }),
  last_received_at: t.Union([t.String({ format: 'date-time' }), t.Null()]),
  received_count: JsonInteger({ description: 'Accepted requests, replays of an `externalId` included' }),
})

export const IngressWebhookWithUrl = t.Composite([
  IngressWebhook,
  t.Object({
    url: t.Union([t.String(), t.Null()], {
      description:
        'The full URL with its secret token. Shown only in this response; store it now. ' +
        'A replay of this request by Idempotency-Key answers null here: the token is not kept anywhere.',
      examples: ['https://crewbase.example.com/webhooks/ingress/cb_in_…'],
    }),
  }),
])

export const IngressWebhookCreate = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: 100, examples: ['Phone system'] }),
    job_id: t.Optional(t.Union([t.String({ maxLength: 64 }), t.Null()], { description: 'Attach received activities to this job' })),
  },
  { additionalProperties: false },
)

export function toIngressWebhook(row: IngressWebhookRow) {
  return {
    id: row.id,
    name: row.name,
    job_id: row.job_id,
    created_by: row.created_by,
    created_at: row.created_at,
    last_received_at: row.last_received_at,
    received_count: row.received_count,
  }
}
