import { type SelectQueryBuilder, sql } from 'kysely'

/**
 * `count(*)` over a large filtered list costs O(rows) in SQLite, on every page request.
 * Totals only change when something is written, so each count is remembered until the
 * database changes: `total_changes()` moves on every write of our connection and
 * `data_version` on every commit by another connection (the CLI, a restore tool).
 * SQLite-only; a PostgreSQL build would swap this for its own strategy.
 */
const MAX_ENTRIES = 500
const cache = new Map<string, { stamp: string; total: number }>()

/** `query` is the filtered list query; its count is `count(*)` over the same FROM/WHERE. */
export async function cachedCount<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): Promise<number> {
  const countQuery = query.clearSelect().clearOrderBy().select(sql<number>`count(*)`.as('total'))
  const compiled = countQuery.compile()
  const key = `${compiled.sql}\u0000${JSON.stringify(compiled.parameters)}`
  // Runs on the same connection as the count itself; no row means an empty table, where counting is free.
  const stampRow = await query
    .clearSelect()
    .clearWhere()
    .clearOrderBy()
    .select([sql<number>`total_changes()`.as('c'), sql<number>`(select data_version from pragma_data_version())`.as('v')])
    .limit(1)
    .executeTakeFirst()
  const stamp = stampRow ? `${(stampRow as { c: number }).c}:${(stampRow as { v: number }).v}` : null
  const hit = cache.get(key)
  if (stamp && hit && hit.stamp === stamp) return hit.total
  const total = Number((await countQuery.executeTakeFirst() as { total?: number } | undefined)?.total ?? 0)
  if (stamp) {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!)
    cache.set(key, { stamp, total })
  }
  return total
}
