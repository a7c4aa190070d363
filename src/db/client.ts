import type { BackupResult, Database } from './engine'
import { backupSqlite, openSqlite } from './sqlite'

export type { BackupResult, Database, Db } from './engine'

/**
 * Opens the database at `location` (today a SQLite file path, or `:memory:`). The one
 * place that picks an engine: everything else gets a `Database` and talks Kysely.
 */
export function openDatabase(location: string): Database {
  return openSqlite(location)
}

/** `crewbase backup FILE`: a consistent, checked copy of the live database. */
export function backupDatabase(location: string, target: string, progress?: (line: string) => void): Promise<BackupResult> {
  return Promise.resolve(backupSqlite(location, target, progress))
}
