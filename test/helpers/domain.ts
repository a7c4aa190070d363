import { createTestApp, type TestClock, type TestResponse } from './app'
import type { HttpApp, SeededOrg } from './http'

type Call = HttpApp['call']

/** Short verbs for /api/v1 with one org's key, over either target's `call`. */
function domainVerbs(call: Call, seeded: SeededOrg) {
  const as = (token: string) => ({
    get: (path: string) => call('GET', `/api/v1${path}`, { token }),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      call('POST', `/api/v1${path}`, { token, body: body ?? {}, headers }),
    patch: (path: string, body: unknown, headers?: Record<string, string>) => call('PATCH', `/api/v1${path}`, { token, body, headers }),
    del: (path: string) => call('DELETE', `/api/v1${path}`, { token }),
  })
  const api = as(seeded.key)

  /** POSTs and returns `data`, failing loudly unless the answer is 201. */
  async function create(path: string, body: unknown) {
    const res = await api.post(path, body)
    if (res.status !== 201) throw new Error(`POST ${path} → ${res.status} ${JSON.stringify(res.body)}`)
    return res.body.data
  }

  /** Event types of the org, oldest first, read from GET /events as an integrator would. */
  async function eventTypes(token = seeded.key): Promise<string[]> {
    const types: string[] = []
    let path = '/events?per_page=100'
    for (;;) {
      const page = await as(token).get(path)
      if (page.status !== 200) throw new Error(`GET /events → ${page.status} ${JSON.stringify(page.body)}`)
      types.push(...page.body.data.map((e: { type: string }) => e.type))
      if (!page.body.pagination.next_cursor) return types.reverse()
      path = `/events?per_page=100&cursor=${page.body.pagination.next_cursor}`
    }
  }

  /** The org as its lists show it (every page): what a refused request must leave as it was. */
  async function snapshot(token = seeded.key) {
    const out: Record<string, unknown[]> = {}
    for (const list of ['jobs', 'clients', 'contacts', 'properties', 'contractors', 'requests', 'events']) {
      const rows: unknown[] = (out[list] = [])
      let path = `/${list}?per_page=100`
      for (;;) {
        const page = await as(token).get(path)
        if (page.status !== 200) throw new Error(`GET /${list} → ${page.status} ${JSON.stringify(page.body)}`)
        rows.push(...page.body.data)
        if (!page.body.pagination.next_cursor) break
        path = `/${list}?per_page=100&cursor=${page.body.pagination.next_cursor}`
      }
    }
    return out
  }

  return { ...seeded, api, as, create, eventTypes, snapshot }
}

/**
 * A new org with a full key on `host` — an app shared by the test file (`useHttpApp`),
 * in-process or the binary. Orgs see nothing of each other, so tests stay independent.
 */
export async function domainHttpApp(host: HttpApp) {
  const seeded = await host.seedOrg()
  return { host, call: host.call, seedOrg: host.seedOrg, ...domainVerbs(host.call, seeded) }
}

/** In-process only: its own app, plus the database (`db`, `snapshot`) and a clock to move. */
export async function domainApp(options: { clock?: TestClock; env?: Record<string, string> } = {}) {
  const ctx = await createTestApp(options)
  const seeded = await ctx.seedOrg()
  /** Every row (also those no list shows) that a failed request must not have touched. */
  async function snapshot() {
    const tables = ['jobs', 'job_phases', 'job_assignments', 'events', 'clients', 'contacts', 'properties', 'contractors', 'requests'] as const
    const out: Record<string, unknown> = {}
    for (const table of tables) out[table] = await ctx.db.selectFrom(table).selectAll().orderBy('id').execute()
    return out
  }
  return { ...ctx, ...domainVerbs(ctx.call, seeded), snapshot }
}

export type DomainApp = Awaited<ReturnType<typeof domainApp>>
export type DomainHttpApp = Awaited<ReturnType<typeof domainHttpApp>>
export type { TestResponse }
