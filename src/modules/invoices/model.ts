import { t } from 'elysia'
import type { InvoiceRow } from '../../db/schema'
import { JsonInteger, literals, Nullable } from '../../http/fields'
import { CalendarDate } from '../../http/time'
import { INVOICE_STATUSES } from './status'
import { CurrencyCode } from '../../money/currencies'
import { documentBodies, documentQuery, documentTotalsSchema, LineItem, type LineItemOut, ROUNDING_RULE, reasonBody } from '../line-items/model'

export const InvoiceStatusSchema = literals(INVOICE_STATUSES, {
  description: '`draft` → `sent` → `partially_paid` → `paid`; `draft` | `sent` → `void`',
})
const Title = t.String({ maxLength: 200, examples: ['Water heater replacement'] })
const DueDate = CalendarDate('When payment is due')

export const Invoice = t.Object(
  {
    id: t.String({ examples: ['inv_01jd3k5q7x0000000000000000'] }),
    number: t.String({ examples: ['INV-1001'] }),
    status: InvoiceStatusSchema,
    client_id: t.String(),
    job_id: t.Union([t.String(), t.Null()]),
    estimate_id: t.Union([t.String(), t.Null()], { description: 'The estimate this invoice was converted from' }),
    title: t.Union([t.String(), t.Null()]),
    notes: t.Union([t.String(), t.Null()]),
    currency: CurrencyCode(),
    line_items: t.Array(LineItem),
    ...documentTotalsSchema,
    amount_paid_cents: JsonInteger({ description: 'Sum of the payments recorded' }),
    balance_cents: JsonInteger({ description: 'total_cents − amount_paid_cents; never negative' }),
    due_date: t.Union([t.String(), t.Null()]),
    sent_at: t.Union([t.String(), t.Null()]),
    paid_at: t.Union([t.String(), t.Null()]),
    voided_at: t.Union([t.String(), t.Null()]),
    void_reason: t.Union([t.String(), t.Null()]),
    version: JsonInteger(),
    created_at: t.String({ format: 'date-time' }),
    updated_at: t.String({ format: 'date-time' }),
  },
  { description: `A bill to a client. Amounts are integer minor units of \`currency\`. ${ROUNDING_RULE}` },
)

const bodies = documentBodies(Title, { due_date: t.Optional(Nullable(DueDate)) })
export const InvoiceCreate = bodies.create
export const InvoicePatch = bodies.patch
export const InvoiceQuery = documentQuery(InvoiceStatusSchema)
export const InvoiceVoid = reasonBody('Why it was voided')

export function toInvoice(row: InvoiceRow, lineItems: LineItemOut[]) {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    client_id: row.client_id,
    job_id: row.job_id,
    estimate_id: row.estimate_id,
    title: row.title,
    notes: row.notes,
    currency: row.currency,
    line_items: lineItems,
    subtotal_cents: row.subtotal_cents,
    tax_cents: row.tax_cents,
    total_cents: row.total_cents,
    amount_paid_cents: row.amount_paid_cents,
    balance_cents: row.total_cents - row.amount_paid_cents,
    due_date: row.due_date,
    sent_at: row.sent_at,
    paid_at: row.paid_at,
    voided_at: row.voided_at,
    void_reason: row.void_reason,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

export type InvoiceOut = ReturnType<typeof toInvoice>

// Webhook payloads carry these objects; the OpenAPI `webhooks` section documents them with these schemas.
