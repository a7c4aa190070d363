import { type OperationNode, type SelectQueryBuilder, sql } from 'kysely'
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

/** `query` is the filtered list query; its count is `count(*)` over the same FROM/WHERE. */
export async function cachedCount<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): Promise<number> {
  const countQuery = query.clearSelect().clearOrderBy().select(sql<number>`count(*)`.as('total'))
  const compiled = countQuery.compile()
  const key = `${compiled.sql}\u0000${JSON.stringify(compiled.parameters)}`
  // Read before counting: a write that lands in between leaves a stale stamp, never a stale total.
  const generations = tablesOf(query.toOperationNode()).map(tableGeneration).join(',')
  // Runs on the same connection as the count itself; no row means an empty table, where counting is free.
  const stampRow = await query
    .clearSelect()
    .clearWhere()
    .clearOrderBy()
    .select(sql<number>`(select data_version from pragma_data_version())`.as('v'))
    .limit(1)
    .executeTakeFirst()
  const stamp = stampRow ? `${generations}:${(stampRow as { v: number }).v}` : null
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
