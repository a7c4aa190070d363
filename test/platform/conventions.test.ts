import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { awayFromMinuteBoundary } from '../helpers/binary'
import { createHttpApp, type HttpApp } from '../helpers/http'
import { deref } from '../helpers/openapi'

// HTTP only: runs in-process and against the binary (CREWBASE_TEST_TARGET=binary).
// `ctx` has a tight rate limit for the envelope table; `roomy` gives each test its own org.
let ctx: HttpApp
let roomy: HttpApp
let key: string
beforeAll(async () => {
  ;[ctx, roomy] = await Promise.all([createHttpApp({ env: { CREWBASE_RATE_LIMIT: '5' } }), createHttpApp()])
  key = (await ctx.seedOrg()).key
})
afterAll(async () => {
  await Promise.all([ctx?.close(), roomy?.close()])
})

describe('error envelope and conventions', () => {
  const cases: Array<{ name: string; method: string; path: string; raw?: string; type?: string; status: number; code: string }> = [
    { name: 'malformed JSON', method: 'POST', path: '/api/v1/users', raw: '{"email":', type: 'application/json', status: 400, code: 'validation_failed' },
    { name: 'a non-JSON body', method: 'POST', path: '/api/v1/users', raw: 'email=x', type: 'application/x-www-form-urlencoded', status: 415, code: 'unsupported_media_type' },
    { name: 'a body over 1 MiB', method: 'POST', path: '/api/v1/users', raw: `"${'x'.repeat(1_100_000)}"`, type: 'application/json', status: 413, code: 'payload_too_large' },
    { name: 'an unknown route', method: 'GET', path: '/api/v1/nothing-here', status: 404, code: 'not_found' },
    { name: 'a wrong method', method: 'PUT', path: '/api/v1/users', status: 405, code: 'method_not_allowed' },
    { name: 'per_page over 100', method: 'GET', path: '/api/v1/users?per_page=101', status: 400, code: 'validation_failed' },
    { name: 'page 0', method: 'GET', path: '/api/v1/users?page=0', status: 400, code: 'validation_failed' },
    { name: 'a garbage cursor', method: 'GET', path: '/api/v1/users?cursor=zzz', status: 400, code: 'validation_failed' },
  ]
  for (const c of cases) {
    test(`${c.name} → ${c.status} ${c.code}`, async () => {
      const res = await ctx.call(c.method, c.path, { token: key, raw: c.raw, headers: c.type ? { 'content-type': c.type } : {} })
      expect(res.status).toBe(c.status)
      expect(res.body.error.code).toBe(c.code)
      expect(typeof res.body.error.message).toBe('string')
      expect(JSON.stringify(res.body)).not.toContain('    at ')
    })
  }

  test('unknown fields are 400 naming them; wrong types too', async () => {
    const res = await ctx.call('POST', '/api/v1/users', {
      token: key,
      body: { email: 'a@example.com', password: 'password1', role: 'crew', shoe_size: 44 },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain('/shoe_size')
    const wrongType = await ctx.call('POST', '/api/v1/users', { token: key, body: { email: 5, password: 'password1', role: 'crew' } })
    expect(wrongType.status).toBe(400)
    expect(wrongType.body.error.details[0].field).toBe('/email')
  })

  test('405 names the allowed methods', async () => {
    const res = await ctx.call('PUT', '/api/v1/users', { token: key })
    expect(res.headers.get('allow')).toBe('GET, POST')
  })
})

describe('fixed lists of values', () => {
  let localKey: string
  beforeAll(async () => {
    localKey = (await roomy.seedOrg()).key
  })

  const outsideAList: Array<{ name: string; method: string; path: string; body?: unknown; field: string; allowed: string }> = [
    { name: 'a user role', method: 'POST', path: '/api/v1/users', body: { email: 'r@example.com', password: 'password1', role: 'boss' }, field: '/role', allowed: 'owner, admin, dispatcher, crew' },
    { name: 'a user role on PATCH', method: 'PATCH', path: '/api/v1/users/usr_x', body: { role: 'boss' }, field: '/role', allowed: 'owner, admin, dispatcher, crew' },
    { name: 'a pricebook kind', method: 'POST', path: '/api/v1/pricebook', body: { name: 'x', kind: 'labour', unit_price_cents: 1 }, field: '/kind', allowed: 'service, material' },
    { name: 'a payment method', method: 'POST', path: '/api/v1/payments', body: { invoice_id: 'inv_x', amount_cents: 1, method: 'bitcoin' }, field: '/method', allowed: 'cash, check, card, ach, other' },
    { name: 'an estimate status filter', method: 'GET', path: '/api/v1/estimates?status=lost', field: '/status', allowed: 'draft, sent, approved, declined, converted' },
    { name: 'an invoice status filter', method: 'GET', path: '/api/v1/invoices?status=lost', field: '/status', allowed: 'draft, sent, partially_paid, paid, void' },
    { name: 'a delivery status filter', method: 'GET', path: '/api/v1/webhooks/whk_x/deliveries?status=lost', field: '/status', allowed: 'pending, succeeded, failed, skipped' },
  ]
  for (const c of outsideAList) {
    test(`${c.name} outside its list is 400 naming the allowed values`, async () => {
      const res = await roomy.call(c.method, c.path, { token: localKey, body: c.body })
      expect(res.status).toBe(400)
      expect(res.body.error.details).toContainEqual({ field: c.field, message: `must be one of: ${c.allowed}` })
    })
  }
})

describe('idempotency', () => {
  test('the same key and body replays the first response; another body is 422', async () => {
    const { key: k } = await roomy.seedOrg()
    const body = { email: 'idem@example.com', password: 'password1', role: 'crew' }
    const first = await roomy.call('POST', '/api/v1/users', { token: k, body, headers: { 'idempotency-key': 'abc' } })
    const second = await roomy.call('POST', '/api/v1/users', { token: k, body, headers: { 'idempotency-key': 'abc' } })
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(second.body.data.id).toBe(first.body.data.id)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    const other = await roomy.call('POST', '/api/v1/users', { token: k, body: { ...body, role: 'admin' }, headers: { 'idempotency-key': 'abc' } })
    expect(other.status).toBe(422)
    expect(other.body.error.code).toBe('idempotency_key_reused')
    const users = await roomy.call('GET', '/api/v1/users', { token: k })
    expect(users.body.pagination.total).toBe(2)
  })

  test('a failed first attempt frees the key for a corrected retry', async () => {
    const { key: k, user } = await roomy.seedOrg()
    const dup = await roomy.call('POST', '/api/v1/users', { token: k, body: { email: user.email, password: 'password1', role: 'crew' }, headers: { 'idempotency-key': 'k2' } })
    expect(dup.status).toBe(409)
    const retry = await roomy.call('POST', '/api/v1/users', { token: k, body: { email: user.email, password: 'password1', role: 'crew' }, headers: { 'idempotency-key': 'k2' } })
    expect(retry.status).toBe(409)
  })
})

describe('pagination', () => {
  test('pages and cursors walk every item once, newest first', async () => {
    const { key: k } = await roomy.seedOrg()
    for (let i = 0; i < 6; i++) {
      await roomy.call('POST', '/api/v1/users', { token: k, body: { email: `u${i}@example.com`, password: 'password1', role: 'crew' } })
    }
    const page1 = await roomy.call('GET', '/api/v1/users?per_page=3', { token: k })
    expect(page1.body.pagination).toMatchObject({ page: 1, per_page: 3, total: 7 })
    expect(page1.body.data[0].email).toBe('u5@example.com')
    const seen: string[] = page1.body.data.map((u: { id: string }) => u.id)
    let cursor = page1.body.pagination.next_cursor
    while (cursor) {
      const next = await roomy.call('GET', `/api/v1/users?per_page=3&cursor=${cursor}`, { token: k })
      seen.push(...next.body.data.map((u: { id: string }) => u.id))
      cursor = next.body.pagination.next_cursor
    }
    expect(seen).toHaveLength(7)
    expect(new Set(seen).size).toBe(7)
    expect([...seen].sort().reverse()).toEqual(seen)
    const page3 = await roomy.call('GET', '/api/v1/users?per_page=3&page=3', { token: k })
    expect(page3.body.data).toHaveLength(1)
    expect(page3.body.pagination.next_cursor).toBeNull()
  })
})

describe('query integers are plain decimal digits', () => {
  let k: string
  beforeAll(async () => {
    k = (await roomy.seedOrg()).key
  })
  const bad: Array<[string, string]> = [
    ['per_page=0', '/per_page'],
    ['per_page=-1', '/per_page'],
    ['per_page=101', '/per_page'],
    ['page=0', '/page'],
    ['page=-3', '/page'],
    ['page=1000001', '/page'],
    ['page=0x10', '/page'],
    ['per_page=1e2', '/per_page'],
    ['per_page=%2050', '/per_page'],
    ['per_page=50%20', '/per_page'],
    ['per_page=1.5', '/per_page'],
    ['per_page=%2B5', '/per_page'],
    ['per_page=', '/per_page'],
    ['page=99999999999999999999999', '/page'],
    ['per_page=5&per_page=6', '/per_page'],
  ]
  for (const [query, field] of bad) {
    test(`${query} is 400 naming ${field}`, async () => {
      for (const list of ['/api/v1/api-keys', '/api/v1/jobs']) {
        const res = await roomy.call('GET', `${list}?${query}`, { token: k })
        expect([list, res.status]).toEqual([list, 400])
        expect(res.body.error.code).toBe('validation_failed')
        expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual([field])
      }
    })
  }

  test('digits are read as a number and answered as JSON numbers', async () => {
    const res = await roomy.call('GET', '/api/v1/jobs?page=002&per_page=007', { token: k })
    expect(res.status).toBe(200)
    expect(res.body.pagination).toEqual({ page: 2, per_page: 7, total: 0, next_cursor: null })
    const max = await roomy.call('GET', '/api/v1/api-keys?page=1000000&per_page=100', { token: k })
    expect(max.body.pagination).toMatchObject({ page: 1_000_000, per_page: 100, total: 1 })
  })
})

describe('rate limits', () => {
  test('headers on every authenticated answer; over the limit is 429 with Retry-After', async () => {
    const local = await createHttpApp({ env: { CREWBASE_RATE_LIMIT: '3' } })
    const { key: k } = await local.seedOrg()
    await awayFromMinuteBoundary()
    const statuses: number[] = []
    let last
    for (let i = 0; i < 4; i++) {
      last = await local.call('GET', '/api/v1/users', { token: k })
      statuses.push(last.status)
      expect(last.headers.get('x-ratelimit-limit')).toBe('3')
      expect(last.headers.get('ratelimit-policy')).toBe('"default";q=3;w=60')
      expect(Number(last.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1)
    }
    expect(statuses).toEqual([200, 200, 200, 429])
    expect(last!.body.error.code).toBe('rate_limited')
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0')
    await local.close()
  })

  test('a key may carry its own limit', async () => {
    const { key: k } = await roomy.seedOrg()
    await awayFromMinuteBoundary()
    const slow = await roomy.call('POST', '/api/v1/api-keys', { token: k, body: { label: 'slow', permissions: { admin: 'write' }, rate_limit: 1 } })
    expect((await roomy.call('GET', '/api/v1/users', { token: slow.body.data.key })).status).toBe(200)
    expect((await roomy.call('GET', '/api/v1/users', { token: slow.body.data.key })).status).toBe(429)
  })
})

describe('meta', () => {
  test('GET /health needs no auth', async () => {
    const res = await ctx.call('GET', '/health')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok' })
  })

  test('the OpenAPI document is 3.1 with operationIds, tags, bearer security and webhooks', async () => {
    const res = await ctx.call('GET', '/openapi.json')
    expect(res.status).toBe(200)
    const doc = res.body
    expect(doc.openapi).toStartWith('3.1')
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe('bearer')
    expect(Object.keys(doc.webhooks)).toContain('job.completed')
    const ids = new Set<string>()
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        if (method === 'parameters') continue // shared by the path's operations
        expect(op.operationId, `${method} ${path}`).toBeString()
        expect(ids.has(op.operationId)).toBe(false)
        ids.add(op.operationId)
        expect(op.summary, `${method} ${path}`).toBeString()
        expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0)
      }
    }
  })

  test('/docs is served with its script from this server, not a CDN', async () => {
    const res = await ctx.request('/docs')
    const html = await res.text()
    expect(res.status).toBe(200)
    expect(html).toContain('/docs/scalar.js')
    expect(html).not.toMatch(/src="https?:\/\//)
    const script = await ctx.request('/docs/scalar.js')
    expect(script.status).toBe(200)
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000)
  })
})

describe('list totals', () => {
  test('the total follows every write, including deletes and writes by another connection', async () => {
    const { key: k } = await roomy.seedOrg()
    const total = async () => (await roomy.call('GET', '/api/v1/users', { token: k })).body.pagination.total
    expect(await total()).toBe(1)
    const created = await roomy.call('POST', '/api/v1/users', { token: k, body: { email: 't1@example.com', password: 'password1', role: 'crew' } })
    expect(await total()).toBe(2)
    expect(await total()).toBe(2)
    await roomy.call('DELETE', `/api/v1/users/${created.body.data.id}`, { token: k })
    expect(await total()).toBe(1)
  })
})

describe('OpenAPI request bodies', () => {
  test('every operation with a body documents it as application/json with its schema', async () => {
    const served = (await ctx.call('GET', '/openapi.json')).body
    const doc = deref(served, served)
    let bodies = 0
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        if (method === 'parameters' || !op.requestBody) continue
        bodies++
        expect(op.requestBody.content?.['application/json']?.schema?.type, `${method} ${path}`).toBe('object')
      }
    }
    expect(bodies).toBeGreaterThan(3)
  })
})

describe('JSON types are strict', () => {
  test('a numeric string where an integer belongs is 400, not silently converted', async () => {
    const { key: k } = await roomy.seedOrg()
    const res = await roomy.call('POST', '/api/v1/api-keys', { token: k, body: { label: 'x', permissions: {}, rate_limit: '30' } })
    expect(res.status).toBe(400)
    expect(res.body.error.details[0].field).toBe('/rate_limit')
  })
})
