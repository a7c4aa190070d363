import { beforeAll, describe, expect, test } from 'bun:test'
import { createTestApp } from '../helpers/app'
import { createIngressUrl, insertJob, minimalActivity, sendActivity, type TestApp } from './fixtures'

let ctx: TestApp
let seed: Awaited<ReturnType<TestApp['seedOrg']>>
let jobId: string
let jobHook: Awaited<ReturnType<typeof createIngressUrl>>
let plainHook: Awaited<ReturnType<typeof createIngressUrl>>
const sent: string[] = []

beforeAll(async () => {
  ctx = await createTestApp({ env: { CREWBASE_RATE_LIMIT: '100000' } })
  seed = await ctx.seedOrg()
  jobId = await insertJob(ctx.db, seed.org.id)
  jobHook = await createIngressUrl(ctx, seed.key, { name: 'Job feed', job_id: jobId })
  plainHook = await createIngressUrl(ctx, seed.key)
  for (let i = 0; i < 5; i++) {
    const hook = i % 2 === 0 ? jobHook : plainHook
    const res = await sendActivity(ctx, hook.path, minimalActivity({ title: `Activity ${i}`, externalId: `ext-${i}` }))
    sent.push(res.body.data.id)
  }
})

const ids = (res: { body: { data: Array<{ id: string }> } }) => res.body.data.map((a) => a.id)

describe('GET /api/v1/activities', () => {
  test('lists every activity of the org, newest first', async () => {
    const res = await ctx.call('GET', '/api/v1/activities', { token: seed.key })
    expect(res.status).toBe(200)
    expect(ids(res)).toEqual([...sent].reverse())
    expect(res.body.pagination).toEqual({ page: 1, per_page: 50, total: 5, next_cursor: null })
  })

  test('filters by job_id, external_id and ingress_webhook_id', async () => {
    const byJob = await ctx.call('GET', `/api/v1/activities?job_id=${jobId}`, { token: seed.key })
    expect(ids(byJob)).toEqual([sent[4]!, sent[2]!, sent[0]!])
    const byExternal = await ctx.call('GET', '/api/v1/activities?external_id=ext-3', { token: seed.key })
    expect(ids(byExternal)).toEqual([sent[3]!])
    const byHook = await ctx.call('GET', `/api/v1/activities?ingress_webhook_id=${plainHook.id}`, { token: seed.key })
    expect(ids(byHook)).toEqual([sent[3]!, sent[1]!])
    const none = await ctx.call('GET', '/api/v1/activities?external_id=nope', { token: seed.key })
    expect(none.body).toEqual({ data: [], pagination: { page: 1, per_page: 50, total: 0, next_cursor: null } })
  })

  test('pages and cursors walk every activity once', async () => {
    const page1 = await ctx.call('GET', '/api/v1/activities?per_page=2', { token: seed.key })
    const page2 = await ctx.call('GET', `/api/v1/activities?per_page=2&cursor=${page1.body.pagination.next_cursor}`, { token: seed.key })
    const page3 = await ctx.call('GET', `/api/v1/activities?per_page=2&cursor=${page2.body.pagination.next_cursor}`, { token: seed.key })
    expect([...ids(page1), ...ids(page2), ...ids(page3)]).toEqual([...sent].reverse())
    expect(page3.body.pagination.next_cursor).toBeNull()
  })

  const badQueries = ['per_page=0', 'per_page=101', 'page=0', 'cursor=zzz', 'unknown=1', `job_id=${'x'.repeat(65)}`]
  for (const q of badQueries) {
    test(`?${q.slice(0, 20)} → 400`, async () => {
      const res = await ctx.call('GET', `/api/v1/activities?${q}`, { token: seed.key })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
    })
  }

  test('another organization sees none of them, and 404 on each', async () => {
    const other = await ctx.seedOrg('Other Shop')
    const list = await ctx.call('GET', '/api/v1/activities', { token: other.key })
    expect(list.body.data).toEqual([])
    const one = await ctx.call('GET', `/api/v1/activities/${sent[0]!}`, { token: other.key })
    expect(one.status).toBe(404)
    expect(one.body.error.message).toBe('Activity not found')
  })

  test('crew may read activities; a key without activities permission may not', async () => {
    const email = `crew-${crypto.randomUUID()}@example.com`
    await ctx.call('POST', '/api/v1/users', { token: seed.key, body: { email, password: 'password1', role: 'crew' } })
    const session = await ctx.call('POST', '/api/auth', { body: { email, password: 'password1' } })
    expect((await ctx.call('GET', '/api/v1/activities', { token: session.body.data.token })).status).toBe(200)
    const key = await ctx.call('POST', '/api/v1/api-keys', { token: seed.key, body: { label: 'jobs only', permissions: { jobs: 'read' } } })
    const denied = await ctx.call('GET', `/api/v1/activities/${sent[0]!}`, { token: key.body.data.key })
    expect(denied.status).toBe(403)
  })

  test('activities are read-only: POST, PATCH and DELETE are 405', async () => {
    expect((await ctx.call('POST', '/api/v1/activities', { token: seed.key, body: minimalActivity() })).status).toBe(405)
    expect((await ctx.call('PATCH', `/api/v1/activities/${sent[0]!}`, { token: seed.key, body: {} })).status).toBe(405)
    expect((await ctx.call('DELETE', `/api/v1/activities/${sent[0]!}`, { token: seed.key })).status).toBe(405)
  })
})
