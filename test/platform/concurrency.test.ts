import { afterEach, describe, expect, test } from 'bun:test'
import { createHttpApp, type HttpApp } from '../helpers/http'

// N requests at once against every rule that allows only so many: exactly the allowed number
// succeed, the rest are 409 — never a 500, never one too many. Runs on both test targets.
let app: HttpApp | null = null
afterEach(async () => {
  await app?.close()
  app = null
})

async function burst(n: number, send: (i: number) => Promise<{ status: number }>) {
  const statuses = (await Promise.all(Array.from({ length: n }, (_, i) => send(i)))).map((r) => r.status)
  return { ok: statuses.filter((s) => s === 200 || s === 201).length, conflicts: statuses.filter((s) => s === 409).length, statuses }
}

describe('concurrent requests against limits and unique rules', () => {
  test('first-run setup: of 6 at once exactly one succeeds, the others are 409', async () => {
    app = await createHttpApp()
    const result = await burst(6, (i) =>
      app!.call('POST', '/api/setup', { body: { org: `Org ${i}`, email: `owner${i}@example.com`, password: 'a long password' } }),
    )
    expect(result).toMatchObject({ ok: 1, conflicts: 5 })
  })

  test('one email, 6 users created at once: one 201, five 409 naming /email', async () => {
    app = await createHttpApp()
    const { key } = await app.seedOrg()
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        app!.call('POST', '/api/v1/users', { token: key, body: { email: 'Sam@Example.com', password: 'a long password', role: 'crew' } }),
      ),
    )
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409])
    for (const r of responses.filter((r) => r.status === 409)) expect(r.body.error.details[0].field).toBe('/email')
  })

  test('API keys: 8 at once with 1 already active → exactly 4 more (5 active), the rest 409', async () => {
    app = await createHttpApp()
    const { key } = await app.seedOrg()
    const result = await burst(8, (i) => app!.call('POST', '/api/v1/api-keys', { token: key, body: { label: `k${i}`, permissions: { jobs: 'read' } } }))
    expect(result).toMatchObject({ ok: 4, conflicts: 4 })
    expect((await app.call('GET', '/api/v1/api-keys', { token: key })).body.data.filter((k: any) => !k.revoked_at)).toHaveLength(5)
  })

  test('webhook endpoints: 8 at once → exactly 5, the rest 409', async () => {
    app = await createHttpApp()
    const { key } = await app.seedOrg()
    const result = await burst(8, (i) =>
      app!.call('POST', '/api/v1/webhooks', { token: key, body: { url: `http://127.0.0.1:9/hook${i}`, events: ['job.created'] } }),
    )
    expect(result).toMatchObject({ ok: 5, conflicts: 3 })
  })

  test('ingress URLs: 55 at once → exactly 50, the rest 409', async () => {
    app = await createHttpApp()
    const { key } = await app.seedOrg()
    const result = await burst(55, (i) => app!.call('POST', '/api/v1/ingress-webhooks', { token: key, body: { name: `in ${i}` } }))
    expect(result).toMatchObject({ ok: 50, conflicts: 5 })
  })

  test('one rating per crew member and job: 6 at once → one 201, five 409', async () => {
    app = await createHttpApp({ env: { CREWBASE_RATE_LIMIT: '1000' } })
    const { key } = await app.seedOrg()
    const sam = (await app.call('POST', '/api/v1/contractors', { token: key, body: { name: 'Sam' } })).body.data
    const job = (await app.call('POST', '/api/v1/jobs', { token: key, body: { title: 'on it', assignments: [{ contractor_id: sam.id }] } })).body.data
    const result = await burst(6, (i) => app!.call('POST', `/api/v1/contractors/${sam.id}/ratings`, { token: key, body: { job_id: job.id, score: 1 + i % 5 } }))
    expect(result).toMatchObject({ ok: 1, conflicts: 5 })
    expect((await app.call('GET', `/api/v1/contractors/${sam.id}`, { token: key })).body.data.rating_count).toBe(1)
  })
})
