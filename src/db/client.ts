import { Database } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Kysely, SqliteDialect } from 'kysely'
import type { DB } from './schema'
import { writeTracker } from './write-tracker'

export type Db = Kysely<DB>

export interface DatabaseHandle {
  db: Db
  /** The raw connection, for the few SQLite-only operations of this folder (backup, pragmas). */
  sqlite: Database
  close(): Promise<void>
}

/**
 * Opens the one writer connection. PRAGMA order matters: busy_timeout first so the
 * others wait for a lock instead of failing, then WAL, NORMAL sync and foreign keys.
 */
export function openDatabase(path: string): DatabaseHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path, { create: true, strict: false })
  sqlite.run('PRAGMA busy_timeout = 5000')
  sqlite.run('PRAGMA journal_mode = WAL')
  sqlite.run('PRAGMA synchronous = NORMAL')
  sqlite.run('PRAGMA foreign_keys = ON')
  // Kysely's SqliteDialect drives bun:sqlite's Database directly (same prepare/all/run shape).
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite as never }), plugins: [writeTracker] })
  return {
    db,
    sqlite,
    async close() {
      await db.destroy()
    },
  }
}
