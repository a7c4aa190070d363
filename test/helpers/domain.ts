import { createTestApp, type TestClock, type TestResponse } from './app'

/** An app, one org with a full key, and short verbs for /api/v1 calls with that key. */
export async function domainApp(options: { clock?: TestClock; env?: Record<string, string> } = {}) {
  const ctx = await createTestApp(options)
  const seeded = await ctx.seedOrg()
  const as = (token: string) => ({
    get: (path: string) => ctx.call('GET', `/api/v1${path}`, { token }),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      ctx.call('POST', `/api/v1${path}`, { token, body: body ?? {}, headers }),
    patch: (path: string, body: unknown, headers?: Record<string, string>) => ctx.call('PATCH', `/api/v1${path}`, { token, body, headers }),
    del: (path: string) => ctx.call('DELETE', `/api/v1${path}`, { token }),
  })
  const api = as(seeded.key)

  /** POSTs and returns `data`, failing loudly unless the answer is 201. */
  async function create(path: string, body: unknown) {
    const res = await api.post(path, body)
    if (res.status !== 201) throw new Error(`POST ${path} → ${res.status} ${JSON.stringify(res.body)}`)
    return res.body.data
  }

  /** Event types of the org, oldest first. */
  async function eventTypes(orgId = seeded.org.id) {
    const rows = await ctx.db.selectFrom('events').select('type').where('org_id', '=', orgId).orderBy('id').execute()
    return rows.map((row) => row.type)
  }

  /** Everything in the database that a failed request must not have touched. */
  async function snapshot() {
    const tables = ['jobs', 'job_phases', 'job_assignments', 'events', 'clients', 'contacts', 'properties', 'contractors', 'requests'] as const
    const out: Record<string, unknown> = {}
    for (const table of tables) out[table] = await ctx.db.selectFrom(table).selectAll().orderBy('id').execute()
    return out
  }

  return { ...ctx, ...seeded, api, as, create, eventTypes, snapshot }
}

export type DomainApp = Awaited<ReturnType<typeof domainApp>>
export type { TestResponse }
