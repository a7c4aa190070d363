import { sql } from 'kysely'
import type { Db } from '../db/client'
import { transaction, type Trx } from '../db/transaction'
import { IDEMPOTENCY_TTL_MS } from '../http/idempotency'
import { idFloor } from '../ids'

export interface Retention {
  deliveryRetentionDays: number
  eventRetentionDays: number
}

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * One kind of expired row: `batch` looks at up to `limit` candidates older than `cutoff` (after
 * `from`, where the previous batch of this run stopped) in the caller's transaction and deletes
 * those it may. Each finds its rows through an index (2026-12-02T0200_retention), so a batch
 * costs what it looks at, not the size of the table.
 */
export interface PruneRule {
  name: string
  cutoff(now: Date, retention: Retention): Date
  batch(trx: Trx, cutoff: Date, limit: number, from: string | null): Promise<BatchResult>
}

export interface BatchResult {
  deleted: number
  /** Where the next batch goes on from; null when nothing is left to look at. */
  next: string | null
}

/** For rules that delete every candidate: a full batch means there may be more. */
const untilShort = (deleted: number, limit: number): BatchResult => ({ deleted, next: deleted === limit ? '' : null })

/** Finished deliveries (any status but pending: a retrying delivery is pending) and, by cascade, their attempts. */
const deliveries: PruneRule = {
  name: 'deliveries',
  cutoff: (now, r) => new Date(now.getTime() - r.deliveryRetentionDays * DAY_MS),
  async batch(trx, cutoff, limit) {
    // The literal `<> 'pending'` (not a bound parameter) is what lets SQLite use the partial index.
    const result = await trx
      .deleteFrom('deliveries')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('deliveries')
          .select('id')
          .where(sql<boolean>`status <> 'pending'`)
          .where('updated_at', '<', cutoff.toISOString())
          .orderBy('updated_at')
          .limit(limit),
      )
      .executeTakeFirst()
    return untilShort(Number(result.numDeletedRows), limit)
  },
}

/**
 * Events no pending delivery needs. Their finished deliveries go with them (a delivery log entry
 * cannot outlive the body it sent). The newest pruned id per organization is remembered, so
 * `GET /events?after=<that id or older>` still pages on from where the poller stopped.
 */
const events: PruneRule = {
  name: 'events',
  cutoff: (now, r) => new Date(now.getTime() - r.eventRetentionDays * DAY_MS),
  async batch(trx, cutoff, limit, from) {
    // Ids are time-ordered: the primary key finds the old events, no index on created_at needed.
    // Candidates are walked by id (from where the last batch stopped), so events kept for a
    // pending delivery are looked at once per run, not again by every batch.
    let query = trx.selectFrom('events').select(['id', 'org_id']).where('id', '<', idFloor('evt', cutoff))
    if (from) query = query.where('id', '>', from)
    const candidates = await query.orderBy('id').limit(limit).execute()
    if (candidates.length === 0) return { deleted: 0, next: null }
    const needed = await trx
      .selectFrom('deliveries')
      .select('event_id')
      .where('event_id', 'in', candidates.map((e) => e.id))
      .where('status', '=', 'pending')
      .execute()
    const keep = new Set(needed.map((d) => d.event_id))
    const doomed = candidates.filter((e) => !keep.has(e.id))
    const next = candidates.length === limit ? candidates[candidates.length - 1]!.id : null
    if (doomed.length === 0) return { deleted: 0, next }
    const ids = doomed.map((e) => e.id)
    await trx.deleteFrom('deliveries').where('event_id', 'in', ids).where('status', '<>', 'pending').execute()
    await trx.deleteFrom('events').where('id', 'in', ids).execute()
    const newest = new Map<string, string>()
    for (const { id, org_id } of doomed) if ((newest.get(org_id) ?? '') < id) newest.set(org_id, id)
    for (const [org_id, pruned_through] of newest) {
      await trx
        .insertInto('event_prune_marks')
        .values({ org_id, pruned_through })
        .onConflict((oc) =>
          oc.column('org_id').doUpdateSet({
            pruned_through: sql`case when excluded.pruned_through > event_prune_marks.pruned_through then excluded.pruned_through else event_prune_marks.pruned_through end`,
          }),
        )
        .execute()
    }
    return { deleted: doomed.length, next }
  },
}

const idempotencyKeys: PruneRule = {
  name: 'idempotency_keys',
  cutoff: (now) => new Date(now.getTime() - IDEMPOTENCY_TTL_MS),
  async batch(trx, cutoff, limit) {
    const result = await trx
      .deleteFrom('idempotency_keys')
      .where(
        sql<boolean>`(scope, key) in (${trx
          .selectFrom('idempotency_keys')
          .select(['scope', 'key'])
          .where('created_at', '<', cutoff.toISOString())
          .limit(limit)})`,
      )
      .executeTakeFirst()
    return untilShort(Number(result.numDeletedRows), limit)
  },
}

const sessions: PruneRule = {
  name: 'sessions',
  cutoff: (now) => now,
  async batch(trx, cutoff, limit) {
    const result = await trx
      .deleteFrom('sessions')
      .where('id', 'in', (eb) => eb.selectFrom('sessions').select('id').where('expires_at', '<', cutoff.toISOString()).limit(limit))
      .executeTakeFirst()
    return untilShort(Number(result.numDeletedRows), limit)
  },
}

export const PRUNE_RULES: PruneRule[] = [deliveries, events, idempotencyKeys, sessions]

export interface PruneOptions {
  /** How long one transaction may hold the database; the batch size adapts to stay under it. */
  targetBatchMs?: number
  /** Waits between batches, so requests queued meanwhile get the connection. */
  pause?: (lastBatchMs: number) => Promise<void>
  rules?: PruneRule[]
}

export interface PruneResult {
  deleted: Record<string, number>
  batches: number
  /** The longest single transaction, in milliseconds, and per rule. */
  longestBatchMs: number
  longestBatchMsByRule: Record<string, number>
  ms: number
}

const MIN_BATCH = 10
const MAX_BATCH = 5000

/**
 * Deletes everything past its retention in short transactions: each batch starts at the size
 * that last fitted `targetBatchMs`, halves when a batch ran over and doubles when it ran far under,
 * and the loop pauses between batches for as long as the batch held the database.
 */
export async function pruneExpired(db: Db, retention: Retention, now: Date, options: PruneOptions = {}): Promise<PruneResult> {
  const target = options.targetBatchMs ?? 4
  const pause = options.pause ?? ((ms) => Bun.sleep(Math.max(1, ms)))
  const started = performance.now()
  const result: PruneResult = { deleted: {}, batches: 0, longestBatchMs: 0, longestBatchMsByRule: {}, ms: 0 }
  let size = 200
  for (const rule of options.rules ?? PRUNE_RULES) {
    const cutoff = rule.cutoff(now, retention)
    let total = 0
    let from: string | null = null
    for (;;) {
      const limit = size
      const t0 = performance.now()
      const { deleted, next }: BatchResult = await transaction(db, (trx) => rule.batch(trx, cutoff, limit, from))
      const ms = performance.now() - t0
      result.batches++
      result.longestBatchMs = Math.max(result.longestBatchMs, ms)
      result.longestBatchMsByRule[rule.name] = Math.max(result.longestBatchMsByRule[rule.name] ?? 0, Math.round(ms * 10) / 10)
      total += deleted
      if (ms > target) size = Math.max(MIN_BATCH, Math.floor(size / 2))
      else if (ms < target / 4 && next !== null) size = Math.min(MAX_BATCH, size * 2)
      if (next === null) break
      from = next || null
      await pause(ms)
    }
    result.deleted[rule.name] = total
  }
  result.ms = Math.round(performance.now() - started)
  result.longestBatchMs = Math.round(result.longestBatchMs * 10) / 10
  return result
}
