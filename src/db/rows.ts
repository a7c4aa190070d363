import type { Selectable } from 'kysely'
import { conflict, invalid, notFound } from '../errors'
import { type Db, engineOf } from './engine'
import type { DB } from './schema'
import type { Trx } from './transaction'

// Shared row plumbing for the many org-scoped resources: find within the org, check a
// reference, write a versioned change, delete without orphaning. One way each.

/** Tables whose rows belong to one organization. */
export type OrgTable = { [K in keyof DB]: DB[K] extends { id: string; org_id: string } ? K : never }[keyof DB]
/** Org tables whose rows carry `version` and `updated_at`. */
export type VersionedTable = {
  [K in OrgTable]: DB[K] extends { version: number; updated_at: string } ? K : never
}[OrgTable]

type AnyDb = Db | Trx
// Kysely cannot type a query over a table chosen at run time; these helpers take the
// table name as a parameter, so they talk to an untyped view and type their results.
const loose = (db: AnyDb) => db as unknown as import('kysely').Kysely<any>

/** The row of `table` with this id in this org, or 404 `<what> not found` (also for another org's id). */
export async function findInOrg<T extends OrgTable>(
  db: AnyDb,
  table: T,
  orgId: string,
  id: string,
  what: string,
): Promise<Selectable<DB[T]>> {
  const row = await loose(db)
    .selectFrom(table as string)
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) throw notFound(what)
  return row as Selectable<DB[T]>
}

/**
 * A reference given in a body (`client_id`…) must name a row of the caller's org: a
 * missing one and another org's one are the same 400 naming the field, so ids leak nothing.
 * Answers the row, for callers that check more than existence.
 */
export async function assertReference<T extends OrgTable>(
  db: AnyDb,
  table: T,
  orgId: string,
  id: string,
  field: string,
  what: string,
  /** `live`: a soft-deleted row (`deleted_at` set) is as good as missing. */
  options: { live?: boolean } = {},
): Promise<Selectable<DB[T]>> {
  let query = loose(db).selectFrom(table as string).selectAll().where('org_id', '=', orgId).where('id', '=', id)
  if (options.live) query = query.where('deleted_at', 'is', null)
  const row = await query.executeTakeFirst()
  if (!row) throw invalid(field, `no ${what} with id ${id}`)
  return row as Selectable<DB[T]>
}

/** Body fields that were sent (PATCH semantics: absent means unchanged, null clears). */
export function sentFields<T extends Record<string, unknown>>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>
}

/**
 * Writes `changes` to a row read earlier in the same transaction, bumping `version` and
 * `updated_at`. The `version =` guard makes a concurrent writer lose with 409 instead of
 * silently overwriting.
 */
export async function updateVersioned<T extends VersionedTable>(
  trx: Trx,
  table: T,
  row: { id: string; version: number },
  changes: Record<string, unknown>,
  now: string,
): Promise<Selectable<DB[T]>> {
  const updated = await loose(trx)
    .updateTable(table as string)
    .set({ ...changes, version: row.version + 1, updated_at: now } as never)
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .returningAll()
    .executeTakeFirst()
  if (!updated) throw conflict('It was changed by another request at the same time; read it again and retry')
  return updated as Selectable<DB[T]>
}

/**
 * The PATCH write: only when a column of `changes` differs from `row` does it write (through
 * updateVersioned); a PATCH that changes nothing answers the row as it was — same version,
 * no event. Answers `changed` so the caller records its event only for a real change.
 */
export async function updateIfChanged<T extends VersionedTable>(
  trx: Trx,
  table: T,
  row: Selectable<DB[T]>,
  changes: Record<string, unknown>,
  now: string,
): Promise<{ row: Selectable<DB[T]>; changed: boolean }> {
  const current = row as Record<string, unknown>
  if (!Object.entries(changes).some(([key, value]) => current[key] !== value)) return { row, changed: false }
  return { row: await updateVersioned(trx, table, row as unknown as { id: string; version: number }, changes, now), changed: true }
}

/**
 * Deletes one row; if anything still references it (a table this module does not know
 * about included), the database refuses and the caller gets 409 instead of an orphan.
 */
export async function deleteReferenced(trx: Trx, table: OrgTable, id: string, what: string): Promise<void> {
  try {
    await loose(trx).deleteFrom(table as string).where('id', '=', id).execute()
  } catch (error) {
    if (engineOf(trx).violation(error)?.kind === 'foreign_key') throw conflict(`${what} is still referenced by other records; remove those first`)
    throw error
  }
}

/**
 * Counts the org's rows of `table` whose `column` is `value` (with `live`, soft-deleted rows
 * do not count: they are gone for the API). `org_id` first lets the (org_id, …) indexes answer.
 */
export async function countWhere(db: AnyDb, table: OrgTable, orgId: string, column: string, value: string, live = false): Promise<number> {
  let query = loose(db)
    .selectFrom(table as string)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .where(column, '=', value)
  if (live) query = query.where('deleted_at', 'is', null)
  const row = await query.executeTakeFirst()
  return Number(row?.n ?? 0)
}

const plural = (noun: string) => (noun.endsWith('y') ? `${noun.slice(0, -1)}ies` : `${noun}s`)

/**
 * Refuses to delete `what` while rows still point at it, naming what they are:
 * "Client still has 2 jobs and 1 contact; delete or move them first".
 */
export async function assertNotReferenced(
  db: AnyDb,
  orgId: string,
  what: string,
  id: string,
  references: Array<{ table: OrgTable; column: string; label: string; live?: boolean }>,
): Promise<void> {
  const found: string[] = []
  for (const ref of references) {
    const n = await countWhere(db, ref.table, orgId, ref.column, id, ref.live)
    if (n > 0) found.push(`${n} ${n === 1 ? ref.label : plural(ref.label)}`)
  }
  if (found.length > 0) {
    const list = found.length === 1 ? found[0] : `${found.slice(0, -1).join(', ')} and ${found[found.length - 1]}`
    throw conflict(`${what} still has ${list}; delete or move them first`)
  }
}

/**
 * A per-org limit ("at most 5 active API keys"): locks the org's row for the rest of the
 * transaction, so concurrent creators in one org take turns and each counts what the others
 * committed; `count` runs after the lock. Throws 409 `message` at the limit.
 */
export async function assertOrgLimit(trx: Trx, orgId: string, max: number, count: () => Promise<number>, message: string): Promise<void> {
  await engineOf(trx).forUpdate(trx.selectFrom('orgs').select('id').where('id', '=', orgId)).execute()
  if ((await count()) >= max) throw conflict(message)
}

/**
 * Runs a write a unique index guards; if the index refuses it (another request got there
 * first), throws `error()` instead of the driver's error. The transaction rolls back with it.
 */
export async function uniqueOr<T>(trx: Trx, write: () => Promise<T>, error: () => Error): Promise<T> {
  try {
    return await write()
  } catch (cause) {
    if (engineOf(trx).violation(cause)?.kind === 'unique') throw error()
    throw cause
  }
}

/** JSON text columns (tags, metadata) back to values; a corrupt cell reads as the fallback, never a 500. */
export function parseJsonColumn<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

/** `q=` search: any of `columns` contains `text`, case-insensitively (the engine's way). */
export function containsText(db: AnyDb, columns: readonly string[], text: string) {
  return engineOf(db).containsText(columns, text)
}

/** Revokes a credential row (API key, ingress URL) once; missing, already revoked or another org's is 404. */
export async function revokeInOrg(db: AnyDb, table: 'api_keys' | 'ingress_webhooks', orgId: string, id: string, what: string, at: Date) {
  const result = await (db as Db)
    .updateTable(table)
    .set({ revoked_at: at.toISOString() })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 0) throw notFound(what)
}
