import type { Compilable, CompiledQuery, DialectAdapter, Kysely, QueryResult } from 'kysely'
import type { Db } from './engine'
import type { DB } from './schema'
import type { Trx } from './transaction'

class Slot {
  constructor(readonly name: string) {}
}

interface Prepared {
  compiled: CompiledQuery
  bindings: Array<{ slot: string } | { value: unknown }>
}

/**
 * A query Kysely builds and compiles once per database engine; each run only binds new
 * values. For hot paths: building the same update again on every call cost ~90 µs, more
 * than SQLite running it. `build` gets a placeholder for each named value and must use
 * each only as a value (not as an `in` list, a column or a table name).
 *
 *   const markDone = preparedQuery(['id'], (db, p) => db.updateTable('x').set({ done: 1 }).where('id', '=', p.id))
 *   await markDone(trx, { id })
 */
export function preparedQuery<const Names extends string, R>(
  names: readonly Names[],
  build: (db: Kysely<DB>, slots: Record<Names, any>) => Compilable<R>,
): (executor: Db | Trx, values: Record<Names, unknown>) => Promise<QueryResult<R>> {
  const slots = Object.fromEntries(names.map((name) => [name, new Slot(name)])) as Record<Names, Slot>
  // Compiled on first use with the executor's own dialect, so nothing here knows an engine.
  const byDialect = new WeakMap<DialectAdapter, Prepared>()
  const prepare = (executor: Db | Trx): Prepared => {
    const compiled = build(executor, slots).compile()
    // Each parameter position is either a named slot or a constant the builder inlined.
    const bindings = compiled.parameters.map((p) => (p instanceof Slot ? { slot: p.name } : { value: p }))
    for (const name of names) {
      if (!bindings.some((b) => 'slot' in b && b.slot === name)) throw new Error(`preparedQuery: placeholder ${name} is not used as a value`)
    }
    return { compiled, bindings }
  }
  return (executor, values) => {
    const adapter = executor.getExecutor().adapter
    let prepared = byDialect.get(adapter)
    if (!prepared) byDialect.set(adapter, (prepared = prepare(executor)))
    const { compiled, bindings } = prepared
    return executor.executeQuery<R>({
      ...compiled,
      parameters: bindings.map((b) => ('slot' in b ? values[b.slot as Names] : b.value)),
    } as CompiledQuery<R>)
  }
}
