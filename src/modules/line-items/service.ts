import type { Static } from 'elysia'
import type { Db } from '../../db/client'
import type { LineItemRow, PricebookItemRow } from '../../db/schema'
import type { Trx } from '../../db/transaction'
import { ApiError, type ErrorDetail } from '../../http/errors'
import type { Page } from '../../http/pagination'
import { newId } from '../../ids'
import {
  type DocumentTotals,
  documentTotals,
  lineAmounts,
  MAX_AMOUNT_CENTS,
  QUANTITY_DECIMALS,
  quantityToThousandths,
  withinAmountLimit,
} from '../../money/amounts'
import { type LineItemInput, type LineItemOut, toLineItem } from './model'

/** A line ready to store (every column but its identity, owner and place): copied pricebook values applied, amounts computed. */
export type ResolvedLine = Omit<LineItemRow, 'id' | 'org_id' | 'estimate_id' | 'invoice_id' | 'position' | 'created_at'>

export interface ResolvedLines {
  lines: ResolvedLine[]
  totals: DocumentTotals
}

/** Which document owns a set of lines. */
export interface LineOwner {
  column: 'estimate_id' | 'invoice_id'
  id: string
}

async function pricebookItemsById(trx: Trx, orgId: string, inputs: Static<typeof LineItemInput>[]) {
  const ids = [...new Set(inputs.flatMap((line) => (line.pricebook_item_id ? [line.pricebook_item_id] : [])))]
  if (ids.length === 0) return new Map<string, PricebookItemRow>()
  const rows = await trx.selectFrom('pricebook_items').selectAll().where('org_id', '=', orgId).where('id', 'in', ids).execute()
  return new Map(rows.map((row) => [row.id, row]))
}

function resolveLine(
  input: Static<typeof LineItemInput>,
  field: string,
  item: PricebookItemRow | undefined,
  currency: string,
  problems: ErrorDetail[],
): ResolvedLine | null {
  const fail = (name: string, message: string): null => {
    problems.push({ field: `${field}/${name}`, message })
    return null
  }
  if (input.pricebook_item_id && !item) return fail('pricebook_item_id', `no pricebook item with id ${input.pricebook_item_id}`)
  if (item && !item.active) return fail('pricebook_item_id', 'this pricebook item is archived (active: false)')
  const quantity = quantityToThousandths(input.quantity ?? 1)
  if (quantity === null) return fail('quantity', `must have at most ${QUANTITY_DECIMALS} decimals`)
  const description = input.description ?? item?.description ?? item?.name
  if (description === undefined) return fail('description', 'is required unless pricebook_item_id is given')
  const unitPrice = input.unit_price_cents ?? item?.unit_price_cents
  if (unitPrice === undefined) return fail('unit_price_cents', 'is required unless pricebook_item_id is given')
  if (input.unit_price_cents === undefined && item && item.currency !== currency) {
    return fail('pricebook_item_id', `is priced in ${item.currency}, the document is in ${currency}; give unit_price_cents`)
  }
  const taxRate = input.tax_rate_bps ?? item?.tax_rate_bps ?? 0
  const amounts = lineAmounts(quantity, BigInt(unitPrice), BigInt(taxRate))
  if (!withinAmountLimit(amounts.subtotal + amounts.tax)) {
    return fail('quantity', `quantity × unit_price_cents exceeds ${MAX_AMOUNT_CENTS} minor units`)
  }
  return {
    description,
    quantity_thousandths: Number(quantity),
    unit_price_cents: unitPrice,
    tax_rate_bps: taxRate,
    pricebook_item_id: item?.id ?? null,
    subtotal_cents: Number(amounts.subtotal),
    tax_cents: Number(amounts.tax),
  }
}

/** Totals of lines already resolved (or copied from another document). */
export function totalsOf(lines: ResolvedLine[], field = '/line_items'): DocumentTotals {
  const sums = documentTotals(lines.map((line) => ({ subtotal: BigInt(line.subtotal_cents), tax: BigInt(line.tax_cents) })))
  if (!withinAmountLimit(sums.total)) {
    throw new ApiError('validation_failed', `The document total exceeds ${MAX_AMOUNT_CENTS} minor units`, [
      { field, message: `total exceeds ${MAX_AMOUNT_CENTS} minor units` },
    ])
  }
  return { subtotal_cents: Number(sums.subtotal), tax_cents: Number(sums.tax), total_cents: Number(sums.total) }
}

/**
 * Turns the request's lines into stored values: pricebook items of this org looked up in
 * one query and copied, quantities checked, amounts computed. Every bad line is reported.
 */
export async function resolveLineItems(
  trx: Trx,
  orgId: string,
  currency: string,
  inputs: Static<typeof LineItemInput>[],
): Promise<ResolvedLines> {
  const items = await pricebookItemsById(trx, orgId, inputs)
  const problems: ErrorDetail[] = []
  const lines = inputs.map((input, i) =>
    resolveLine(input, `/line_items/${i}`, input.pricebook_item_id ? items.get(input.pricebook_item_id) : undefined, currency, problems),
  )
  if (problems.length > 0) {
    const first = problems[0]!
    throw new ApiError('validation_failed', `${first.field.slice(1)}: ${first.message}`, problems)
  }
  const resolved = lines as ResolvedLine[]
  return { lines: resolved, totals: totalsOf(resolved) }
}

/** Replaces every line of `owner` (positions from 1 in list order). */
export async function replaceLineItems(trx: Trx, orgId: string, owner: LineOwner, lines: ResolvedLine[], now: string) {
  await trx.deleteFrom('line_items').where(owner.column, '=', owner.id).execute()
  if (lines.length === 0) return
  await trx
    .insertInto('line_items')
    .values(
      lines.map((line, i) => ({
        id: newId('li'),
        org_id: orgId,
        estimate_id: owner.column === 'estimate_id' ? owner.id : null,
        invoice_id: owner.column === 'invoice_id' ? owner.id : null,
        position: i + 1,
        ...line,
        created_at: now,
      })),
    )
    .execute()
}

/** The stored lines of one document as values to copy onto another (estimate → invoice). */
export function copyOfLines(rows: LineItemRow[]): ResolvedLine[] {
  return rows.map((row) => ({
    description: row.description,
    quantity_thousandths: row.quantity_thousandths,
    unit_price_cents: row.unit_price_cents,
    tax_rate_bps: row.tax_rate_bps,
    pricebook_item_id: row.pricebook_item_id,
    subtotal_cents: row.subtotal_cents,
    tax_cents: row.tax_cents,
  }))
}

export function lineItemRowsOf(db: Trx | Db, owner: LineOwner) {
  return db.selectFrom('line_items').selectAll().where(owner.column, '=', owner.id).orderBy('position').execute()
}

/** The lines of many documents in one query (a list page), grouped by document id. */
export async function lineItemsByDocument(
  db: Trx | Db,
  column: LineOwner['column'],
  ids: string[],
): Promise<Map<string, LineItemOut[]>> {
  const grouped = new Map<string, LineItemOut[]>(ids.map((id) => [id, []]))
  if (ids.length === 0) return grouped
  const rows = await db.selectFrom('line_items').selectAll().where(column, 'in', ids).orderBy(column).orderBy('position').execute()
  for (const row of rows) grouped.get(row[column]!)?.push(toLineItem(row))
  return grouped
}

/** A page of documents with each one's lines attached (one query for the whole page, no N+1). */
export async function withLineItems<Row extends { id: string }, T>(
  db: Trx | Db,
  column: LineOwner['column'],
  page: Page<Row>,
  toDocument: (row: Row, lines: LineItemOut[]) => T,
): Promise<Page<T>> {
  const lines = await lineItemsByDocument(db, column, page.data.map((row) => row.id))
  return { ...page, data: page.data.map((row) => toDocument(row, lines.get(row.id) ?? [])) }
}
