import { t } from 'elysia'
import type { EstimateRow } from '../../db/schema'
import { JsonInteger, literals, Nullable } from '../../http/fields'
import { CalendarDate } from '../../http/time'
import { ESTIMATE_STATUSES } from './status'
import { CurrencyCode } from '../../money/currencies'
import { JobCreate } from '../jobs/model'
import { documentBodies, documentQuery, documentTotalsSchema, LineItem, type LineItemOut, ROUNDING_RULE, reasonBody } from '../line-items/model'

export const EstimateStatusSchema = literals(ESTIMATE_STATUSES, {
  description: '`draft` → `sent` → `approved` | `declined`; `approved` → `converted`',
})
const Title = t.String({ maxLength: 200, examples: ['Replace water heater'] })

export const Estimate = t.Object(
  {
    id: t.String({ examples: ['est_01jd3k5q7x0000000000000000'] }),
    number: t.String({ examples: ['EST-1001'] }),
    status: EstimateStatusSchema,
    client_id: t.String(),
    job_id: t.Union([t.String(), t.Null()], { description: 'The job it is for, or the job conversion created' }),
    invoice_id: t.Union([t.String(), t.Null()], { description: 'The invoice conversion created' }),
    title: t.Union([t.String(), t.Null()]),
    notes: t.Union([t.String(), t.Null()]),
    currency: CurrencyCode(),
    line_items: t.Array(LineItem),
    ...documentTotalsSchema,
    valid_until: t.Union([t.String(), t.Null()], { description: 'Informational: the date the offer runs until' }),
    sent_at: t.Union([t.String(), t.Null()]),
    approved_at: t.Union([t.String(), t.Null()]),
    declined_at: t.Union([t.String(), t.Null()]),
    decline_reason: t.Union([t.String(), t.Null()]),
    converted_at: t.Union([t.String(), t.Null()]),
    version: JsonInteger(),
    created_at: t.String({ format: 'date-time' }),
    updated_at: t.String({ format: 'date-time' }),
  },
  { description: `A priced offer to a client. Amounts are integer minor units of \`currency\`. ${ROUNDING_RULE}` },
)

const bodies = documentBodies(Title, { valid_until: t.Optional(Nullable(CalendarDate('Until when the offer stands'))) })
export const EstimateCreate = bodies.create
export const EstimatePatch = bodies.patch
export const EstimateQuery = documentQuery(EstimateStatusSchema)
export const EstimateDecline = reasonBody('Why the client said no')

export function toEstimate(row: EstimateRow, lineItems: LineItemOut[]) {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    client_id: row.client_id,
    job_id: row.job_id,
    invoice_id: row.invoice_id,
    title: row.title,
    notes: row.notes,
    currency: row.currency,
    line_items: lineItems,
    subtotal_cents: row.subtotal_cents,
    tax_cents: row.tax_cents,
    total_cents: row.total_cents,
    valid_until: row.valid_until,
    sent_at: row.sent_at,
    approved_at: row.approved_at,
    declined_at: row.declined_at,
    decline_reason: row.decline_reason,
    converted_at: row.converted_at,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

export type EstimateOut = ReturnType<typeof toEstimate>

export const CONVERSION_TARGETS = ['job', 'invoice'] as const

const job = JobCreate.properties
/** What the created job may differ in from the estimate (title, client and notes come from it). */
const JobFromEstimate = t.Object(
  {
    title: t.Optional(job.title),
    description: job.description,
    property_id: job.property_id,
    priority: job.priority,
    scheduled_start: job.scheduled_start,
    scheduled_end: job.scheduled_end,
  },
  {
    additionalProperties: false,
    description: 'Only with `create` holding `job`. `title` defaults to the estimate’s (else "Work for EST-…"), `description` to its notes.',
  },
)

export const EstimateConvert = t.Object(
  {
    create: t.Array(literals(CONVERSION_TARGETS), {
      minItems: 1,
      maxItems: CONVERSION_TARGETS.length,
      uniqueItems: true,
      description:
        'What to create from the approved estimate: `job` (a scheduled job for its client) and/or `invoice` (a draft carrying copies of its line items)',
      examples: [['job', 'invoice']],
    }),
    job: t.Optional(JobFromEstimate),
  },
  { additionalProperties: false },
)

// Webhook payloads carry these objects; the OpenAPI `webhooks` section documents them with these schemas.
