import { t } from 'elysia'
import { JsonInteger, literals } from '../../http/fields'
import { PAYMENT_METHODS, type PaymentRow } from '../../db/schema'
import { Timestamp } from '../../http/time'
import { MAX_AMOUNT_CENTS } from '../../money/amounts'
import { CurrencyCode } from '../../money/currencies'

const Method = literals(PAYMENT_METHODS, { description: '`cash`, `check`, `card`, `ach` or `other`' })
const Id = t.String({ maxLength: 64 })

export const Payment = t.Object(
  {
    id: t.String({ examples: ['pay_01jd3k5q7x0000000000000000'] }),
    invoice_id: t.String(),
    client_id: t.String({ description: 'The invoice’s client' }),
    amount_cents: JsonInteger({ description: 'Minor units of `currency`' }),
    currency: CurrencyCode(),
    method: Method,
    received_at: t.String({ format: 'date-time' }),
    reference: t.Union([t.String(), t.Null()]),
    notes: t.Union([t.String(), t.Null()]),
    version: JsonInteger(),
    created_at: t.String({ format: 'date-time' }),
    updated_at: t.String({ format: 'date-time' }),
  },
  { description: 'Money received against an invoice. Payments are immutable once recorded.' },
)

export const PaymentCreate = t.Object(
  {
    invoice_id: Id,
    amount_cents: JsonInteger({
      minimum: 1,
      maximum: MAX_AMOUNT_CENTS,
      description: 'Minor units, at most the invoice’s `balance_cents`',
      examples: [5000],
    }),
    method: Method,
    currency: t.Optional(CurrencyCode('If given, must equal the invoice’s currency')),
    received_at: t.Optional(Timestamp('When the money arrived; defaults to now, cannot be in the future')),
    reference: t.Optional(t.String({ maxLength: 200, description: 'Check number, card transaction id…' })),
    notes: t.Optional(t.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)

export const PaymentQuery = t.Object({
  invoice_id: t.Optional(Id),
  client_id: t.Optional(Id),
  method: t.Optional(Method),
})

export function toPayment(row: PaymentRow) {
  return {
    id: row.id,
    invoice_id: row.invoice_id,
    client_id: row.client_id,
    amount_cents: row.amount_cents,
    currency: row.currency,
    method: row.method,
    received_at: row.received_at,
    reference: row.reference,
    notes: row.notes,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

// Webhook payloads carry these objects; the OpenAPI `webhooks` section documents them with these schemas.
