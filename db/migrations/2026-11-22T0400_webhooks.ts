import type { Kysely } from 'kysely'

// Frozen in time: never edit a migration that has shipped; add a new one.
// Outbound webhooks: endpoints, the transactional outbox (deliveries) and the attempt log.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull().defaultTo('{}'))
    // The signing secret must be usable to sign, so it cannot be stored as a hash.
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('previous_secret', 'text')
    .addColumn('previous_secret_expires_at', 'text')
    .addColumn('debounce_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('disabled_reason', 'text')
    .addColumn('disabled_at', 'text')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failing_since', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('webhook_endpoints_org').on('webhook_endpoints').columns(['org_id', 'id']).execute()

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    // Only for events with no row in `events` (webhook.test): the body as sent.
    .addColumn('payload', 'text')
    // `<type>:<resource id>` while a debounced *.updated delivery waits for its window to close.
    .addColumn('coalesce_key', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('next_trigger', 'text', (c) => c.notNull())
    .addColumn('attempt_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  // The dispatcher's due query (status = 'pending' AND next_attempt_at <= now ORDER BY
  // next_attempt_at), covering: it reads only the index. Then it loads what it leased by token.
  await db.schema
    .createIndex('deliveries_due')
    .on('deliveries')
    .columns(['status', 'next_attempt_at', 'endpoint_id', 'id'])
    .execute()
  await db.schema.createIndex('deliveries_lease').on('deliveries').column('lease_token').where('lease_token', 'is not', null).execute()
  await db.schema.createIndex('deliveries_endpoint').on('deliveries').columns(['endpoint_id', 'id']).execute()
  await db.schema.createIndex('deliveries_endpoint_status').on('deliveries').columns(['endpoint_id', 'status', 'id']).execute()
  await db.schema
    .createIndex('deliveries_coalesce')
    .on('deliveries')
    .columns(['endpoint_id', 'coalesce_key'])
    .where('coalesce_key', 'is not', null)
    .execute()

  await db.schema
    .createTable('delivery_attempts')
    // Never shown (attempts are numbered per delivery): an integer key spares an index per row.
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('deliveries.id').onDelete('cascade'))
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('succeeded', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('error_message', 'text')
    .addColumn('response_excerpt', 'text')
    .execute()
  await db.schema.createIndex('delivery_attempts_delivery').on('delivery_attempts').columns(['delivery_id', 'number']).execute()
  // Endpoint health (success rate over a window, last success, last attempt) without a write per attempt.
  await db.schema
    .createIndex('delivery_attempts_endpoint')
    .on('delivery_attempts')
    .columns(['endpoint_id', 'succeeded', 'started_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['delivery_attempts', 'deliveries', 'webhook_endpoints']) {
    await db.schema.dropTable(table).execute()
  }
}
