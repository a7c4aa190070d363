import type { KyselyPlugin, OperationNode, SelectQueryBuilder } from 'kysely'
import { sql } from 'kysely'
import { tableGeneration } from './write-tracker'

/**
 * `count(*)` over a large filtered list costs O(rows) in SQLite, on every page request.
 * Totals only change when the counted tables are written, so each count is remembered
 * until one of them changes in this process (write-tracker.ts generations) or another
 * connection commits anything (`data_version`: the CLI, a restore tool).
 * SQLite-only; a PostgreSQL build would swap this for its own strategy.
 */
const MAX_ENTRIES = 500
const cache = new Map<string, { stamp: string; total: number }>()
/** The tables a count reads, by its SQL: walking the query tree on every request cost more than the lookup. */
const tablesBySql = new Map<string, string[]>()

interface Connection {
  /** Tells connections apart: two databases can hold the same query with the same values. */
  id: number
  dataVersion: () => number
}
/** The connection that compiled the last query (see countCachePlugin). */
let compiledOn: Connection | null = null
let connections = 0

/**
 * Installed on each connection's Kysely (client.ts). Compiling a query runs its plugins, so
 * right after compiling the count this says which connection it belongs to, and its
 * data_version is read there directly: building and running a stamp query through Kysely
 * cost more than the rest of a cached count together.
 */
export function countCachePlugin(dataVersion: () => number): KyselyPlugin {
  const connection: Connection = { id: ++connections, dataVersion }
  return {
    transformQuery({ node }) {
      compiledOn = connection
      return node
    },
    transformResult: ({ result }) => Promise.resolve(result),
  }
}

/** `query` is the filtered list query; its count is `count(*)` over the same FROM/WHERE. */
export async function cachedCount<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): Promise<number> {
  const countQuery = query.clearSelect().clearOrderBy().select(sql<number>`count(*)`.as('total'))
  compiledOn = null
  const compiled = countQuery.compile()
  const connection = compiledOn as Connection | null
  const key = `${compiled.sql}\u0000${JSON.stringify(compiled.parameters)}`
  // Read before counting: a write that lands in between leaves a stale stamp, never a stale total.
  let tables = tablesBySql.get(compiled.sql)
  if (!tables) {
    if (tablesBySql.size >= MAX_ENTRIES) tablesBySql.clear()
    tablesBySql.set(compiled.sql, (tables = tablesOf(query.toOperationNode())))
  }
  const generations = tables.map(tableGeneration).join(',')
  // A connection opened without the plugin is never cached: its count runs every time.
  const stamp = connection ? `${connection.id}:${generations}:${connection.dataVersion()}` : null
  const hit = cache.get(key)
  if (stamp && hit && hit.stamp === stamp) return hit.total
  const total = Number((await countQuery.executeTakeFirst() as { total?: number } | undefined)?.total ?? 0)
  if (stamp) {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!)
    cache.set(key, { stamp, total })
  }
  return total
}

/** Every table a select reads (FROM, joins, and subqueries), for its cache stamp. */
function tablesOf(node: OperationNode): string[] {
  const found = new Set<string>()
  const walk = (value: unknown) => {
    if (!value || typeof value !== 'object') return
    if (Array.isArray(value)) return value.forEach(walk)
    const n = value as { kind?: string; table?: { identifier?: { name?: string } } }
    if (n.kind === 'TableNode' && n.table?.identifier?.name) found.add(n.table.identifier.name)
    for (const child of Object.values(value)) walk(child)
  }
  walk(node)
  return [...found].sort()
}
