import { type SelectQueryBuilder, sql } from 'kysely'

/** The alias of a list total; an engine may answer statements that select it from a cache. */
export const LIST_TOTAL = 'list_total'

/** The `count(*)` over a list's filtered select, not yet run. */
export function countQuery(query: SelectQueryBuilder<any, any, any>) {
  return query.clearSelect().clearOrderBy().select(sql<number>`count(*)`.as(LIST_TOTAL))
}

/** The total a count's row holds. */
export const totalOf = (row: unknown): number => Number((row as Record<string, unknown> | undefined)?.[LIST_TOTAL] ?? 0)

/** `count(*)` over a list's filtered select: what `pagination.total` shows. */
export async function countRows(query: SelectQueryBuilder<any, any, any>): Promise<number> {
  return totalOf(await countQuery(query).executeTakeFirst())
}
