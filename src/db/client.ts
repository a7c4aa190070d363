import { Database } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Kysely, SqliteDialect } from 'kysely'
import { countCachePlugin } from './count-cache'
import { SQLITE_PRAGMAS } from './pragmas'
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

/** Opens the one writer connection. */
export function openDatabase(path: string): DatabaseHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path, { create: true, strict: false })
  for (const pragma of SQLITE_PRAGMAS) sqlite.run(pragma)
  // Kysely's SqliteDialect drives bun:sqlite's statements directly (same prepare/all/run shape).
  const statements = withStatementCache(sqlite)
  const dataVersion = () => (statements.prepare('PRAGMA data_version').get() as { data_version: number }).data_version
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: statements as never }),
    plugins: [writeTracker, countCachePlugin(dataVersion)],
  })
  return {
    db,
    sqlite,
    async close() {
      await db.destroy()
    },
  }
}
