import { randomUUID } from 'node:crypto'
import type { Db } from '../db/client'
import type { AttemptTrigger } from '../db/schema'
import type { Trx } from '../db/transaction'

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
}

const iso = (ms: number) => new Date(ms).toISOString()

export async function loadClaimed(db: Db | Trx, ids: string[]): Promise<ClaimedDelivery[]> {
  if (ids.length === 0) return []
  const rows = await db
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
    .where('d.id', 'in', ids)
    .execute()
  return rows.map(({ payload, event_created_at, event_data, lease_token, ...row }) => ({
    ...row,
    lease_token: lease_token ?? '',
    body:
      payload ??
      (event_data === null || event_created_at === null
        ? null
        : // Built by hand around the stored JSON: no re-parse, and the same bytes on every retry.
          `{"id":${JSON.stringify(row.event_id)},"type":${JSON.stringify(row.event_type)},"created_at":${JSON.stringify(event_created_at)},"org_id":${JSON.stringify(row.org_id)},"data":${event_data}}`),
  }))
}

export interface ClaimOptions {
  now: Date
  leaseMs: number
  limit: number
  /** In-flight attempts per endpoint right now, and the most one endpoint may have. */
  inFlightByEndpoint: ReadonlyMap<string, number>
  perEndpoint: number
}

/**
 * Leases up to `limit` due deliveries. While leased, a delivery's `next_attempt_at` is the
 * lease's end, so the plain due query skips it until then — and if this process dies
 * mid-attempt, the delivery is due again when the lease runs out and goes out with the
 * same id. One transaction, and the update re-checks what the select saw.
 */
export async function claimDueDeliveries(db: Db, options: ClaimOptions): Promise<{ claimed: ClaimedDelivery[]; leftBehind: boolean }> {
  const nowIso = options.now.toISOString()
  const leaseUntil = iso(options.now.getTime() + options.leaseMs)
  const token = randomUUID()
  let leftBehind = false
  const ids = await db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('deliveries')
      .select(['id', 'endpoint_id'])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', nowIso)
      .orderBy('next_attempt_at')
      .limit(options.limit * 4)
      .execute()
    const taken = new Map(options.inFlightByEndpoint)
    const picked: string[] = []
    for (const row of due) {
      const count = taken.get(row.endpoint_id) ?? 0
      if (picked.length >= options.limit || count >= options.perEndpoint) {
        leftBehind = true
        continue
      }
      taken.set(row.endpoint_id, count + 1)
      picked.push(row.id)
    }
    if (picked.length === 0) return []
    const claimed = await trx
      .updateTable('deliveries')
      .set({ lease_until: leaseUntil, lease_token: token, next_attempt_at: leaseUntil, coalesce_key: null })
      .where('id', 'in', picked)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', nowIso)
      .returning('id')
      .execute()
    return claimed.map((r) => r.id)
  })
  // A full page of due rows may hide more behind it.
  if (ids.length === options.limit) leftBehind = true
  return { claimed: await loadClaimed(db, ids), leftBehind }
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

/** When the earliest pending delivery is due (or its lease ends), for the dispatcher's timer. */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('next'))
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return row?.next ? new Date(row.next as string) : null
}
