import type { TProperties, TSchema, TString } from '@sinclair/typebox'
import { t } from 'elysia'
import { JsonInteger, Nullable } from '../../http/fields'
import { CurrencyCode } from '../../money/currencies'
import type { LineItemRow } from '../../db/schema'
import { MAX_AMOUNT_CENTS, MAX_QUANTITY, QUANTITY_DECIMALS, thousandthsToQuantity } from '../../money/amounts'

export const MAX_LINE_ITEMS = 200

export const ROUNDING_RULE =
  'Per line: `subtotal_cents = round_half_away_from_zero(quantity × unit_price_cents)`, ' +
  '`tax_cents = round_half_away_from_zero(subtotal_cents × tax_rate_bps / 10000)`, `total_cents = subtotal_cents + tax_cents`. ' +
  'The document’s `subtotal_cents` and `tax_cents` are the sums of its lines’; `total_cents = subtotal_cents + tax_cents`. ' +
  'Computed in exact integer arithmetic, never floating point.'

const AmountCents = (description: string) => JsonInteger({ minimum: 0, maximum: MAX_AMOUNT_CENTS, description })
const TAX_RATE = 'Tax rate in basis points: 825 = 8.25 %, 10000 = 100 %'
export const TaxRateBps = (description = TAX_RATE) => JsonInteger({ minimum: 0, maximum: 10_000, description, examples: [825] })

export const LineItemInput = t.Object(
  {
    pricebook_item_id: t.Optional(
      t.String({
        maxLength: 64,
        description:
          'Copy description, unit price and tax rate from this pricebook item now (fields given here win); later pricebook edits do not change this line',
      }),
    ),
    description: t.Optional(t.String({ minLength: 1, maxLength: 500, description: 'Required unless a pricebook item is given' })),
    quantity: t.Optional(
      t.Number({
        exclusiveMinimum: 0,
        maximum: MAX_QUANTITY,
        description: `Defaults to 1; up to ${QUANTITY_DECIMALS} decimals (1.5 hours)`,
        examples: [1.5],
      }),
    ),
    unit_price_cents: t.Optional(AmountCents('Price of one unit in minor units; required unless a pricebook item is given')),
    tax_rate_bps: t.Optional(TaxRateBps(`${TAX_RATE}; defaults to the pricebook item’s, else 0`)),
  },
  { additionalProperties: false },
)

export const LineItemsInput = t.Array(LineItemInput, {
  maxItems: MAX_LINE_ITEMS,
  description: `The whole list, in order (at most ${MAX_LINE_ITEMS}); on PATCH it replaces every line. Only while the document is a draft.`,
})

export const LineItem = t.Object(
  {
    id: t.String({ examples: ['li_01jd3k5q7x0000000000000000'] }),
    position: JsonInteger({ description: 'Order on the document, from 1' }),
    description: t.String(),
    quantity: t.Number(),
    unit_price_cents: JsonInteger(),
    tax_rate_bps: JsonInteger(),
    pricebook_item_id: t.Union([t.String(), t.Null()]),
    subtotal_cents: JsonInteger({ description: 'round_half_away_from_zero(quantity × unit_price_cents)' }),
    tax_cents: JsonInteger({ description: 'round_half_away_from_zero(subtotal_cents × tax_rate_bps / 10000)' }),
    total_cents: JsonInteger({ description: 'subtotal_cents + tax_cents' }),
  },
  { description: `A line of an estimate or invoice. ${ROUNDING_RULE}` },
)

export function toLineItem(row: LineItemRow) {
  return {
    id: row.id,
    position: row.position,
    description: row.description,
    quantity: thousandthsToQuantity(row.quantity_thousandths),
    unit_price_cents: row.unit_price_cents,
    tax_rate_bps: row.tax_rate_bps,
    pricebook_item_id: row.pricebook_item_id,
    subtotal_cents: row.subtotal_cents,
    tax_cents: row.tax_cents,
    total_cents: row.subtotal_cents + row.tax_cents,
  }
}

export type LineItemOut = ReturnType<typeof toLineItem>

/** Fields every document (estimate, invoice) carries for its totals. */
export const documentTotalsSchema = {
  subtotal_cents: JsonInteger({ description: 'Sum of the lines’ subtotal_cents' }),
  tax_cents: JsonInteger({ description: 'Sum of the lines’ tax_cents' }),
  total_cents: JsonInteger({ description: 'subtotal_cents + tax_cents' }),
}

// ── what estimates and invoices (the money documents) share in their request bodies ──

const DocumentId = t.String({ maxLength: 64 })
const DocumentNotes = t.String({ maxLength: 5000 })

/**
 * A document's create and PATCH bodies: the fields every document has (job, title, notes,
 * currency, line items) with its own between them; `client_id` is required on create only.
 */
export function documentBodies<Own extends TProperties>(title: TString, own: Own) {
  const fields = {
    job_id: t.Optional(Nullable(DocumentId)),
    title: t.Optional(Nullable(title)),
    notes: t.Optional(Nullable(DocumentNotes)),
    currency: t.Optional(CurrencyCode()),
    ...own,
    line_items: t.Optional(LineItemsInput),
  }
  return {
    create: t.Object({ client_id: DocumentId, ...fields }, { additionalProperties: false }),
    patch: t.Object({ client_id: t.Optional(DocumentId), ...fields }, { additionalProperties: false }),
  }
}

/** A document list's filters. */
export const documentQuery = <S extends TSchema>(status: S) =>
  t.Object({ status: t.Optional(status), client_id: t.Optional(DocumentId), job_id: t.Optional(DocumentId) })

/** The body of a transition that may say why (decline, void). */
export const reasonBody = (description: string) =>
  t.Object({ reason: t.Optional(t.String({ maxLength: 1000, description })) }, { additionalProperties: false })
