import { type Kysely, type MigrationResultSet, Migrator } from 'kysely'
import { migrations } from '../../db/migrations'

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const result = await migrator.migrateToLatest()
  if (result.error) throw result.error
  return result
}
