import { type Kysely, sql } from 'kysely'

// Frozen in time: never edit a migration that has shipped; add a new one.
// Retention (src/maintenance/prune.ts) finds what it may delete through an index each, so a
// batch reads only the rows it removes, however large the tables have grown.
export async function up(db: Kysely<any>): Promise<void> {
  // Finished deliveries by the time they last changed (a redelivery restarts their clock).
  // Pending ones are never pruned and so are not in the index.
  await db.schema
    .createIndex('deliveries_finished')
    .on('deliveries')
    .columns(['updated_at', 'id'])
    .where(sql<boolean>`status <> 'pending'`)
    .execute()
  // An event is kept while a pending delivery needs its body; its finished deliveries go with it.
  await db.schema.createIndex('deliveries_event').on('deliveries').column('event_id').execute()
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute()
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute()
  // The newest event id pruned per organization: an `after=` id at or below it was a real
  // event once, so the feed pages on from it although the row is gone.
  await db.schema
    .createTable('event_prune_marks')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('orgs.id'))
    .addColumn('pruned_through', 'text', (c) => c.notNull())
    .execute()
  // The last run of each scheduled maintenance job (retention, backups), for the settings page:
  // a failure is shown there, not only in a log nobody reads.
  await db.schema
    .createTable('maintenance_runs')
    .addColumn('job', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('last_ok_at', 'text')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('maintenance_runs').execute()
  await db.schema.dropTable('event_prune_marks').execute()
  for (const index of ['sessions_expires', 'idempotency_keys_created', 'deliveries_event', 'deliveries_finished']) {
    await db.schema.dropIndex(index).execute()
  }
}
