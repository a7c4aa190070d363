import { Database as SqliteConnection } from 'bun:sqlite'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { type ExpressionBuilder, Kysely, type SelectQueryBuilder, SqliteAdapter, SqliteDialect, sql } from 'kysely'
import type { BackupResult, ConstraintViolation, Database, Engine, EngineAdapter } from './engine'
import { SQLITE_PRAGMAS } from './pragmas'
import type { DB } from './schema'
import { SqliteCountCache, type Statement } from './sqlite-count'

const STATEMENT_CACHE_SIZE = 500

/** The table a write statement changes, from its SQL (null: not a write). */
function writtenTable(text: string): string | null {
  const match = /^\s*(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from|replace\s+into)\s+"?([\w]+)"?/i.exec(text)
  if (match) return match[1]!.toLowerCase()
  return /^\s*(?:insert|update|delete|replace|drop|alter|create)\b/i.test(text) ? '*' : null
}

/**
 * Kysely's SQLite driver prepares every statement it runs; compiling the same SQL again
 * each time cost ~15 % of the CPU of the webhook dispatcher's hot path. Statements are
 * reused from a small LRU instead (one connection, synchronous execution: no sharing hazard).
 * Every run of a write also moves its table's generation for the list-total cache.
 */
function statementCache(connection: SqliteConnection, counts: SqliteCountCache) {
  const cache = new Map<string, { statement: Statement; table: string | null }>()
  return {
    prepare(text: string) {
      let entry = cache.get(text)
      if (entry) {
        cache.delete(text)
      } else {
        entry = { statement: counts.wrap(connection.prepare(text) as unknown as Statement, text), table: writtenTable(text) }
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          const [oldest, evicted] = cache.entries().next().value!
          cache.delete(oldest)
          evicted.statement.finalize()
        }
      }
      cache.set(text, entry)
      if (entry.table) counts.written(entry.table)
      return entry.statement
    },
    close() {
      for (const entry of cache.values()) entry.statement.finalize()
      cache.clear()
      connection.close()
    },
  }
}

const CODES: Record<string, ConstraintViolation['kind']> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
}

class SqliteEngine implements Engine {
  readonly name = 'sqlite'
  listener: (() => void) | null = null

  containsText(columns: readonly string[], text: string) {
    // LIKE is case-insensitive for ASCII in SQLite.
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    return (eb: ExpressionBuilder<any, any>) => eb.or(columns.map((column) => eb(column, 'like', sql<string>`${pattern} escape '\\'`)))
  }

  forUpdate<Q extends SelectQueryBuilder<any, any, any>>(query: Q): Q {
    // One writer: a write transaction (BEGIN IMMEDIATE) already excludes every other writer.
    return query
  }

  violation(error: unknown): ConstraintViolation | null {
    const code = typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code) : ''
    const kind = CODES[code]
    return kind ? { kind, message: (error as Error).message } : null
  }

  deliveriesQueued(): void {
    this.listener?.()
  }

  async rewriteWithoutFreeSpace(db: Kysely<any>): Promise<void> {
    // secure_delete is not enough: B-tree rebalancing leaves stale copies of rows in free space
    // long before they are changed. VACUUM rebuilds the file; TRUNCATE empties the WAL.
    await sql`VACUUM`.execute(db)
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db)
  }
}

class SqliteEngineAdapter extends SqliteAdapter implements EngineAdapter {
  constructor(readonly engine: Engine) {
    super()
  }
}

/** Opens the one writer connection, with the settings of pragmas.ts. */
export function openSqlite(path: string): Database & { connection: SqliteConnection } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const connection = new SqliteConnection(path, { create: true, strict: false })
  for (const pragma of SQLITE_PRAGMAS) connection.run(pragma)
  const dataVersion = connection.prepare('PRAGMA data_version')
  const counts = new SqliteCountCache(() => (dataVersion.get() as { data_version: number }).data_version)
  const statements = statementCache(connection, counts)
  const engine = new SqliteEngine()
  // Kysely's SqliteDialect drives bun:sqlite's statements directly (same prepare/all/run shape).
  const dialect = new SqliteDialect({ database: statements as never })
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new SqliteEngineAdapter(engine),
      createDriver: () => dialect.createDriver(),
      createIntrospector: (kysely) => dialect.createIntrospector(kysely),
      createQueryCompiler: () => dialect.createQueryCompiler(),
    },
  })
  return {
    db,
    engine,
    connection,
    onDeliveriesQueued(listener) {
      engine.listener = listener
    },
    async close() {
      dataVersion.finalize()
      await db.destroy()
    },
  }
}

/**
 * A consistent copy of a live database: VACUUM INTO reads one snapshot (WAL lets the server
 * keep writing meanwhile) and writes a compact file, which is then checked with integrity_check.
 */
export function backupSqlite(source: string, target: string, progress: (line: string) => void = () => {}): BackupResult {
  if (!existsSync(source)) throw new Error(`no database at ${source}`)
  const to = resolve(target)
  if (existsSync(to)) throw new Error(`${target} already exists; choose a new file name`)
  mkdirSync(dirname(to), { recursive: true })
  const started = performance.now()
  const db = new SqliteConnection(source, { readonly: true })
  try {
    db.run('PRAGMA busy_timeout = 5000')
    const pages = db.query<{ page_count: number }, []>('PRAGMA page_count').get()?.page_count ?? 0
    const pageSize = db.query<{ page_size: number }, []>('PRAGMA page_size').get()?.page_size ?? 4096
    progress(`copying ${(pages * pageSize / 1e6).toFixed(1)} MB from ${source}`)
    db.query('VACUUM INTO ?').run(to)
  } finally {
    db.close()
  }
  progress('checking the copy (PRAGMA integrity_check)')
  const copy = new SqliteConnection(to, { readonly: true })
  const integrity = copy.query<{ integrity_check: string }, []>('PRAGMA integrity_check').get()?.integrity_check ?? 'unknown'
  copy.close()
  return { bytes: statSync(to).size, ms: Math.round(performance.now() - started), integrity }
}
