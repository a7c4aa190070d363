import { type RawBuilder, sql } from 'kysely'

/**
 * `column` contains `text`, case-insensitively, with `%` and `_` in the text taken
 * literally. Portable SQL (lower + LIKE … ESCAPE), so it runs on SQLite and PostgreSQL.
 */
export function containsText(column: string, text: string): RawBuilder<boolean> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`
}
