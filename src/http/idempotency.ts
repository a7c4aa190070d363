import { createHash } from 'node:crypto'
import type { Db } from '../db/client'
import { transaction } from '../db/transaction'
import { ApiError } from './errors'

/**
 * `Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header):
 * same key + same body within 24 h → the first response again; same key + another
 * body → 422 `idempotency_key_reused`; same key while the first is running → 409.
 * Only successful (2xx) responses are kept; a failed first try frees the key for a retry.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

export interface IdempotencyClaim {
  scope: string
  key: string
}

export type IdempotencyOutcome =
  | { kind: 'proceed'; claim: IdempotencyClaim }
  | { kind: 'replay'; status: number; body: unknown }

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(body ?? null)}`)
    .digest('hex')
}

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
  const expiredBefore = new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString()
  return transaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst()
    if (existing && existing.created_at > expiredBefore) {
      if (existing.request_hash !== fingerprint) {
        throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was used with a different request')
      }
      if (existing.state === 'running') {
        throw new ApiError('conflict', 'A request with this Idempotency-Key is still being processed')
      }
      return { kind: 'replay', status: existing.response_status ?? 200, body: JSON.parse(existing.response_body ?? 'null') }
    }
    if (existing) await trx.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).execute()
    await trx
      .insertInto('idempotency_keys')
      .values({ scope, key, request_hash: fingerprint, state: 'running', created_at: now.toISOString() })
      .execute()
    return { kind: 'proceed', claim: { scope, key } }
  })
}

export async function completeIdempotencyKey(db: Db, claim: IdempotencyClaim, status: number, body: unknown) {
  await db
    .updateTable('idempotency_keys')
    .set({ state: 'done', response_status: status, response_body: JSON.stringify(body ?? null) })
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .execute()
}

export async function releaseIdempotencyKey(db: Db, claim: IdempotencyClaim) {
  await db.deleteFrom('idempotency_keys').where('scope', '=', claim.scope).where('key', '=', claim.key).execute()
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
