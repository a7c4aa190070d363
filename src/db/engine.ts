import type { Expression, ExpressionBuilder, Kysely, SelectQueryBuilder, SqlBool } from 'kysely'
import type { DB } from './schema'

/**
 * What differs between database engines, in one small interface. Everything outside
 * src/db talks Kysely plus these few operations; a second engine (PostgreSQL) is a second
 * implementation of this, never a branch in a service.
 */
export interface Engine {
  readonly name: string
  /** `q=` search: any of `columns` contains `text`, case-insensitively; `%`, `_` and `\` match themselves. */
  containsText(columns: readonly string[], text: string): (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>
  /**
   * Locks the rows a select reads until the transaction ends, so a check made on them
   * holds for the write that follows (SQLite: the transaction already holds the write lock).
   */
  forUpdate<Q extends SelectQueryBuilder<any, any, any>>(query: Q): Q
  /** A unique or foreign-key violation the driver threw, or null for any other error. */
  violation(error: unknown): ConstraintViolation | null
  /** Runs after a transaction that queued webhook deliveries commits (see Database.onDeliveriesQueued). */
  deliveriesQueued(): void
  /**
   * Rewrites storage from the live rows, so nothing overwritten or deleted lingers in free space
   * or old page images (after sealing secrets that were stored plain). Slow on a large database.
   */
  rewriteWithoutFreeSpace(db: Db): Promise<void>
}

export interface ConstraintViolation {
  kind: 'unique' | 'foreign_key'
  /** The driver's text, for logs only: it can name tables and columns. */
  message: string
}

export type Db = Kysely<DB>

/** An open database: the Kysely instance everything queries through, and its engine. */
export interface Database {
  db: Db
  engine: Engine
  /**
   * Who to tell when a transaction has queued webhook deliveries (the dispatcher's wake).
   * Wired once by whoever runs a dispatcher over this database (`serve`, tests).
   */
  onDeliveriesQueued(listener: (() => void) | null): void
  close(): Promise<void>
}

export interface BackupResult {
  bytes: number
  ms: number
  integrity: string
}

/**
 * Each engine's Kysely adapter carries its engine, so a query builder or a transaction —
 * which share their database's adapter — finds it without a lookup table.
 */
export interface EngineAdapter {
  readonly engine: Engine
}

export function engineOf(db: Kysely<any>): Engine {
  const engine = (db.getExecutor().adapter as Partial<EngineAdapter>).engine
  if (!engine) throw new Error('This Kysely instance was not opened with openDatabase')
  return engine
}
