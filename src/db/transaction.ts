import type { Transaction } from 'kysely'
import type { Db } from './client'
import { preparedQuery } from './prepared'
import type { DB } from './schema'

export type Trx = Transaction<DB>

const afterCommitHooks = new WeakMap<object, Array<() => void>>()

/** Runs `fn` in one transaction; callbacks registered with `afterCommit` run once it has committed. */
export async function inTransaction<T>(db: Db, fn: (trx: Trx) => Promise<T>): Promise<T> {
  const hooks: Array<() => void> = []
  const result = await db.transaction().execute(async (trx) => {
    afterCommitHooks.set(trx, hooks)
    return fn(trx)
  })
  for (const hook of hooks) hook()
  return result
}

/** Schedules `hook` to run after the surrounding `inTransaction` commits (never on rollback). */
export function afterCommit(trx: Trx, hook: () => void): void {
  const hooks = afterCommitHooks.get(trx)
  if (!hooks) throw new Error('afterCommit needs a transaction opened with inTransaction')
  if (!hooks.includes(hook)) hooks.push(hook)
}

// Compiled once: every create of a numbered resource runs it (building the upsert cost more than running it).
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
