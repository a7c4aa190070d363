import { beforeAll, describe, expect, test } from 'bun:test'
import { createTestApp, TestClock } from '../helpers/app'
import { webhookApp } from './helpers'

const PUBLIC_URL = 'https://93.184.215.14/hooks/crewbase'

describe('webhook endpoints: create, read, change, delete', () => {
  let app: Awaited<ReturnType<typeof webhookApp>>
  beforeAll(async () => {
    app = await webhookApp()
  })

  test('create answers 201 with a whsec_ secret of 32 random bytes, shown only there', async () => {
    const res = await app.call('POST', '/api/v1/webhooks', {
      token: app.key,
      body: { url: 'https://hooks.example.com/a', events: ['job.*', 'invoice.paid'], description: 'CRM', headers: { Authorization: 'Bearer r' } },
    })
    expect(res.status).toBe(201)
    const created = res.body.data
    expect(created.id).toMatch(/^wh_[0-9a-z]{26}$/)
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(Buffer.from(created.secret.slice(6), 'base64')).toHaveLength(32)
    expect(created).toMatchObject({
      url: 'https://hooks.example.com/a',
      events: ['job.*', 'invoice.paid'],
      description: 'CRM',
      headers: { Authorization: 'Bearer r' },
      enabled: true,
      debounce_seconds: 0,
      version: 1,
      health: { success_rate: null, consecutive_failures: 0, next_attempt_at: null },
    })
    const got = await app.call('GET', `/api/v1/webhooks/${created.id}`, { token: app.key })
    expect(got.status).toBe(200)
    expect(got.body.data.secret).toBeUndefined()
    expect(JSON.stringify(got.body)).not.toContain(created.secret)
    const list = await app.call('GET', '/api/v1/webhooks', { token: app.key })
    expect(JSON.stringify(list.body)).not.toContain(created.secret)
    expect(got.headers.get('etag')).toBe('"v1"')
  })

  test('PATCH changes fields, bumps the version and honours If-Match', async () => {
    const created = await app.createEndpoint({ url: 'https://hooks.example.com/b', events: ['*'] })
    const stale = await app.call('PATCH', `/api/v1/webhooks/${created.id}`, {
      token: app.key,
      body: { description: 'x' },
      headers: { 'if-match': '"v9"' },
    })
    expect(stale.status).toBe(412)
    const res = await app.call('PATCH', `/api/v1/webhooks/${created.id}`, {
      token: app.key,
      body: { events: ['client.created'], debounce_seconds: 30, description: null },
      headers: { 'if-match': '"v1"' },
    })
    expect(res.status).toBe(200)
    expect(res.body.data).toMatchObject({ events: ['client.created'], debounce_seconds: 30, description: null, version: 2 })
  })

  test('DELETE answers 204 and the endpoint is gone', async () => {
    const created = await app.createEndpoint({ url: 'https://hooks.example.com/c', events: ['*'] })
    expect((await app.call('DELETE', `/api/v1/webhooks/${created.id}`, { token: app.key })).status).toBe(204)
    expect((await app.call('GET', `/api/v1/webhooks/${created.id}`, { token: app.key })).status).toBe(404)
    expect((await app.call('DELETE', `/api/v1/webhooks/${created.id}`, { token: app.key })).status).toBe(404)
  })

  test('rotate-secret returns a new secret and the time the old one stops signing', async () => {
    const created = await app.createEndpoint({ url: 'https://hooks.example.com/d', events: ['*'] })
    const res = await app.call('POST', `/api/v1/webhooks/${created.id}/rotate-secret`, { token: app.key })
    expect(res.status).toBe(200)
    expect(res.body.data.secret).toMatch(/^whsec_/)
    expect(res.body.data.secret).not.toBe(created.secret)
    const expires = Date.parse(res.body.data.previous_secret_expires_at) - app.deps.clock.now().getTime()
    expect(expires).toBe(24 * 3600 * 1000)
  })
})

describe('webhook endpoints: bad input is a 400 naming the field, nothing stored', () => {
  let app: Awaited<ReturnType<typeof webhookApp>>
  beforeAll(async () => {
    app = await webhookApp()
  })
  const ok = { url: 'https://hooks.example.com/x', events: ['*'] }
  const cases: Array<{ name: string; body: unknown; field: string }> = [
    { name: 'an unknown event type', body: { ...ok, events: ['job.created', 'job.exploded'] }, field: '/events/1' },
    { name: 'a prefix of no resource', body: { ...ok, events: ['spaceship.*'] }, field: '/events/0' },
    { name: 'an empty event list', body: { ...ok, events: [] }, field: '/events' },
    { name: 'events not a list', body: { ...ok, events: 'job.created' }, field: '/events' },
    { name: 'a missing url', body: { events: ['*'] }, field: '/url' },
    { name: 'a url that is not one', body: { ...ok, url: 'not a url' }, field: '/url' },
    { name: 'a url with credentials', body: { ...ok, url: 'https://user:pw@hooks.example.com/' }, field: '/url' },
    { name: 'an ftp url', body: { ...ok, url: 'ftp://hooks.example.com/' }, field: '/url' },
    { name: 'debounce over 300', body: { ...ok, debounce_seconds: 301 }, field: '/debounce_seconds' },
    { name: 'negative debounce', body: { ...ok, debounce_seconds: -1 }, field: '/debounce_seconds' },
    { name: 'debounce as a numeric string', body: { ...ok, debounce_seconds: '30' }, field: '/debounce_seconds' },
    { name: 'fractional debounce', body: { ...ok, debounce_seconds: 2.5 }, field: '/debounce_seconds' },
    { name: 'a header overriding ours', body: { ...ok, headers: { 'X-Crewbase-Signature': 'forged' } }, field: '/headers/X-Crewbase-Signature' },
    { name: 'a header overriding the user agent', body: { ...ok, headers: { 'user-agent': 'me' } }, field: '/headers/user-agent' },
    { name: 'a header name with a space', body: { ...ok, headers: { 'Bad Name': 'x' } }, field: '/headers/Bad Name' },
    { name: 'a header value with a line break', body: { ...ok, headers: { 'X-Ok': 'a\r\nInjected: 1' } }, field: '/headers/X-Ok' },
    { name: 'a header value that is not a string', body: { ...ok, headers: { 'X-Ok': 5 } }, field: '/headers/X-Ok' },
    { name: 'an unknown field', body: { ...ok, secret: 'whsec_mine' }, field: '/secret' },
    { name: 'enabled as a string', body: { ...ok, enabled: 'yes' }, field: '/enabled' },
  ]
  for (const c of cases) {
    test(`${c.name} → 400 at ${c.field}`, async () => {
      const res = await app.call('POST', '/api/v1/webhooks', { token: app.key, body: c.body })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(c.field)
    })
  }

  test('nothing was stored by any of them', async () => {
    const list = await app.call('GET', '/api/v1/webhooks', { token: app.key })
    expect(list.body.pagination.total).toBe(0)
  })

  test('PATCH with a bad value changes nothing', async () => {
    const created = await app.createEndpoint(ok)
    const res = await app.call('PATCH', `/api/v1/webhooks/${created.id}`, { token: app.key, body: { events: ['nope'] } })
    expect(res.status).toBe(400)
    const got = await app.call('GET', `/api/v1/webhooks/${created.id}`, { token: app.key })
    expect(got.body.data).toMatchObject({ events: ['*'], version: 1 })
  })
})

describe('webhook endpoints: limits and tenancy', () => {
  test('a sixth endpoint is refused with 409', async () => {
    const app = await webhookApp()
    for (let i = 0; i < 5; i++) await app.createEndpoint({ url: `https://hooks.example.com/${i}`, events: ['*'] })
    const res = await app.call('POST', '/api/v1/webhooks', { token: app.key, body: { url: 'https://hooks.example.com/6', events: ['*'] } })
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('conflict')
  })

  test('another organization’s endpoint and deliveries are 404, never 403', async () => {
    const app = await webhookApp()
    const mine = await app.createEndpoint({ url: 'https://hooks.example.com/mine', events: ['*'] })
    const other = await app.seedOrg('Other Org')
    for (const [method, path] of [
      ['GET', `/api/v1/webhooks/${mine.id}`],
      ['PATCH', `/api/v1/webhooks/${mine.id}`],
      ['DELETE', `/api/v1/webhooks/${mine.id}`],
      ['POST', `/api/v1/webhooks/${mine.id}/test`],
      ['POST', `/api/v1/webhooks/${mine.id}/rotate-secret`],
      ['GET', `/api/v1/webhooks/${mine.id}/deliveries`],
      ['POST', `/api/v1/webhooks/${mine.id}/recover`],
    ] as const) {
      const body = method === 'PATCH' ? { description: 'mine now' } : path.endsWith('recover') ? { since: '2026-01-01T00:00:00Z' } : undefined
      const res = await app.call(method, path, { token: other.key, body })
      expect([method, path, res.status]).toEqual([method, path, 404])
    }
    const theirs = await app.call('GET', '/api/v1/webhooks', { token: other.key })
    expect(theirs.body.data).toEqual([])
  })

  test('a dispatcher may read webhooks but not change them; crew may not read them', async () => {
    const app = await webhookApp()
    const created = await app.createEndpoint({ url: 'https://hooks.example.com/r', events: ['*'] })
    for (const role of ['dispatcher', 'crew'] as const) {
      const email = `${role}@example.com`
      await app.call('POST', '/api/v1/users', { token: app.key, body: { email, password: 'password1', role } })
      const session = await app.call('POST', '/api/auth', { body: { email, password: 'password1' } })
      const token = session.body.data.token
      const read = await app.call('GET', `/api/v1/webhooks/${created.id}`, { token })
      const write = await app.call('POST', `/api/v1/webhooks/${created.id}/rotate-secret`, { token })
      expect([role, read.status, write.status]).toEqual([role, role === 'dispatcher' ? 200 : 403, 403])
    }
  })
})

describe('SSRF: addresses that are not on the public internet are refused at create and update', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>
  let key: string
  beforeAll(async () => {
    ctx = await createTestApp({ env: { CREWBASE_WEBHOOK_ALLOW_INSECURE: 'false' }, clock: new TestClock() })
    // A fake DNS: names map to fixed answers, so nothing leaves the machine.
    ctx.deps.resolveHost = async (host) => {
      const table: Record<string, string[]> = {
        'hooks.example.com': ['93.184.215.14'],
        'internal.example.com': ['10.1.2.3'],
        'mixed.example.com': ['93.184.215.14', '192.168.1.9'],
        'metadata.example.com': ['169.254.169.254'],
        'v6-ula.example.com': ['fd12:3456::1'],
      }
      const found = table[host]
      if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' })
      return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
    }
    key = (await ctx.seedOrg()).key
  })

  const refused = [
    'http://hooks.example.com/plain-http',
    'https://127.0.0.1/',
    'https://127.9.9.9/',
    'https://localhost/',
    'https://10.0.0.1/',
    'https://172.16.5.4/',
    'https://192.168.0.10/',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://224.0.0.1/',
    'https://255.255.255.255/',
    'https://[::1]/',
    'https://[::]/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:10.0.0.1]/',
    'https://[64:ff9b::a00:1]/',
    'https://internal.example.com/',
    'https://mixed.example.com/',
    'https://metadata.example.com/',
    'https://v6-ula.example.com/',
    'https://2130706433/', // 127.0.0.1 spelled as one number
    'https://0x7f.1/', // 127.0.0.1 in hex shorthand
  ]
  for (const url of refused) {
    test(`${url} → 400`, async () => {
      const res = await ctx.call('POST', '/api/v1/webhooks', { token: key, body: { url, events: ['*'] } })
      expect(res.status).toBe(400)
      expect(res.body.error.details[0].field).toBe('/url')
    })
  }

  test('a public address, a name resolving to one, and a name that does not resolve yet are accepted', async () => {
    for (const url of [PUBLIC_URL, 'https://hooks.example.com/x', 'https://not-yet-registered.example.org/x', 'https://[2606:4700::6810:85e5]/x']) {
      const res = await ctx.call('POST', '/api/v1/webhooks', { token: key, body: { url, events: ['*'] } })
      expect([url, res.status]).toEqual([url, 201])
    }
  })

  test('an update to a private address is refused the same way', async () => {
    const list = await ctx.call('GET', '/api/v1/webhooks', { token: key })
    const id = list.body.data[0].id
    const res = await ctx.call('PATCH', `/api/v1/webhooks/${id}`, { token: key, body: { url: 'https://10.0.0.8/' } })
    expect(res.status).toBe(400)
    expect(res.body.error.details[0].field).toBe('/url')
  })
})

describe('secrets are shown once', () => {
  test('an Idempotency-Key replay of create or rotate answers the same endpoint with secret null, and stores no secret', async () => {
    const app = await webhookApp()
    const body = { url: 'https://hooks.example.com/idem', events: ['*'] }
    const first = await app.call('POST', '/api/v1/webhooks', { token: app.key, body, headers: { 'idempotency-key': 'wh-1' } })
    const replay = await app.call('POST', '/api/v1/webhooks', { token: app.key, body, headers: { 'idempotency-key': 'wh-1' } })
    expect(first.body.data.secret).toMatch(/^whsec_/)
    expect(replay.status).toBe(201)
    expect(replay.body.data).toMatchObject({ id: first.body.data.id, secret: null })
    const id = first.body.data.id
    const rotated = await app.call('POST', `/api/v1/webhooks/${id}/rotate-secret`, { token: app.key, headers: { 'idempotency-key': 'wh-2' } })
    const rotatedAgain = await app.call('POST', `/api/v1/webhooks/${id}/rotate-secret`, { token: app.key, headers: { 'idempotency-key': 'wh-2' } })
    expect(rotated.body.data.secret).toMatch(/^whsec_/)
    expect(rotatedAgain.body.data.secret).toBeNull()
    const stored = await app.db.selectFrom('idempotency_keys').select('response_body').execute()
    expect(stored.map((s) => s.response_body).join('')).not.toContain('whsec_')
    const list = await app.call('GET', '/api/v1/webhooks', { token: app.key })
    expect(list.body.pagination.total).toBe(1)
  })
})
