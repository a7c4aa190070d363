import { type Static, t } from 'elysia'
import { REQUEST_STATUSES, type RequestRow } from '../../db/schema'
import { Email, JsonInteger, literals, Nullable, Phone, SearchText } from '../../http/fields'
import { Timestamp } from '../../http/time'
import { pageQuery } from '../../http/pagination'
import { JobPrioritySchema } from '../jobs/model'

export const RequestStatusSchema = literals(REQUEST_STATUSES)

export const WorkRequest = t.Object({
  id: t.String({ examples: ['req_01jd3k5q7x0000000000000000'] }),
  description: t.String(),
  client_id: Nullable(t.String()),
  contact_name: Nullable(t.String()),
  contact_email: Nullable(t.String()),
  contact_phone: Nullable(t.String()),
  address: Nullable(t.String()),
  preferred_start: Nullable(t.String({ format: 'date-time' })),
  status: RequestStatusSchema,
  job_id: Nullable(t.String({ description: 'The job it was converted to' })),
  decline_reason: Nullable(t.String()),
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
})

const fields = {
  description: t.String({ minLength: 1, maxLength: 10_000, examples: ['Kitchen sink drains slowly, can someone come this week?'] }),
  client_id: t.Optional(Nullable(t.String({ maxLength: 64, description: 'A known client, if any' }))),
  contact_name: t.Optional(Nullable(t.String({ maxLength: 200 }))),
  contact_email: t.Optional(Nullable(Email)),
  contact_phone: t.Optional(Nullable(Phone)),
  address: t.Optional(Nullable(t.String({ maxLength: 500 }))),
  preferred_start: t.Optional(Nullable(Timestamp('When the customer would like the work to start'))),
}
export const RequestCreate = t.Object(fields, { additionalProperties: false })
export const RequestPatch = t.Object({ ...fields, description: t.Optional(fields.description) }, { additionalProperties: false })
export const RequestListQuery = t.Object(
  {
    ...pageQuery,
    status: t.Optional(RequestStatusSchema),
    client_id: t.Optional(t.String({ maxLength: 64 })),
    q: SearchText('Text in the description or contact'),
  },
  { additionalProperties: false },
)
export const RequestConvert = t.Object(
  {
    title: t.Optional(t.String({ minLength: 1, maxLength: 200, description: 'Default: the start of the description' })),
    client_id: t.Optional(Nullable(t.String({ maxLength: 64, description: 'Default: the request’s client' }))),
    property_id: t.Optional(Nullable(t.String({ maxLength: 64 }))),
    priority: t.Optional(JobPrioritySchema),
    scheduled_start: t.Optional(Nullable(Timestamp('Default: the request’s preferred_start'))),
    scheduled_end: t.Optional(Nullable(Timestamp('Planned end'))),
  },
  { additionalProperties: false },
)
export const RequestDecline = t.Object(
  { reason: t.Optional(Nullable(t.String({ maxLength: 2_000 }))) },
  { additionalProperties: false },
)
export type RequestCreateInput = Static<typeof RequestCreate>
export type RequestPatchInput = Static<typeof RequestPatch>
export type RequestListFilters = Static<typeof RequestListQuery>
export type RequestConvertInput = Static<typeof RequestConvert>
export type RequestDeclineInput = Static<typeof RequestDecline>

export function toRequest(row: RequestRow) {
  return {
    id: row.id,
    description: row.description,
    client_id: row.client_id,
    contact_name: row.contact_name,
    contact_email: row.contact_email,
    contact_phone: row.contact_phone,
    address: row.address,
    preferred_start: row.preferred_start,
    status: row.status,
    job_id: row.job_id,
    decline_reason: row.decline_reason,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

// Webhook payloads carry these objects; the OpenAPI `webhooks` section documents them with these schemas.
