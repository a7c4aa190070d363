import { beforeAll, describe, expect, test } from 'bun:test'
import { ALL_PERMISSIONS } from '../../src/http/permissions'
import { createTestApp } from '../helpers/app'
import { createIngressUrl, insertJob, minimalActivity, sendActivity, type TestApp } from './fixtures'

let ctx: TestApp
let seed: Awaited<ReturnType<TestApp['seedOrg']>>
beforeAll(async () => {
  ctx = await createTestApp({ env: { CREWBASE_RATE_LIMIT: '100000' } })
  seed = await ctx.seedOrg()
})

const create = (body: unknown, headers: Record<string, string> = {}, token = seed.key) =>
  ctx.call('POST', '/api/v1/ingress-webhooks', { token, body, headers })

describe('POST /api/v1/ingress-webhooks', () => {
  test('answers 201 with the full URL once; the list shows the URL without its token', async () => {
    const jobId = await insertJob(ctx.db, seed.org.id)
    const res = await create({ name: '  Phone system  ', job_id: jobId })
    expect(res.status).toBe(201)
    const hook = res.body.data
    expect(hook).toMatchObject({
      name: 'Phone system',
      job_id: jobId,
      created_by: seed.user.id,
      created_at: ctx.deps.clock.now().toISOString(),
      last_received_at: null,
      received_count: 0,
    })
    expect(hook.id).toMatch(/^ing_/)
    expect(hook.url).toMatch(/^http:\/\/localhost\/webhooks\/ingress\/cb_in_[0-9A-Za-z]{40}$/)
    const list = await ctx.call('GET', '/api/v1/ingress-webhooks', { token: seed.key })
    const listed = list.body.data.find((h: { id: string }) => h.id === hook.id)
    const { url, ...withoutUrl } = hook
    expect(listed).toEqual(withoutUrl)
    expect(JSON.stringify(list.body)).not.toContain(new URL(url).pathname.split('/').pop())
  })

  test('each URL gets its own token', async () => {
    const a = await createIngressUrl(ctx, seed.key)
    const b = await createIngressUrl(ctx, seed.key)
    expect(a.token).not.toBe(b.token)
  })

  const baseCases: Array<{ name: string; env?: Record<string, string>; headers: Record<string, string>; base: string }> = [
    { name: 'the request’s Host', headers: { host: 'crew.local:8080' }, base: 'http://crew.local:8080' },
    {
      name: 'X-Forwarded-Proto and X-Forwarded-Host from a reverse proxy',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'crewbase.example.com' },
      base: 'https://crewbase.example.com',
    },
    {
      name: 'the first (client-facing) entry of chained proxies',
      headers: { 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'crewbase.example.com, internal:3000' },
      base: 'https://crewbase.example.com',
    },
    {
      name: 'the request, when forwarded values are not a scheme or host',
      headers: { 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'evil.example/path?x=' },
      base: 'http://localhost',
    },
    {
      name: 'CREWBASE_PUBLIC_URL over any header',
      env: { CREWBASE_PUBLIC_URL: 'https://jobs.example.com/crewbase/' },
      headers: { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'other.example.com' },
      base: 'https://jobs.example.com/crewbase',
    },
  ]
  for (const c of baseCases) {
    test(`the URL's base comes from ${c.name}`, async () => {
      const local = c.env ? await createTestApp({ env: c.env }) : ctx
      const { key } = c.env ? await local.seedOrg() : seed
      const res = await local.call('POST', '/api/v1/ingress-webhooks', { token: key, body: { name: 'x' }, headers: c.headers })
      expect(res.status).toBe(201)
      expect(res.body.data.url).toStartWith(`${c.base}/webhooks/ingress/cb_in_`)
    })
  }

  const bad: Array<{ name: string; body: unknown; status: number; field: string }> = [
    { name: 'no name', body: {}, status: 400, field: '/name' },
    { name: 'an empty name', body: { name: '' }, status: 400, field: '/name' },
    { name: 'a blank name', body: { name: '   ' }, status: 400, field: '/name' },
    { name: 'a name of 101 characters', body: { name: 'x'.repeat(101) }, status: 400, field: '/name' },
    { name: 'a numeric job_id', body: { name: 'x', job_id: 5 }, status: 400, field: '/job_id' },
    { name: 'an unknown field', body: { name: 'x', token: 'mine' }, status: 400, field: '/token' },
    { name: 'a job that does not exist', body: { name: 'x', job_id: 'job_01jd3k5q7x0000000000000000' }, status: 404, field: '/job_id' },
  ]
  for (const c of bad) {
    test(`${c.name} → ${c.status} naming ${c.field}`, async () => {
      const res = await create(c.body)
      expect(res.status).toBe(c.status)
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(c.field)
    })
  }

  test('another organization’s job is 404, exactly like a missing one, and no URL is made', async () => {
    const other = await ctx.seedOrg('Other Shop')
    const theirJob = await insertJob(ctx.db, other.org.id)
    const before = (await ctx.call('GET', '/api/v1/ingress-webhooks', { token: seed.key })).body.pagination.total
    const res = await create({ name: 'x', job_id: theirJob })
    expect(res.status).toBe(404)
    expect(res.body.error.message).toBe('Job not found')
    expect((await ctx.call('GET', '/api/v1/ingress-webhooks', { token: seed.key })).body.pagination.total).toBe(before)
  })

  test('a deleted job cannot get a URL', async () => {
    const jobId = await insertJob(ctx.db, seed.org.id)
    await ctx.db.updateTable('jobs').set({ deleted_at: new Date().toISOString() }).where('id', '=', jobId).execute()
    expect((await create({ name: 'x', job_id: jobId })).status).toBe(404)
  })

  test('an organization holds at most 50 active URLs; revoking one frees a place', async () => {
    const local = await createTestApp({ env: { CREWBASE_RATE_LIMIT: '100000' } })
    const { key } = await local.seedOrg()
    const ids: string[] = []
    for (let i = 0; i < 50; i++) ids.push((await createIngressUrl(local, key)).id)
    const over = await local.call('POST', '/api/v1/ingress-webhooks', { token: key, body: { name: 'one more' } })
    expect(over.status).toBe(409)
    expect(over.body.error.code).toBe('conflict')
    await local.call('DELETE', `/api/v1/ingress-webhooks/${ids[0]}`, { token: key })
    expect((await local.call('POST', '/api/v1/ingress-webhooks', { token: key, body: { name: 'one more' } })).status).toBe(201)
  })
})

describe('who may manage ingress URLs', () => {
  test('owner/admin only: a dispatcher or crew session and a key without admin are 403; without a token 401', async () => {
    for (const role of ['dispatcher', 'crew']) {
      const email = `${role}-${crypto.randomUUID()}@example.com`
      await ctx.call('POST', '/api/v1/users', { token: seed.key, body: { email, password: 'password1', role } })
      const session = await ctx.call('POST', '/api/auth', { body: { email, password: 'password1' } })
      for (const [method, path] of [
        ['GET', '/api/v1/ingress-webhooks'],
        ['POST', '/api/v1/ingress-webhooks'],
        ['DELETE', '/api/v1/ingress-webhooks/ing_01jd3k5q7x0000000000000000'],
      ] as const) {
        const res = await ctx.call(method, path, { token: session.body.data.token, body: method === 'POST' ? { name: 'x' } : undefined })
        expect(res.status).toBe(403)
      }
    }
    const limited = await ctx.call('POST', '/api/v1/api-keys', {
      token: seed.key,
      body: { label: 'no admin', permissions: { ...ALL_PERMISSIONS, admin: 'none' } },
    })
    expect((await create({ name: 'x' }, {}, limited.body.data.key)).status).toBe(403)
    expect((await ctx.call('GET', '/api/v1/ingress-webhooks')).status).toBe(401)
    await ctx.call('DELETE', `/api/v1/api-keys/${limited.body.data.id}`, { token: seed.key })
  })

  test('an admin session may create one', async () => {
    const email = `admin-${crypto.randomUUID()}@example.com`
    await ctx.call('POST', '/api/v1/users', { token: seed.key, body: { email, password: 'password1', role: 'admin' } })
    const session = await ctx.call('POST', '/api/auth', { body: { email, password: 'password1' } })
    expect((await create({ name: 'x' }, {}, session.body.data.token)).status).toBe(201)
  })
})

describe('DELETE /api/v1/ingress-webhooks/:id', () => {
  test('revokes at once: the URL is 404 on its next request and leaves the list', async () => {
    const hook = await createIngressUrl(ctx, seed.key)
    expect((await sendActivity(ctx, hook.path, minimalActivity())).status).toBe(201)
    const res = await ctx.call('DELETE', `/api/v1/ingress-webhooks/${hook.id}`, { token: seed.key })
    expect(res.status).toBe(204)
    expect((await sendActivity(ctx, hook.path, minimalActivity())).status).toBe(404)
    const list = await ctx.call('GET', '/api/v1/ingress-webhooks?per_page=100', { token: seed.key })
    expect(list.body.data.map((h: { id: string }) => h.id)).not.toContain(hook.id)
    expect((await ctx.call('DELETE', `/api/v1/ingress-webhooks/${hook.id}`, { token: seed.key })).status).toBe(404)
  })

  test('another organization’s URL is 404 and keeps working', async () => {
    const other = await ctx.seedOrg('Other Shop')
    const theirs = await createIngressUrl(ctx, other.key)
    const res = await ctx.call('DELETE', `/api/v1/ingress-webhooks/${theirs.id}`, { token: seed.key })
    expect(res.status).toBe(404)
    expect((await sendActivity(ctx, theirs.path, minimalActivity())).status).toBe(201)
    const mine = await ctx.call('GET', '/api/v1/ingress-webhooks?per_page=100', { token: seed.key })
    expect(mine.body.data.map((h: { id: string }) => h.id)).not.toContain(theirs.id)
  })

  test('a URL revoked while a request is in flight stores nothing (revocation wins)', async () => {
    const { findActiveIngressWebhook, revokeIngressWebhook } = await import('../../src/modules/ingress-webhooks/service')
    const { receiveActivity } = await import('../../src/modules/activities/service')
    const hook = await createIngressUrl(ctx, seed.key)
    const found = (await findActiveIngressWebhook(ctx.db, hook.token))!
    await revokeIngressWebhook(ctx.db, seed.org.id, hook.id, ctx.deps.clock)
    await expect(receiveActivity(ctx.db, found, minimalActivity(), ctx.deps.clock)).rejects.toMatchObject({ status: 404 })
    const stored = await ctx.db.selectFrom('activities').select('id').where('ingress_webhook_id', '=', hook.id).execute()
    expect(stored).toHaveLength(0)
  })
})
