import { sql } from 'kysely'
import type { Db } from './client'

/**
 * Rewrites the database file from its live rows (VACUUM) and truncates the WAL, so nothing that
 * was overwritten or deleted lingers in free space or in old page images. secure_delete is not
 * enough: B-tree rebalancing leaves stale copies of rows behind long before they are changed.
 * Takes time and free disk in proportion to the file; for one-off rewrites such as sealing
 * secrets that were stored plain.
 */
export async function compactDatabase(db: Db): Promise<void> {
  await sql`VACUUM`.execute(db)
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db)
}
