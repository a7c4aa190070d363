import type { Selectable, SelectQueryBuilder } from 'kysely'
import type { Clock } from '../clock'
import type { EventType } from '../events/catalog'
import { changedFields, recordEvent } from '../events/record'
import { assertIfMatch } from '../http/etag'
import { type Page, type PageParams, paginate } from '../http/pagination'
import { newId } from '../ids'
import type { Db } from '../db/client'
import { containsText, deleteReferenced, findInOrg, updateIfChanged, type VersionedTable } from '../db/rows'
import type { DB } from '../db/schema'
import { transaction, type Trx } from '../db/transaction'

/**
 * What differs between the plain org-scoped resources (clients, contacts, properties,
 * contractors…): their table, mapping and checks. Everything else — org scoping, versions,
 * If-Match, events in the same transaction, refusing to orphan rows — is written once in
 * `defineResource`.
 */
export interface ResourceConfig<T extends VersionedTable, Item extends { id: string }, Create, Patch, Filters> {
  table: T
  /** Id prefix, e.g. `cli`. */
  idPrefix: string
  /** Singular, capitalized: "Client" (used in "Client not found"). */
  name: string
  toItem(row: Selectable<DB[T]>): Item
  /** Create body → columns (without id, org, version, timestamps); checks references. */
  toInsert(trx: Trx, orgId: string, input: Create): Promise<Record<string, unknown>> | Record<string, unknown>
  /** PATCH body → changed columns; checks references against the current row. */
  toChanges(trx: Trx, orgId: string, input: Patch, row: Selectable<DB[T]>): Promise<Record<string, unknown>> | Record<string, unknown>
  /** Columns `q=` searches (case-insensitive contains). */
  searchColumns?: readonly string[]
  /** Narrows the list by the query's other filters. */
  filter?(query: SelectQueryBuilder<DB, T, Selectable<DB[T]>>, filters: Filters): SelectQueryBuilder<DB, T, Selectable<DB[T]>>
  events?: { created?: EventType; updated?: EventType }
  /** Throws 409 when deleting would orphan something the database cannot see. */
  beforeDelete?(trx: Trx, orgId: string, row: Selectable<DB[T]>): Promise<void>
}

export interface ResourceService<Item, Create, Patch, Filters> {
  list(db: Db, orgId: string, query: Filters & PageParams & { q?: string }): Promise<Page<Item>>
  get(db: Db | Trx, orgId: string, id: string): Promise<Item>
  create(trx: Trx, orgId: string, input: Create, clock: Clock): Promise<Item>
  update(db: Db, orgId: string, id: string, input: Patch, ifMatch: string | null, clock: Clock): Promise<Item>
  /** `clock` for services whose delete also changes other rows (most ignore it). */
  remove(db: Db, orgId: string, id: string, clock: Clock): Promise<void>
}

export function defineResource<T extends VersionedTable, Item extends { id: string }, Create, Patch, Filters = object>(
  config: ResourceConfig<T, Item, Create, Patch, Filters>,
): ResourceService<Item, Create, Patch, Filters> {
  const { table, name } = config
  const anyDb = (db: Db | Trx) => db as unknown as Db
  return {
    list(db, orgId, query) {
      let select = anyDb(db)
        .selectFrom(table as 'clients')
        .selectAll()
        .where('org_id', '=', orgId) as unknown as SelectQueryBuilder<DB, T, Selectable<DB[T]>>
      if (config.filter) select = config.filter(select, query)
      if (query.q && config.searchColumns) select = select.where(containsText(db, config.searchColumns, query.q))
      return paginate<DB, T, Selectable<DB[T]> & { id: string }, Item>(select as never, `${table}.id`, query, config.toItem)
    },

    async get(db, orgId, id) {
      return config.toItem(await findInOrg(db, table, orgId, id, name))
    },

    create(trx, orgId, input, clock) {
      return (async () => {
        const now = clock.now()
        const columns = await config.toInsert(trx, orgId, input)
        const row = {
          id: newId(config.idPrefix),
          org_id: orgId,
          ...columns,
          version: 1,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        }
        const inserted = await anyDb(trx)
          .insertInto(table as 'clients')
          .values(row as never)
          .returningAll()
          .executeTakeFirstOrThrow()
        const item = config.toItem(inserted as unknown as Selectable<DB[T]>)
        if (config.events?.created) await recordEvent(trx, { orgId, type: config.events.created, object: item, at: now })
        return item
      })()
    },

    update(db, orgId, id, input, ifMatch, clock) {
      return transaction(db, async (trx) => {
        const row = await findInOrg(trx, table, orgId, id, name)
        assertIfMatch(ifMatch, (row as { version: number }).version)
        const changes = await config.toChanges(trx, orgId, input, row)
        const before = config.toItem(row)
        const now = clock.now()
        const updated = await updateIfChanged(trx, table, row, changes, now.toISOString())
        if (!updated.changed) return before
        const after = config.toItem(updated.row)
        if (config.events?.updated) {
          await recordEvent(trx, { orgId, type: config.events.updated, object: after, previous: changedFields(before, after), at: now })
        }
        return after
      })
    },

    remove(db, orgId, id) {
      return transaction(db, async (trx) => {
        const row = await findInOrg(trx, table, orgId, id, name)
        await config.beforeDelete?.(trx, orgId, row)
        await deleteReferenced(trx, table, id, name)
      })
    },
  }
}
