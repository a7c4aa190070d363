import type { Db } from '../../src/db/client'
import { newId } from '../../src/ids'
import { createTestApp } from '../helpers/app'

/** Clients and jobs are another module's; money tests only need rows to point at. */
export async function insertClient(db: Db, orgId: string, name = 'Dana Homeowner') {
  const now = new Date().toISOString()
  const id = newId('cli')
  await db
    .insertInto('clients')
    .values({ id, org_id: orgId, name, email: null, phone: null, address: null, notes: null, metadata: '{}', version: 1, created_at: now, updated_at: now })
    .execute()
  return id
}

export async function insertJob(db: Db, orgId: string, clientId: string | null, number = `JOB-${Math.floor(Math.random() * 1e9)}`) {
  const now = new Date().toISOString()
  const id = newId('job')
  await db
    .insertInto('jobs')
    .values({
      id, org_id: orgId, number, title: 'Fix the boiler', description: null, client_id: clientId, property_id: null,
      status: 'scheduled', priority: 'normal', scheduled_start: null, scheduled_end: null, started_at: null, completed_at: null,
      outcome: null, completion_note: null, delay_reason: null, tags: '[]', metadata: '{}', deleted_at: null,
      version: 1, created_at: now, updated_at: now,
    })
    .execute()
  return id
}

/**
 * An app with one org, its full-permission key, a client, and `api(method, path, body)` under
 * /api/v1. Rate limits are tested elsewhere; here they would only cut property runs short.
 */
export async function moneyApp() {
  const ctx = await createTestApp({ env: { CREWBASE_RATE_LIMIT: '1000000' } })
  const seeded = await ctx.seedOrg()
  const clientId = await insertClient(ctx.db, seeded.org.id)
  const api = <T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    ctx.call<T>(method, `/api/v1${path}`, { token: seeded.key, body, headers })
  return { ...ctx, ...seeded, clientId, api }
}

export type MoneyApp = Awaited<ReturnType<typeof moneyApp>>

/** Events of the org, oldest first, as stored (`data` parsed). */
export async function eventsOf(db: Db, orgId: string, type?: string) {
  let query = db.selectFrom('events').selectAll().where('org_id', '=', orgId)
  if (type) query = query.where('type', '=', type)
  const rows = await query.orderBy('id').execute()
  return rows.map((row) => ({ ...row, data: JSON.parse(row.data) as { object: Record<string, any> } }))
}

export const countRows = async (db: Db, table: 'estimates' | 'invoices' | 'payments' | 'line_items' | 'pricebook_items' | 'events') =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
