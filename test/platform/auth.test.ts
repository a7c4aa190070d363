import { beforeEach, describe, expect, test } from 'bun:test'
import { createTestApp, TestClock } from '../helpers/app'

let ctx: Awaited<ReturnType<typeof createTestApp>>
let clock: TestClock
beforeEach(async () => {
  clock = new TestClock()
  ctx = await createTestApp({ clock })
})

describe('bearer authentication', () => {
  const cases: Array<{ name: string; header?: string; status: number; code: string }> = [
    { name: 'no Authorization header', status: 401, code: 'unauthorized' },
    { name: 'a Basic header', header: 'Basic abc', status: 401, code: 'unauthorized' },
    { name: 'an unknown key', header: 'Bearer cb_live_nope', status: 401, code: 'unauthorized' },
    { name: 'an unknown session token', header: 'Bearer cb_sess_nope', status: 401, code: 'unauthorized' },
  ]
  for (const c of cases) {
    test(`${c.name} is answered ${c.status} ${c.code}`, async () => {
      const res = await ctx.call('GET', '/api/v1/users', { headers: c.header ? { authorization: c.header } : {} })
      expect(res.status).toBe(c.status)
      expect(res.body.error.code).toBe(c.code)
      expect(res.headers.get('www-authenticate')).toContain('Bearer')
    })
  }

  test('a revoked key fails on the very next request', async () => {
    const { key } = await ctx.seedOrg()
    const created = await ctx.call('POST', '/api/v1/api-keys', { token: key, body: { label: 'temp', permissions: { admin: 'write' } } })
    expect(created.status).toBe(201)
    const temp = created.body.data.key as string
    expect((await ctx.call('GET', '/api/v1/users', { token: temp })).status).toBe(200)
    expect((await ctx.call('DELETE', `/api/v1/api-keys/${created.body.data.id}`, { token: key })).status).toBe(204)
    const after = await ctx.call('GET', '/api/v1/users', { token: temp })
    expect(after.status).toBe(401)
  })

  test('an expired key is 401', async () => {
    const { key } = await ctx.seedOrg()
    const expiresAt = new Date(clock.now().getTime() + 60_000).toISOString()
    const created = await ctx.call('POST', '/api/v1/api-keys', {
      token: key,
      body: { label: 'short', permissions: { admin: 'write' }, expires_at: expiresAt },
    })
    expect(created.status).toBe(201)
    expect((await ctx.call('GET', '/api/v1/users', { token: created.body.data.key })).status).toBe(200)
    clock.advance(61_000)
    const res = await ctx.call('GET', '/api/v1/users', { token: created.body.data.key })
    expect(res.status).toBe(401)
    expect(res.body.error.message).toContain('expired')
  })

  test('a key without the permission gets 403 forbidden', async () => {
    const { key } = await ctx.seedOrg()
    const limited = await ctx.call('POST', '/api/v1/api-keys', { token: key, body: { label: 'ro', permissions: { jobs: 'read' } } })
    const res = await ctx.call('GET', '/api/v1/users', { token: limited.body.data.key })
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('forbidden')
  })

  test('a key cannot grant more than it holds', async () => {
    const { key } = await ctx.seedOrg()
    const admin = await ctx.call('POST', '/api/v1/api-keys', { token: key, body: { label: 'adm', permissions: { admin: 'write' } } })
    const res = await ctx.call('POST', '/api/v1/api-keys', {
      token: admin.body.data.key,
      body: { label: 'escalate', permissions: { jobs: 'write' } },
    })
    expect(res.status).toBe(403)
  })

  test('another organization’s user is 404, never 403', async () => {
    const a = await ctx.seedOrg('A')
    const b = await ctx.seedOrg('B')
    const res = await ctx.call('GET', `/api/v1/users/${b.user.id}`, { token: a.key })
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('not_found')
    const del = await ctx.call('DELETE', `/api/v1/api-keys/${b.user.id}`, { token: a.key })
    expect(del.status).toBe(404)
  })
})

describe('API keys', () => {
  test('the full key is shown once, stored only as a hash, and listed without it', async () => {
    const { key } = await ctx.seedOrg()
    const created = await ctx.call('POST', '/api/v1/api-keys', { token: key, body: { label: 'CRM', permissions: { clients: 'read' } } })
    expect(created.body.data.key).toMatch(/^cb_live_[0-9A-Za-z]{32,}$/)
    expect(created.body.data.prefix).toBe(created.body.data.key.slice(0, 14))
    expect(created.body.data.permissions.clients).toBe('read')
    expect(created.body.data.permissions.jobs).toBe('none')
    const list = await ctx.call('GET', '/api/v1/api-keys', { token: key })
    expect(JSON.stringify(list.body)).not.toContain(created.body.data.key)
    const rows = await ctx.db.selectFrom('api_keys').selectAll().execute()
    expect(JSON.stringify(rows)).not.toContain(created.body.data.key)
  })

  test('at most 5 active keys per organization', async () => {
    const { key } = await ctx.seedOrg() // the seed key is the first
    for (let i = 0; i < 4; i++) {
      expect((await ctx.call('POST', '/api/v1/api-keys', { token: key, body: { label: `k${i}`, permissions: {} } })).status).toBe(201)
    }
    const sixth = await ctx.call('POST', '/api/v1/api-keys', { token: key, body: { label: 'k6', permissions: {} } })
    expect(sixth.status).toBe(409)
    expect(sixth.body.error.code).toBe('conflict')
  })

  test('unknown permission names and levels are 400 naming the field', async () => {
    const { key } = await ctx.seedOrg()
    const res = await ctx.call('POST', '/api/v1/api-keys', { token: key, body: { label: 'x', permissions: { jobz: 'read' } } })
    expect(res.status).toBe(400)
    expect(res.body.error.details[0].field).toBe('/permissions/jobz')
  })

  test('last_used_at is recorded', async () => {
    const { key } = await ctx.seedOrg()
    await ctx.call('GET', '/api/v1/users', { token: key })
    const list = await ctx.call('GET', '/api/v1/api-keys', { token: key })
    expect(list.body.data[0].last_used_at).not.toBeNull()
  })
})

describe('sessions', () => {
  test('sign in, use the token, sign out', async () => {
    const { user, password } = await ctx.seedOrg()
    const signIn = await ctx.call('POST', '/api/auth', { body: { email: user.email, password } })
    expect(signIn.status).toBe(201)
    const token = signIn.body.data.token
    expect(signIn.body.data.user.email).toBe(user.email)
    expect(signIn.body.data.user.password_hash).toBeUndefined()
    expect((await ctx.call('GET', '/api/auth', { token })).body.data.user.role).toBe('owner')
    expect((await ctx.call('GET', '/api/v1/users', { token })).status).toBe(200)
    expect((await ctx.call('DELETE', '/api/auth', { token })).status).toBe(204)
    expect((await ctx.call('GET', '/api/v1/users', { token })).status).toBe(401)
  })

  test('a wrong password is 401 and says nothing about which part was wrong', async () => {
    const { user } = await ctx.seedOrg()
    const wrong = await ctx.call('POST', '/api/auth', { body: { email: user.email, password: 'nope nope' } })
    const unknown = await ctx.call('POST', '/api/auth', { body: { email: 'ghost@example.com', password: 'nope nope' } })
    expect(wrong.status).toBe(401)
    expect(unknown.body.error.message).toBe(wrong.body.error.message)
  })

  test('the 11th session ends the oldest', async () => {
    const { user, password } = await ctx.seedOrg()
    const tokens: string[] = []
    for (let i = 0; i < 11; i++) tokens.push((await ctx.call('POST', '/api/auth', { body: { email: user.email, password } })).body.data.token)
    expect((await ctx.call('GET', '/api/auth', { token: tokens[0] })).status).toBe(401)
    expect((await ctx.call('GET', '/api/auth', { token: tokens[1] })).status).toBe(200)
    expect((await ctx.call('GET', '/api/auth', { token: tokens[10] })).status).toBe(200)
  })

  test('sessions expire', async () => {
    const { user, password } = await ctx.seedOrg()
    const token = (await ctx.call('POST', '/api/auth', { body: { email: user.email, password } })).body.data.token
    clock.advance(15 * 24 * 3600 * 1000)
    expect((await ctx.call('GET', '/api/v1/users', { token })).status).toBe(401)
  })

  test('a crew member cannot manage users', async () => {
    const { key } = await ctx.seedOrg()
    await ctx.call('POST', '/api/v1/users', { token: key, body: { email: 'crew@example.com', password: 'crew-password', role: 'crew' } })
    const token = (await ctx.call('POST', '/api/auth', { body: { email: 'crew@example.com', password: 'crew-password' } })).body.data.token
    expect((await ctx.call('GET', '/api/v1/users', { token })).status).toBe(403)
  })
})

describe('first-run setup', () => {
  test('creates the organization and signs in, then refuses with 409', async () => {
    expect((await ctx.call('GET', '/api/setup')).body.data.needed).toBe(true)
    const first = await ctx.call('POST', '/api/setup', { body: { org: 'Acme', email: 'o@example.com', password: 'long-enough' } })
    expect(first.status).toBe(201)
    expect(first.body.data.token).toStartWith('cb_sess_')
    expect((await ctx.call('GET', '/api/v1/users', { token: first.body.data.token })).body.data).toHaveLength(1)
    const again = await ctx.call('POST', '/api/setup', { body: { org: 'Evil', email: 'e@example.com', password: 'long-enough' } })
    expect(again.status).toBe(409)
    expect((await ctx.call('GET', '/api/setup')).body.data.needed).toBe(false)
  })
})

describe('users', () => {
  test('the last owner cannot be demoted or removed', async () => {
    const { key, user } = await ctx.seedOrg()
    expect((await ctx.call('PATCH', `/api/v1/users/${user.id}`, { token: key, body: { role: 'admin' } })).status).toBe(409)
    expect((await ctx.call('DELETE', `/api/v1/users/${user.id}`, { token: key })).status).toBe(409)
  })

  test('PATCH honours If-Match and bumps the version', async () => {
    const { key, user } = await ctx.seedOrg()
    const got = await ctx.call('GET', `/api/v1/users/${user.id}`, { token: key })
    expect(got.headers.get('etag')).toBe('"v1"')
    const stale = await ctx.call('PATCH', `/api/v1/users/${user.id}`, { token: key, body: { name: 'X' }, headers: { 'if-match': '"v9"' } })
    expect(stale.status).toBe(412)
    expect(stale.body.error.code).toBe('precondition_failed')
    const ok = await ctx.call('PATCH', `/api/v1/users/${user.id}`, { token: key, body: { name: 'X' }, headers: { 'if-match': '"v1"' } })
    expect(ok.status).toBe(200)
    expect(ok.body.data.version).toBe(2)
    expect(ok.headers.get('etag')).toBe('"v2"')
  })

  test('a duplicate email is 409', async () => {
    const { key, user } = await ctx.seedOrg()
    const res = await ctx.call('POST', '/api/v1/users', { token: key, body: { email: user.email.toUpperCase(), password: 'password1', role: 'crew' } })
    expect(res.status).toBe(409)
  })
})

describe('API keys and Idempotency-Key', () => {
  test('a replayed create answers the same key without the secret, and the secret never reaches the database', async () => {
    const { key } = await ctx.seedOrg()
    const send = () =>
      ctx.call('POST', '/api/v1/api-keys', { token: key, body: { label: 'idem', permissions: {} }, headers: { 'idempotency-key': 'once' } })
    const first = await send()
    const replay = await send()
    expect(replay.status).toBe(201)
    expect(replay.body.data.id).toBe(first.body.data.id)
    expect(replay.body.data.key).toBeNull()
    const stored = await ctx.db.selectFrom('idempotency_keys').selectAll().execute()
    expect(JSON.stringify(stored)).not.toContain(first.body.data.key)
  })
})
