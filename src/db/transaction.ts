import type { Transaction } from 'kysely'
import { ApiError } from '../errors'
import { type Db, engineOf } from './engine'
import { preparedQuery } from './prepared'
import type { DB } from './schema'

export type Trx = Transaction<DB>

interface TrxState {
  hooks: Array<() => void>
  deliveriesQueued: boolean
}
const states = new WeakMap<object, TrxState>()

/**
 * The one way to open a transaction. `fn` runs in it; hooks registered with `afterCommit`
 * run once it has committed (never on rollback), and a unique or foreign-key violation that
 * escapes `fn` becomes a 409 — a constraint caught a race or a reference, never a 500.
 */
export async function transaction<T>(db: Db, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) throw new Error('transaction() was given a transaction; pass the trx down instead of opening another')
  const state: TrxState = { hooks: [], deliveriesQueued: false }
  let result: T
  try {
    result = await db.transaction().execute(async (trx) => {
      states.set(trx, state)
      return fn(trx)
    })
  } catch (error) {
    throw translateConstraintError(db, error)
  }
  if (state.deliveriesQueued) engineOf(db).deliveriesQueued()
  for (const hook of state.hooks) hook()
  return result
}

/** A driver's unique / foreign-key error as the 409 a client can act on; anything else unchanged. */
export function translateConstraintError(db: Db | Trx, error: unknown): unknown {
  if (error instanceof ApiError) return error
  const violation = engineOf(db).violation(error)
  if (!violation) return error
  return violation.kind === 'unique'
    ? new ApiError('conflict', 'It conflicts with a record that already exists (a concurrent request may have created it); read again and retry')
    : new ApiError('conflict', 'It refers to a record that does not exist any more, or is still referenced by other records')
}

function stateOf(trx: Trx): TrxState {
  const state = states.get(trx)
  if (!state) throw new Error('afterCommit needs a transaction opened with transaction()')
  return state
}

/** Schedules `hook` to run after the surrounding `transaction` commits (never on rollback). */
export function afterCommit(trx: Trx, hook: () => void): void {
  const { hooks } = stateOf(trx)
  if (!hooks.includes(hook)) hooks.push(hook)
}

/** This transaction queued webhook deliveries: once it commits, the database's dispatcher is woken. */
export function deliveriesQueued(trx: Trx): void {
  stateOf(trx).deliveriesQueued = true
}

// Built once: every create of a numbered resource runs it (building the upsert cost more than running it).
const takeNumber = preparedQuery(['orgId', 'name', 'start'], (db, p) =>
  db
    .insertInto('counters')
    .values({ org_id: p.orgId, name: p.name, value: p.start })
    .onConflict((oc) => oc.columns(['org_id', 'name']).doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value'),
)

/** Next per-org human number (`JOB-1001`, `INV-1001`…), allocated inside the caller's transaction. */
export async function nextNumber(trx: Trx, orgId: string, name: string, start = 1001): Promise<number> {
  const [row] = (await takeNumber(trx, { orgId, name, start })).rows
  return row!.value
}
