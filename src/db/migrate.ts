import { type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely'
import { migrations } from '../../db/migrations'

/**
 * Every migration already applied: one query instead of the Migrator's own checks, which
 * introspect every table and column at each start (~5-8 ms of `serve`'s start-up, bench/profiles).
 * Applied migrations are never undone, so a database found up to date stays so.
 */
async function upToDate(db: Kysely<any>): Promise<boolean> {
  const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db).catch(() => null)
  if (!applied) return false
  const names = new Set(applied.rows.map((row) => row.name))
  return Object.keys(migrations).every((name) => names.has(name))
}

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  if (await upToDate(db)) return { results: [] }
  // Features land from parallel branches, so a database may have run a later-named migration
  // before an earlier-named one arrives; each migration touches only its own tables.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true })
  const result = await migrator.migrateToLatest()
  if (result.error) throw result.error
  return result
}
