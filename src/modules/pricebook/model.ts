import { t } from 'elysia'
import { JsonInteger, literals } from '../../http/fields'
import { PRICEBOOK_KINDS, type PricebookItemRow } from '../../db/schema'
import { MAX_AMOUNT_CENTS } from '../../money/amounts'
import { CurrencyCode } from '../../money/currencies'
import { TaxRateBps } from '../line-items/model'

const Kind = literals(PRICEBOOK_KINDS, { description: '`service` (labour) or `material`' })
const UnitPrice = JsonInteger({ minimum: 0, maximum: MAX_AMOUNT_CENTS, description: 'Price of one unit in minor units of `currency`', examples: [9500] })
const Name = t.String({ minLength: 1, maxLength: 200, examples: ['Plumber, per hour'] })
const Description = t.String({ maxLength: 500, description: 'Copied onto line items that use this item (else `name`)' })
const Unit = t.String({ minLength: 1, maxLength: 32, examples: ['hour'] })
const Sku = t.String({ minLength: 1, maxLength: 64 })

export const PricebookItem = t.Object(
  {
    id: t.String({ examples: ['pbi_01jd3k5q7x0000000000000000'] }),
    name: t.String(),
    description: t.Union([t.String(), t.Null()]),
    kind: Kind,
    unit: t.Union([t.String(), t.Null()]),
    sku: t.Union([t.String(), t.Null()]),
    unit_price_cents: JsonInteger(),
    currency: t.String(),
    tax_rate_bps: JsonInteger(),
    active: t.Boolean({ description: 'Archived items (false) stay on old documents but cannot be added to new lines' }),
    version: JsonInteger(),
    created_at: t.String({ format: 'date-time' }),
    updated_at: t.String({ format: 'date-time' }),
  },
  { description: 'A service or material with its unit price. Lines copy its values when added; later edits do not change them.' },
)

const optionalFields = {
  currency: t.Optional(CurrencyCode()),
  description: t.Optional(t.Union([Description, t.Null()])),
  unit: t.Optional(t.Union([Unit, t.Null()])),
  sku: t.Optional(t.Union([Sku, t.Null()])),
  tax_rate_bps: t.Optional(TaxRateBps()),
  active: t.Optional(t.Boolean()),
}
export const PricebookItemCreate = t.Object(
  { name: Name, kind: Kind, unit_price_cents: UnitPrice, ...optionalFields },
  { additionalProperties: false },
)
export const PricebookItemPatch = t.Object(
  { name: t.Optional(Name), kind: t.Optional(Kind), unit_price_cents: t.Optional(UnitPrice), ...optionalFields },
  { additionalProperties: false },
)

export const PricebookQuery = t.Object({
  kind: t.Optional(Kind),
  active: t.Optional(t.Union([t.Literal('true'), t.Literal('false')], { description: 'Only active (true) or archived (false) items' })),
  q: t.Optional(t.String({ maxLength: 200, description: 'Matches name or SKU, case-insensitive' })),
})

export function toPricebookItem(row: PricebookItemRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    kind: row.kind,
    unit: row.unit,
    sku: row.sku,
    unit_price_cents: row.unit_price_cents,
    currency: row.currency,
    tax_rate_bps: row.tax_rate_bps,
    active: row.active === 1,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}
