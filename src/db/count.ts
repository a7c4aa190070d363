import { type SelectQueryBuilder, sql } from 'kysely'

/** The alias of a list total; an engine may answer statements that select it from a cache. */
export const LIST_TOTAL = 'list_total'

/** `count(*)` over a list's filtered select: what `pagination.total` shows. */
export async function countRows(query: SelectQueryBuilder<any, any, any>): Promise<number> {
  const row = await query.clearSelect().clearOrderBy().select(sql<number>`count(*)`.as(LIST_TOTAL)).executeTakeFirst()
  return Number((row as Record<string, unknown> | undefined)?.[LIST_TOTAL] ?? 0)
}
