import {
  type Compilable,
  type CompiledQuery,
  DummyDriver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely'
import type { Db } from './client'
import type { DB } from './schema'
import type { Trx } from './transaction'
import { writeTracker } from './write-tracker'

/** Builds and compiles queries without a connection (Kysely's "split build and execution" recipe). */
const builder = new Kysely<DB>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
})

class Slot {
  constructor(readonly name: string) {}
}

/**
 * A query Kysely builds and compiles once; each run only binds new values. For hot paths:
 * building the same update again on every call cost ~90 µs, more than SQLite running it.
 * `build` gets a placeholder for each named value and must use each only as a value
 * (not as an `in` list, a column or a table name).
 *
 *   const markDone = preparedQuery(['id'], (db, p) => db.updateTable('x').set({ done: 1 }).where('id', '=', p.id))
 *   await markDone(trx, { id })
 */
export function preparedQuery<const Names extends string, R>(
  names: readonly Names[],
  build: (db: Kysely<DB>, slots: Record<Names, any>) => Compilable<R>,
): (executor: Db | Trx, values: Record<Names, unknown>) => Promise<QueryResult<R>> {
  const slots = Object.fromEntries(names.map((name) => [name, new Slot(name)])) as Record<Names, Slot>
  const compiled = build(builder, slots).compile()
  // Each parameter position is either a named slot or a constant the builder inlined.
  const bindings: Array<{ slot: Names } | { value: unknown }> = compiled.parameters.map((p) =>
    p instanceof Slot ? { slot: p.name as Names } : { value: p },
  )
  for (const name of names) {
    if (!bindings.some((b) => 'slot' in b && b.slot === name)) throw new Error(`preparedQuery: placeholder ${name} is not used as a value`)
  }
  // Plugins see a query when it is compiled, which here is once: tell the write tracker
  // (list-total caches) about every run of a write, as it would hear of a built one.
  const isWrite = ['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode'].includes(compiled.query.kind)
  return (executor, values) => {
    if (isWrite) writeTracker.transformQuery({ node: compiled.query, queryId: compiled.queryId })
    return executor.executeQuery<R>({
      ...compiled,
      parameters: bindings.map((b) => ('slot' in b ? values[b.slot] : b.value)),
    } as CompiledQuery<R>)
  }
}
