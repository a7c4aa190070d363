import { LIST_TOTAL } from './count'

const MAX_ENTRIES = 500

/** What Kysely's SQLite driver uses of a prepared statement. */
export interface Statement {
  readonly reader: boolean
  all(...params: any[]): unknown[]
  iterate(...params: any[]): Iterator<unknown>
  run(...params: any[]): unknown
  finalize(): void
}

/**
 * List totals for SQLite. `count(*)` over a large filtered list costs O(rows) in SQLite (~130 ms over 1 M jobs,
 * BENCHMARKS.md), on every page request. Totals only change when the counted tables are
 * written, so each count is remembered until one of them is written on this connection
 * (the statement cache reports every write's table) or another connection commits anything
 * (`data_version`: the CLI, a restore tool). One per open database, inside its driver:
 * callers only run `countRows`.
 */
export class SqliteCountCache {
  readonly #totals = new Map<string, { stamp: string; rows: unknown[] }>()
  /** The tables a count reads, by its SQL: walking the query tree on every request cost more than the lookup. */
  readonly #tablesBySql = new Map<string, string[]>()
  readonly #generations = new Map<string, number>()
  /** Moves on a write whose table is unknown (raw DDL): every total is stale. */
  #everything = 0

  constructor(private readonly dataVersion: () => number) {}

  written(table: string): void {
    if (table === '*') this.#everything++
    else this.#generations.set(table, (this.#generations.get(table) ?? 0) + 1)
  }

  /**
   * A list-total statement (see `countRows`) answered from the cache while no table it reads
   * has been written since; any other statement is returned as it is.
   */
  wrap<S extends Statement>(statement: S, text: string): Statement {
    if (!text.includes(`as "${LIST_TOTAL}"`)) return statement
    let tables = this.#tablesBySql.get(text)
    if (!tables) {
      if (this.#tablesBySql.size >= MAX_ENTRIES) this.#tablesBySql.clear()
      this.#tablesBySql.set(text, (tables = tablesOf(text)))
    }
    const read = tables
    const all = (...params: any[]) => {
      const key = `${text}\u0000${JSON.stringify(params)}`
      // Read before counting: a write that lands in between leaves a stale stamp, never a stale total.
      const stamp = `${this.#everything}:${read.map((t) => this.#generations.get(t) ?? 0).join(',')}:${this.dataVersion()}`
      const hit = this.#totals.get(key)
      if (hit && hit.stamp === stamp) return hit.rows
      const rows = statement.all(...params)
      if (this.#totals.size >= MAX_ENTRIES) this.#totals.delete(this.#totals.keys().next().value!)
      this.#totals.set(key, { stamp, rows })
      return rows
    }
    return { reader: true, all, iterate: (...params) => all(...params)[Symbol.iterator](), run: (...params) => statement.run(...params), finalize: () => statement.finalize() }
  }
}

/** Every table a select reads (FROM, joins, subqueries): Kysely quotes each name it writes. */
function tablesOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\b(?:from|join)\s+"(\w+)"/gi)].map((m) => m[1]!.toLowerCase()))].sort()
}
