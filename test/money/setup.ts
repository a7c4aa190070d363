import { expect } from 'bun:test'
import type { HttpApp } from '../helpers/http'

/** Money suites send many requests with one key; rate limits are tested elsewhere. */
export const MONEY_ENV = { env: { CREWBASE_RATE_LIMIT: '1000000' } }

/**
 * A new org on `host` (one app per test file, `useHttpApp(MONEY_ENV)`), its full-permission
 * key, a client, and `api(method, path, body)` under /api/v1 — over HTTP, so the same test
 * runs in-process and against the binary.
 */
export async function moneyApp(host: HttpApp) {
  const seeded = await host.seedOrg()
  const api = <T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    host.call<T>(method, `/api/v1${path}`, { token: seeded.key, body, headers })
  const app = { ...seeded, call: host.call, seedOrg: host.seedOrg, api, clientId: '', setupEventId: '' }
  app.clientId = await createClient(app)
  // Events the test causes come after the client's: eventsOf reads the feed from there.
  app.setupEventId = (await api('GET', '/events?per_page=1')).body.data[0].id
  return app
}

export type MoneyApp = Awaited<ReturnType<typeof moneyApp>>
type Api = Pick<MoneyApp, 'api'>

/** A timestamp the server just took: ISO 8601 UTC, within the last minute. */
export function expectJustNow(value: unknown) {
  expect(value).toBeString()
  expect(value as string).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  expect(Math.abs(Date.now() - Date.parse(value as string))).toBeLessThan(60_000)
}

async function created(app: Api, path: string, body: unknown): Promise<any> {
  const res = await app.api('POST', path, body)
  if (res.status !== 201) throw new Error(`POST ${path} → ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.data
}

/** Clients and jobs are another module's; money tests only need them to point at. */
export const createClient = async (app: Api, name = 'Dana Homeowner'): Promise<string> => (await created(app, '/clients', { name })).id

export const createJob = async (app: Api, clientId: string | null): Promise<string> =>
  (await created(app, '/jobs', { title: 'Fix the boiler', ...(clientId ? { client_id: clientId } : {}) })).id

/** A key of the org with just these permissions. */
export const createKey = async (app: Api, permissions: Record<string, string>): Promise<string> =>
  (await created(app, '/api-keys', { label: 'k', permissions })).key

/** Every item of a list, all pages. */
export async function listAll(app: Api, path: string): Promise<any[]> {
  const items: any[] = []
  const join = path.includes('?') ? '&' : '?'
  let url = `${path}${join}per_page=100`
  for (;;) {
    const page = await app.api('GET', url)
    if (page.status !== 200) throw new Error(`GET ${url} → ${page.status} ${JSON.stringify(page.body)}`)
    items.push(...page.body.data)
    if (!page.body.pagination.next_cursor) return items
    url = `${path}${join}per_page=100&cursor=${page.body.pagination.next_cursor}`
  }
}

/** Events since moneyApp set the org up, oldest first, read from the feed (`after=`, `next_cursor`). */
export async function eventsOf(
  app: Pick<MoneyApp, 'api' | 'setupEventId'>,
  type?: string,
): Promise<Array<{ id: string; type: string; data: { object: Record<string, any> } }>> {
  return listAll(app, `/events?after=${app.setupEventId}${type ? `&type=${type}` : ''}`)
}

/** How many of each money record the org has, as its lists show (line items inside their documents). */
export async function moneyCounts(app: Api) {
  const total = async (path: string) => (await app.api('GET', `${path}?per_page=1`)).body.pagination.total as number
  const documents = [...(await listAll(app, '/estimates')), ...(await listAll(app, '/invoices'))]
  return {
    estimates: await total('/estimates'),
    invoices: await total('/invoices'),
    payments: await total('/payments'),
    pricebook: await total('/pricebook'),
    events: await total('/events'),
    line_items: documents.reduce((n, d) => n + d.line_items.length, 0),
  }
}
