import { createHash } from 'node:crypto'
import type { Db } from '../db/client'
import { afterCommit, transaction, type Trx } from '../db/transaction'
import { ApiError } from './errors'

/**
 * `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header):
 * same key + same body within 24 h → the first response again; same key + another
 * body → 422 `idempotency_key_reused`; same key while the first is running → 409.
 * Only successful (2xx) responses are kept; a failed first try frees the key for a retry.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
/**
 * A claim still `running` after this long belongs to a request that died (crash, kill)
 * before committing: its change did not happen either, so a retry takes the key over.
 */
export const RUNNING_LEASE_MS = 60 * 1000

export interface IdempotencyClaim {
  scope: string
  key: string
  /** When this request claimed the key; only the claim holder stores an answer. */
  claimedAt: string
}

export type IdempotencyOutcome =
  | { kind: 'proceed'; claim: IdempotencyClaim }
  | { kind: 'replay'; status: number; body: unknown }

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(body ?? null)}`)
    .digest('hex')
}

/**
 * Claims the key for this request, or answers from what an earlier one stored. The insert is
 * one atomic statement (`on conflict do nothing`): of two requests racing for a key exactly
 * one claims it; the other sees its claim and gets 409 while it runs.
 */
export async function claimIdempotencyKey(
  db: Db,
  scope: string,
  key: string,
  fingerprint: string,
  now: Date,
): Promise<IdempotencyOutcome> {
  if (key.length === 0 || key.length > 255) {
    throw new ApiError('validation_failed', 'Idempotency-Key must be 1 to 255 characters', [
      { field: 'Idempotency-Key', message: 'must be 1 to 255 characters' },
    ])
  }
  const claimedAt = now.toISOString()
  const expiredBefore = new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString()
  const abandonedBefore = new Date(now.getTime() - RUNNING_LEASE_MS).toISOString()
  return transaction(db, async (trx) => {
    // An expired answer, or a claim whose request died before committing, frees the key.
    await trx
      .deleteFrom('idempotency_keys')
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where((eb) => eb.or([eb('created_at', '<=', expiredBefore), eb.and([eb('state', '=', 'running'), eb('created_at', '<=', abandonedBefore)])]))
      .execute()
    const inserted = await trx
      .insertInto('idempotency_keys')
      .values({ scope, key, request_hash: fingerprint, state: 'running', created_at: claimedAt })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .executeTakeFirst()
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'proceed', claim: { scope, key, claimedAt } }
    const existing = await trx.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirstOrThrow()
    if (existing.request_hash !== fingerprint) {
      throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was used with a different request')
    }
    if (existing.state === 'running') {
      throw new ApiError('conflict', 'A request with this Idempotency-Key is still being processed')
    }
    return { kind: 'replay', status: existing.response_status ?? 200, body: JSON.parse(existing.response_body ?? 'null') }
  })
}

/** Stores the answer under the claim, inside `trx`: it commits with the change it answers for, or neither does. */
async function storeAnswer(trx: Trx, claim: IdempotencyClaim, status: number, body: unknown): Promise<void> {
  const stored = await trx
    .updateTable('idempotency_keys')
    .set({ state: 'done', response_status: status, response_body: JSON.stringify(body ?? null) })
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .where('state', '=', 'running')
    .where('created_at', '=', claim.claimedAt)
    .executeTakeFirst()
  if (Number(stored.numUpdatedRows) !== 1) {
    throw new ApiError('conflict', 'This Idempotency-Key was taken over by a retry; send the request again to see its answer')
  }
}

const claims = new WeakMap<Request, { claim: IdempotencyClaim; answered: boolean }>()

/** The app's hook remembers the claim of a POST carrying an Idempotency-Key. */
export function holdClaim(request: Request, claim: IdempotencyClaim): void {
  claims.set(request, { claim, answered: false })
}

/**
 * The write of a POST: one transaction, and when the request carries an Idempotency-Key,
 * its answer (`{ data }` with `status`) is stored in that same transaction — a crash leaves
 * either nothing (a retry runs it) or the change with its answer (a retry replays it).
 */
export function writeAnswering<T>(db: Db, request: Request, status: number, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return transaction(db, async (trx) => {
    const data = await fn(trx)
    const held = claims.get(request)
    if (held) {
      await storeAnswer(trx, held.claim, status, bodyToStore(request, { data }))
      afterCommit(trx, () => (held.answered = true))
    }
    return data
  })
}

/**
 * After the handler: a POST that wrote without `writeAnswering` (or wrote nothing) stores
 * its answer now, in a transaction of its own.
 */
export async function completeIdempotencyKey(db: Db, request: Request, status: number, body: unknown) {
  const held = claims.get(request)
  if (!held) return
  claims.delete(request)
  if (held.answered) return
  await transaction(db, (trx) => storeAnswer(trx, held.claim, status, bodyToStore(request, body)))
}

/** A failed request frees its key for a retry (only 2xx answers are kept). */
export async function releaseIdempotencyKey(db: Db, request: Request) {
  const held = claims.get(request)
  if (!held) return
  claims.delete(request)
  if (held.answered) return
  const { scope, key, claimedAt } = held.claim
  await db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).where('created_at', '=', claimedAt).where('state', '=', 'running').execute()
}

const storedForms = new WeakMap<Request, (body: any) => unknown>()

/**
 * For answers that carry a secret shown once (an ingress URL's token): what the
 * Idempotency-Key store keeps, and so what a replay returns, instead of the answer
 * itself. Secrets never reach the database, not even through this store.
 */
export function storeForReplayAs<T>(request: Request, storedForm: (body: T) => unknown): void {
  storedForms.set(request, storedForm)
}

export function bodyToStore(request: Request, body: unknown): unknown {
  const storedForm = storedForms.get(request)
  return storedForm ? storedForm(body) : body
}
