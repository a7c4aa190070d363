import type { Selectable } from 'kysely'
import { invalid } from '../http/errors'
import type { Db } from './client'
import type { DB } from './schema'
import type { Trx } from './transaction'

/** Org-scoped tables a body may point at; `deleted_at` tables treat soft-deleted rows as gone. */
const REFERABLE = {
  clients: { label: 'client', softDelete: false },
  properties: { label: 'property', softDelete: false },
  contractors: { label: 'contractor', softDelete: false },
  jobs: { label: 'job', softDelete: true },
  estimates: { label: 'estimate', softDelete: false },
  invoices: { label: 'invoice', softDelete: false },
  pricebook_items: { label: 'pricebook item', softDelete: false },
} as const
export type ReferableTable = keyof typeof REFERABLE

/**
 * The referenced row of this org, or 400 naming `field`: an id of another organization
 * looks exactly like a missing one, so nothing leaks and no dangling row is written.
 */
export async function findReference<T extends ReferableTable>(
  trx: Trx | Db,
  table: T,
  orgId: string,
  id: string,
  field: string,
) {
  const { label, softDelete } = REFERABLE[table]
  let query = trx
    .selectFrom(table as 'clients')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
  if (softDelete) query = query.where('deleted_at' as never, 'is', null)
  const row = await query.executeTakeFirst()
  if (!row) throw invalid(field, `no ${label} ${id} in this organization`)
  return row as unknown as Selectable<DB[T]>
}
