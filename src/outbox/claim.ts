import { randomUUID } from 'node:crypto'
import type { Db } from '../db/client'
import { preparedQuery } from '../db/prepared'
import type { Kysely } from 'kysely'
import type { AttemptTrigger, DB } from '../db/schema'
import { transaction, type Trx } from '../db/transaction'
import type { RateGate, RateSlot } from './rate-gate'

/** A delivery this process holds a lease on, with what it needs to build the request. */
export interface ClaimedDelivery {
  id: string
  org_id: string
  endpoint_id: string
  event_id: string
  event_type: string
  trigger: AttemptTrigger
  attempt_count: number
  failures: number
  lease_token: string
  /** The body as sent: the stored payload (webhook.test) or built from the event row. */
  body: string | null
  url: string
  headers: string
  secret: string
  previous_secret: string | null
  previous_secret_expires_at: string | null
  enabled: number
  /** The endpoint's rate-limit slot this attempt holds (null without a limit). */
  rateSlot?: RateSlot | null
}

// The dispatcher's statements, compiled once: they run for every delivery.
const deliveryWithEndpoint = (db: Parameters<Parameters<typeof preparedQuery>[1]>[0]) =>
  db
    .selectFrom('deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .leftJoin('events as ev', 'ev.id', 'd.event_id')
    .select([
      'd.id',
      'd.org_id',
      'd.endpoint_id',
      'd.event_id',
      'd.event_type',
      'd.next_trigger as trigger',
      'd.attempt_count',
      'd.failures',
      'd.lease_token',
      'd.payload',
      'ev.created_at as event_created_at',
      'ev.data as event_data',
      'e.url',
      'e.headers',
      'e.secret',
      'e.previous_secret',
      'e.previous_secret_expires_at',
      'e.enabled',
    ])
const selectOne = preparedQuery(['id'], (db, p) => deliveryWithEndpoint(db).where('d.id', '=', p.id))
const selectLeased = preparedQuery(['token'], (db, p) => deliveryWithEndpoint(db).where('d.lease_token', '=', p.token))
const dueQuery = (db: Kysely<DB>, now: unknown, limit: unknown) =>
  db
    .selectFrom('deliveries as d')
    // The endpoint's row by primary key, for its send ceiling.
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select(['d.id', 'd.endpoint_id', 'e.rate_limit_per_second'])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now as string)
    .orderBy('d.next_attempt_at')
    .limit(limit as number)
const selectDue = preparedQuery(['now', 'limit'], (db, p) => dueQuery(db, p.now, p.limit))

/**
 * Due deliveries, oldest first, skipping endpoints already at their in-flight limit or
 * their rate ceiling, so a backlog at one endpoint cannot hide the deliveries of others.
 */
async function dueDeliveries(trx: Trx, now: string, limit: number, heldBack: string[]) {
  if (heldBack.length === 0) return (await selectDue(trx, { now, limit })).rows
  return dueQuery(trx, now, limit).where('d.endpoint_id', 'not in', heldBack).execute()
}

/** One statement leasing `count` deliveries by id (compiled once per count). */
const leaseStatements = new Map<number, ReturnType<typeof compileLease>>()
const idSlots = (count: number) => Array.from({ length: count }, (_, i) => `id${i}`)
function compileLease(count: number) {
  return preparedQuery(['now', 'leaseUntil', 'token', ...idSlots(count)], (db, p) =>
    db
      .updateTable('deliveries')
      .set({ lease_until: p.leaseUntil, lease_token: p.token, next_attempt_at: p.leaseUntil, coalesce_key: null })
      .where(
        'id',
        'in',
        idSlots(count).map((slot) => p[slot]),
      )
      // Still due and not leased meanwhile. Only pending deliveries have a next_attempt_at, so
      // this also means pending — and leaving `status` out keeps the planner on the primary
      // key instead of range-scanning the due index over the whole backlog.
      .where('next_attempt_at', '<=', p.now),
  )
}
function takeLeases(trx: Trx, ids: string[], values: { now: string; leaseUntil: string; token: string }) {
  let statement = leaseStatements.get(ids.length)
  if (!statement) leaseStatements.set(ids.length, (statement = compileLease(ids.length)))
  return statement(trx, { ...values, ...Object.fromEntries(ids.map((id, i) => [`id${i}`, id])) })
}

type Row = Awaited<ReturnType<typeof selectOne>>['rows'][number]

function toClaimed({ payload, event_created_at, event_data, lease_token, ...row }: Row): ClaimedDelivery {
  return {
    ...row,
    lease_token: lease_token ?? '',
    body:
      payload ??
      (event_data === null || event_created_at === null
        ? null
        : // Built by hand around the stored JSON: no re-parse, and the same bytes on every retry.
          `{"id":${JSON.stringify(row.event_id)},"type":${JSON.stringify(row.event_type)},"created_at":${JSON.stringify(event_created_at)},"org_id":${JSON.stringify(row.org_id)},"data":${event_data}}`),
  }
}

/** A delivery with what sending it needs (for one the caller has just leased itself). */
export async function loadDelivery(db: Db | Trx, id: string): Promise<ClaimedDelivery | null> {
  const [row] = (await selectOne(db, { id })).rows
  return row ? toClaimed(row) : null
}

export interface ClaimOptions {
  now: Date
  leaseMs: number
  limit: number
  /** In-flight attempts per endpoint right now, and the most one endpoint may have. */
  inFlightByEndpoint: ReadonlyMap<string, number>
  perEndpoint: number
  /** Per-endpoint send ceilings; each claimed delivery takes a slot. */
  rateGate?: RateGate
}

/**
 * Leases up to `limit` due deliveries. While leased, a delivery's `next_attempt_at` is the
 * lease's end, so the plain due query skips it until then — and if this process dies
 * mid-attempt, the delivery is due again when the lease runs out and goes out with the
 * same id. One transaction, and each lease re-checks what the select saw.
 */
export async function claimDueDeliveries(db: Db, options: ClaimOptions): Promise<{ claimed: ClaimedDelivery[]; leftBehind: boolean }> {
  const now = options.now.toISOString()
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs).toISOString()
  const token = randomUUID()
  let leftBehind = false
  const claimed = await transaction(db, async (trx) => {
    const nowMs = options.now.getTime()
    const gate = options.rateGate
    const saturated = [...options.inFlightByEndpoint].filter(([, n]) => n >= options.perEndpoint).map(([id]) => id)
    const heldBack = gate ? [...new Set([...saturated, ...gate.exhausted(nowMs)])] : saturated
    const due = await dueDeliveries(trx, now, options.limit, heldBack)
    if (due.length === options.limit) leftBehind = true
    const taken = new Map(options.inFlightByEndpoint)
    const picked: string[] = []
    const slots = new Map<string, RateSlot>()
    for (const row of due) {
      const count = taken.get(row.endpoint_id) ?? 0
      const limit = row.rate_limit_per_second
      if (picked.length >= options.limit || count >= options.perEndpoint || (gate && gate.free(row.endpoint_id, limit, nowMs) < 1)) {
        leftBehind = true
        continue
      }
      if (gate && limit !== null) slots.set(row.id, gate.take(row.endpoint_id, limit, nowMs))
      taken.set(row.endpoint_id, count + 1)
      picked.push(row.id)
    }
    if (picked.length === 0) return []
    // The update re-checks that each is still due and unleased; what it did not take is not loaded.
    await takeLeases(trx, picked, { now, leaseUntil, token })
    return (await selectLeased(trx, { token })).rows.map((row) => ({ ...toClaimed(row), rateSlot: slots.get(row.id) ?? null }))
  })
  return { claimed, leftBehind }
}

/** Gives up leases without an attempt (shutdown): due again at once, for whoever runs next. */
export async function releaseLeases(db: Db, claims: Array<{ id: string; lease_token: string }>, now: Date): Promise<void> {
  for (const claim of claims) {
    await db
      .updateTable('deliveries')
      .set({ lease_until: null, lease_token: null, next_attempt_at: now.toISOString() })
      .where('id', '=', claim.id)
      .where('lease_token', '=', claim.lease_token)
      .execute()
  }
}

/**
 * When the earliest pending delivery is due (or its lease ends), for the dispatcher's timer;
 * endpoints held back at their rate ceiling are left out (the gate has its own timer).
 */
export async function nextDueAt(db: Db, heldBack: string[] = []): Promise<Date | null> {
  let query = db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('next'))
    .where('status', '=', 'pending')
  if (heldBack.length > 0) query = query.where('endpoint_id', 'not in', heldBack)
  const row = await query.executeTakeFirst()
  return row?.next ? new Date(row.next as string) : null
}
