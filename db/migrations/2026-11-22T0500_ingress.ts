import type { Kysely } from 'kysely'

// Frozen in time: never edit a migration that has shipped; add a new one.
// Inbound ingress URLs (PRODUCT.md §4) and the activities they receive.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ingress_webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.references('jobs.id').onDelete('set null'))
    // sha256 of the token; the token itself is never stored.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // The default member of received activities; a removed user leaves it null.
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_received_at', 'text')
    .addColumn('received_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('revoked_at', 'text')
    .execute()
  await db.schema.createIndex('ingress_webhooks_org').on('ingress_webhooks').columns(['org_id', 'id']).execute()

  await db.schema
    .createTable('activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('ingress_webhook_id', 'text', (c) => c.notNull().references('ingress_webhooks.id'))
    .addColumn('job_id', 'text', (c) => c.references('jobs.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text')
    .addColumn('trigger', 'text')
    .addColumn('event', 'text')
    // The member as resolved when the activity arrived: history, so no foreign key.
    .addColumn('member_type', 'text')
    .addColumn('member_id', 'text')
    .addColumn('member_email', 'text')
    .addColumn('external_id', 'text')
    .addColumn('metadata', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  // One activity per externalId per URL, even under concurrent retries (NULLs never collide).
  await db.schema
    .createIndex('activities_ingress_external')
    .unique()
    .on('activities')
    .columns(['ingress_webhook_id', 'external_id'])
    .execute()
  await db.schema.createIndex('activities_org').on('activities').columns(['org_id', 'id']).execute()
  await db.schema.createIndex('activities_org_job').on('activities').columns(['org_id', 'job_id', 'id']).execute()
  await db.schema.createIndex('activities_org_external').on('activities').columns(['org_id', 'external_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('activities').execute()
  await db.schema.dropTable('ingress_webhooks').execute()
}
