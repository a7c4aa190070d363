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

const STATEMENT_CACHE_SIZE = 500

/**
 * Kysely's SQLite driver prepares every statement it runs; compiling the same SQL again
 * each time cost ~15 % of the CPU of the webhook dispatcher's hot path. Statements are
 * reused from a small LRU instead (one connection, synchronous execution: no sharing hazard).
 */
function withStatementCache(sqlite: Database) {
  const cache = new Map<string, ReturnType<Database['prepare']>>()
  return {
    prepare(sql: string) {
      let statement = cache.get(sql)
      if (statement) {
        cache.delete(sql)
      } else {
        statement = sqlite.prepare(sql)
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          const [oldest, evicted] = cache.entries().next().value!
          cache.delete(oldest)
          evicted.finalize()
        }
      }
      cache.set(sql, statement)
      return statement
    },
    close() {
      for (const statement of cache.values()) statement.finalize()
      cache.clear()
      sqlite.close()
    },
  }
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
  // A checkpoint (two fsyncs) every 16 MB of WAL instead of every 4 MB: at the default, the
  // checkpoints inside commits were two thirds of all commit time under a webhook storm.
  sqlite.run('PRAGMA wal_autocheckpoint = 4000')
  // Kysely's SqliteDialect drives bun:sqlite's statements directly (same prepare/all/run shape).
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) as never }), plugins: [writeTracker] })
  return {
    db,
    sqlite,
    async close() {
      await db.destroy()
    },
  }
}
