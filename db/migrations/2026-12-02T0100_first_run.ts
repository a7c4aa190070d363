import { type Kysely, sql } from 'kysely'

// Frozen in time: never edit a migration that has shipped; add a new one.
// First-run setup claims the one row this table can hold, in the transaction that creates the
// organization: two setups racing cannot both succeed, whichever engine runs them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('first_run')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('first_run').execute()
}
