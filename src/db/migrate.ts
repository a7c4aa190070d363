import { type Kysely, type MigrationResultSet, Migrator } from 'kysely'
import { migrations } from '../../db/migrations'

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  // Features land from parallel branches, so a database may have run a later-named migration
  // before an earlier-named one arrives; each migration touches only its own tables.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true })
  const result = await migrator.migrateToLatest()
  if (result.error) throw result.error
  return result
}
