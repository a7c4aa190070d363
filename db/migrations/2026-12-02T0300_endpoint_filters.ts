import type { Kysely } from 'kysely'

// Frozen in time: never edit a migration that has shipped; add a new one.
// Subscribers on their own terms: a payload filter and a send-rate ceiling per endpoint.
export async function up(db: Kysely<any>): Promise<void> {
  // JSON text of a checked filter (src/outbox/payload-filter.ts); null receives every subscribed event.
  await db.schema.alterTable('webhook_endpoints').addColumn('filter', 'text').execute()
  // Deliveries per second at most; null is unlimited.
  await db.schema.alterTable('webhook_endpoints').addColumn('rate_limit_per_second', 'integer').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').dropColumn('rate_limit_per_second').execute()
  await db.schema.alterTable('webhook_endpoints').dropColumn('filter').execute()
}
