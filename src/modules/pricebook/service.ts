import type { Static } from 'elysia'
import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import { containsText, findInOrg, sentFields, updateIfChanged } from '../../db/rows'
import { transaction, type Trx } from '../../db/transaction'
import { conflict } from '../../http/errors'
import { assertIfMatch } from '../../http/etag'
import { type PageParams, paginate } from '../../http/pagination'
import { newId } from '../../ids'
import { assertCurrency } from '../../money/currencies'
import { orgCurrency } from '../orgs/service'
import { type PricebookItemCreate, type PricebookItemPatch, type PricebookQuery, toPricebookItem } from './model'

export function listPricebookItems(db: Db, orgId: string, filters: Static<typeof PricebookQuery> & PageParams) {
  let query = db.selectFrom('pricebook_items').selectAll().where('org_id', '=', orgId)
  if (filters.kind) query = query.where('kind', '=', filters.kind)
  if (filters.active) query = query.where('active', '=', filters.active === 'true' ? 1 : 0)
  if (filters.q) query = query.where(containsText(db, ['name', 'sku'], filters.q))
  return paginate(query, 'pricebook_items.id', filters, toPricebookItem)
}

const findPricebookItem = (trx: Trx | Db, orgId: string, id: string) => findInOrg(trx, 'pricebook_items', orgId, id, 'Pricebook item')

export async function getPricebookItem(db: Db, orgId: string, id: string) {
  return toPricebookItem(await findPricebookItem(db, orgId, id))
}

export function createPricebookItem(db: Db, orgId: string, input: Static<typeof PricebookItemCreate>, clock: Clock) {
  return transaction(db, async (trx) => {
    const currency = input.currency ? assertCurrency(input.currency, '/currency') : await orgCurrency(trx, orgId)
    const now = clock.now().toISOString()
    const row = {
      id: newId('pbi'),
      org_id: orgId,
      name: input.name,
      description: input.description ?? null,
      kind: input.kind,
      unit: input.unit ?? null,
      sku: input.sku ?? null,
      unit_price_cents: input.unit_price_cents,
      currency,
      tax_rate_bps: input.tax_rate_bps ?? 0,
      active: input.active === false ? 0 : 1,
      version: 1,
      created_at: now,
      updated_at: now,
    }
    await trx.insertInto('pricebook_items').values(row).execute()
    return toPricebookItem(row)
  })
}

export function updatePricebookItem(
  db: Db,
  orgId: string,
  id: string,
  input: Static<typeof PricebookItemPatch>,
  ifMatch: string | null,
  clock: Clock,
) {
  return transaction(db, async (trx) => {
    const row = await findPricebookItem(trx, orgId, id)
    assertIfMatch(ifMatch, row.version)
    if (input.currency) assertCurrency(input.currency, '/currency')
    const { active, ...rest } = sentFields(input)
    // Documents copied this item's values when their lines were written, so they keep them.
    const changes = { ...rest, ...(active !== undefined ? { active: active ? 1 : 0 } : {}) }
    return toPricebookItem((await updateIfChanged(trx, 'pricebook_items', row, changes, clock.now().toISOString())).row)
  })
}

export function deletePricebookItem(db: Db, orgId: string, id: string) {
  return transaction(db, async (trx) => {
    await findPricebookItem(trx, orgId, id)
    const used = await trx.selectFrom('line_items').select('id').where('pricebook_item_id', '=', id).limit(1).executeTakeFirst()
    if (used) throw conflict('This pricebook item is used on estimates or invoices; archive it with PATCH {"active": false} instead')
    await trx.deleteFrom('pricebook_items').where('id', '=', id).execute()
  })
}
