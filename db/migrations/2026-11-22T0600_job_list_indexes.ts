import { type Kysely, sql } from 'kysely'

// Frozen in time: never edit a migration that has shipped; add a new one.
// Date-range filters on the job list (scheduled_from/to, updated_since) sort their matches
// by id: with `id` in the index, that sort reads the index only, never the rows.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_live_org_scheduled').execute()
  await db.schema.dropIndex('jobs_live_org_updated').execute()
  await db.schema
    .createIndex('jobs_live_org_scheduled_id')
    .on('jobs')
    .columns(['org_id', 'scheduled_start', 'id'])
    .where(sql.ref('deleted_at'), 'is', null)
    .execute()
  await db.schema
    .createIndex('jobs_live_org_updated_id')
    .on('jobs')
    .columns(['org_id', 'updated_at', 'id'])
    .where(sql.ref('deleted_at'), 'is', null)
    .execute()
  // A database that was ANALYZEd has statistics for the old indexes but none for these, and
  // with half the statistics SQLite picks these even for the plain newest-first list (and
  // sorts a million rows). Give them statistics too; an unanalyzed database needs none.
  const analyzed = await sql<{ name: string }>`select name from sqlite_master where name = 'sqlite_stat1'`.execute(db)
  if (analyzed.rows.length > 0) {
    await sql`analyze jobs_live_org_scheduled_id`.execute(db)
    await sql`analyze jobs_live_org_updated_id`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_live_org_updated_id').execute()
  await db.schema.dropIndex('jobs_live_org_scheduled_id').execute()
  await db.schema.createIndex('jobs_live_org_updated').on('jobs').columns(['org_id', 'updated_at']).where(sql.ref('deleted_at'), 'is', null).execute()
  await db.schema.createIndex('jobs_live_org_scheduled').on('jobs').columns(['org_id', 'scheduled_start']).where(sql.ref('deleted_at'), 'is', null).execute()
}
