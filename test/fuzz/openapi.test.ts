import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { createHttpApp, type HttpApp } from '../helpers/http'

// Walks every operation of our own OpenAPI document with hostile input and asserts the
// server answers each with a 4xx in the error envelope (or a 2xx), never a 5xx, and stays up.
// CI runs a fixed seed and a few runs per operation, in-process and against the binary
// (`npm run test:binary`); `npm run fuzz` runs longer.
const SEED = Number(process.env.FUZZ_SEED ?? 20261122)
const RUNS = Number(process.env.FUZZ_RUNS ?? 12)

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    "'; DROP TABLE jobs; --",
    '" OR 1=1 --',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    '\u0000',
    '\uFEFF\u202E\u200B',
    '𝕳𝖊𝖑𝖑𝖔 👩‍👩‍👧‍👦',
    'a'.repeat(10_000),
    'job_01m81nt0e610ctetnjzqmr7spk',
    '9'.repeat(400),
    '-1',
    'NaN',
    'null',
    '[object Object]',
    '__proto__',
    'constructor',
  ),
)
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 63, 1.5, -0.0000001),
)
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'id', 'org_id', 'version')), tie('value'), {
      maxKeys: 5,
    }),
  ),
})).value

/** A body: sometimes shaped like the schema with hostile values, sometimes anything at all, sometimes broken JSON. */
function bodyFor(schema: any): fc.Arbitrary<{ raw: string; type: string }> {
  const props = schema?.properties ? Object.keys(schema.properties) : []
  const shaped = fc
    .record(
      Object.fromEntries(props.map((p) => [p, fc.option(hostileValue, { nil: undefined })])),
      { requiredKeys: [] },
    )
    .chain((obj) =>
      fc.record({ extra: fc.option(fc.dictionary(hostileString, hostileValue, { maxKeys: 2 }), { nil: undefined }) }).map(
        ({ extra }) => ({ ...obj, ...extra }),
      ),
    )
  const json = fc.oneof(shaped, hostileValue).map((v) => ({ raw: JSON.stringify(v) ?? 'null', type: 'application/json' }))
  const broken = fc.oneof(
    fc.constantFrom('{', '{"a":', '[1,2', 'nul', '{"a":1}}', '\u0000', '{"a":"\ud800"}', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['.repeat(300)),
    fc.string(),
  ).map((raw) => ({ raw, type: 'application/json' }))
  const wrongType = fc.constantFrom({ raw: 'a=1&b=2', type: 'application/x-www-form-urlencoded' }, { raw: '<x/>', type: 'text/xml' })
  return fc.oneof({ arbitrary: json, weight: 6 }, { arbitrary: broken, weight: 2 }, { arbitrary: wrongType, weight: 1 })
}

function queryFor(parameters: any[] | undefined): fc.Arbitrary<string> {
  const names = (parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name as string)
  if (names.length === 0) return fc.constant('')
  return fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...names), hostileString), fc.oneof(hostileString, hostileNumber.map(String))), {
      maxLength: 4,
    })
    .map((pairs) => (pairs.length ? `?${new URLSearchParams(pairs.map(([k, v]) => [k, v])).toString()}` : ''))
}

let ctx: HttpApp
let key: string
let operations: Array<{ method: string; path: string; op: any }>
/** Ids of rows that exist, so hostile bodies also reach handlers past their 404 (PATCH of a real job…). */
let realIds: string[] = []

const ID = /^[a-z]+_[0-9a-z]{26}$/

/** Every id in a JSON answer (`id` and `*_id` fields, at any depth). */
function idsIn(value: unknown, into: Set<string>) {
  if (Array.isArray(value)) for (const item of value) idsIn(item, into)
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'id' || k.endsWith('_id')) && typeof v === 'string' && ID.test(v)) into.add(v)
      else idsIn(v, into)
    }
  }
}

/** One of each resource through the API (plain valid bodies), then every id the lists show. */
async function seedResources() {
  const post = async (path: string, body: unknown) => (await ctx.call('POST', `/api/v1${path}`, { token: key, body })).body?.data ?? {}
  const client = await post('/clients', { name: 'Fuzz Client' })
  const property = await post('/properties', { client_id: client.id, address: '1 Main St' })
  await post('/contacts', { client_id: client.id, name: 'Fuzz Contact' })
  const crew = await post('/contractors', { name: 'Fuzz Crew' })
  const job = await post('/jobs', { title: 'Fuzz job', client_id: client.id, property_id: property.id })
  await post(`/jobs/${job.id}/phases`, { title: 'Phase' })
  await post(`/jobs/${job.id}/assignments`, { contractor_id: crew.id })
  await post(`/jobs/${job.id}/messages`, { body: 'hello' })
  await post(`/jobs/${job.id}/checkins`, { contractor_id: crew.id, type: 'in' })
  await post('/pricebook', { name: 'Valve', kind: 'material', unit_price_cents: 1200 })
  await post('/estimates', { client_id: client.id, line_items: [{ description: 'x', quantity: 1, unit_price_cents: 1000 }] })
  const invoice = await post('/invoices', { client_id: client.id, line_items: [{ description: 'x', quantity: 1, unit_price_cents: 1000 }] })
  await post(`/invoices/${invoice.id}/send`, {})
  await post('/payments', { invoice_id: invoice.id, amount_cents: 100, method: 'cash' })
  await post('/requests', { description: 'Leaky tap' })
  await post('/places', { name: 'Depot', lat: 51.5, lng: -0.1 })
  await post('/alert-rules', { type: 'job_late_start', title: 'Late', minutes: 30 })
  // A closed local port: a Test button attempt fails at once instead of waiting on the network.
  await post('/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['*'] })
  await post(`/jobs/${job.id}/start`, {}) // an event after the endpoint exists: a delivery to address
  await post('/ingress-webhooks', { name: 'Zapier' })
  await post('/users', { email: 'fuzz-dispatcher@example.com', password: 'password123', role: 'dispatcher' })
  await post('/api-keys', { label: 'fuzz', permissions: { jobs: 'read' } })
  const ids = new Set<string>()
  for (const { method, path } of operations) {
    if (method !== 'GET' || path.includes('{')) continue
    const res = await ctx.call('GET', path, { token: key })
    if (res.status === 200) idsIn(res.body, ids)
  }
  return [...ids]
}

beforeAll(async () => {
  ctx = await createHttpApp({ env: { CREWBASE_RATE_LIMIT: '1000000' } })
  key = (await ctx.seedOrg()).key
  const doc = (await ctx.call('GET', '/openapi.json')).body
  operations = Object.entries<Record<string, any>>(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => ['get', 'post', 'patch', 'put', 'delete'].includes(method))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  )
  realIds = await seedResources()
}, 60_000)
afterAll(async () => {
  await ctx?.close()
})

describe('fuzzing every operation of /openapi.json', () => {
  test('hostile input never yields a 5xx and always a proper envelope', async () => {
    expect(operations.length).toBeGreaterThan(5)
    // Every kind of resource made it, so their handlers are reached with real ids.
    expect(new Set(realIds.map((id) => id.split('_')[0])).size).toBeGreaterThan(20)
    const failures: string[] = []
    for (const { method, path, op } of operations) {
      const schema = op.requestBody?.content?.['application/json']?.schema
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(hostileString, fc.constantFrom(...realIds)), { minLength: 3, maxLength: 3 }),
          queryFor(op.parameters),
          bodyFor(schema),
          fc.boolean(),
          async (ids, query, body, withAuth) => {
            let i = 0
            const url = path.replace(/\{[^}]+\}/g, () => encodeURIComponent(ids[i++] ?? 'x')) + query
            const headers: Record<string, string> = { 'content-type': body.type }
            if (withAuth) headers.authorization = `Bearer ${key}`
            const hasBody = method !== 'GET' && method !== 'DELETE'
            const res = await ctx.request(url, { method, headers, body: hasBody ? body.raw : undefined })
            const text = await res.text()
            if (process.env.FUZZ_DEBUG) console.log(method, url.slice(0, 60), res.status)
            if (res.status >= 500) {
              failures.push(`${method} ${url} ${body.raw.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`)
              return false
            }
            if (res.status >= 400) {
              const parsed = JSON.parse(text)
              if (typeof parsed?.error?.code !== 'string' || typeof parsed?.error?.message !== 'string') {
                failures.push(`${method} ${url} → ${res.status} without envelope: ${text.slice(0, 200)}`)
                return false
              }
            }
            return true
          },
        ),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      ).catch(() => {})
    }
    expect(failures).toEqual([])
    expect((await ctx.call('GET', '/health')).status).toBe(200)
  }, 300_000)
})

/** Every list: a GET whose parameters include `per_page`. */
const lists = () => operations.filter(({ method, op }) => method === 'GET' && op.parameters?.some((p: any) => p.name === 'per_page'))

const parents = new Map<string, string>()

/** A nested list's path (`/jobs/{id}/phases`) with a real id of its parent, one that GET `/jobs/{id}` finds. */
async function listUrl(path: string): Promise<string> {
  const match = /^(.*)\/\{[^}]+\}(\/[^{}]+)$/.exec(path)
  if (!match) return path
  const [, parent, rest] = match as unknown as [string, string, string]
  if (!parents.has(parent)) {
    for (const id of realIds) {
      if ((await ctx.call('GET', `${parent}/${id}`, { token: key })).status === 200) {
        parents.set(parent, id)
        break
      }
    }
  }
  const id = parents.get(parent)
  if (!id) throw new Error(`no real id found for ${parent}`)
  return `${parent}/${id}${rest}`
}

describe('every list refuses bad page, per_page and cursor values', () => {
  const max = (op: any, name: string) => op.parameters.find((p: any) => p.name === name)?.schema?.maximum as number
  const values = (op: any, name: string): string[] => {
    const common = ['0', '-1', '0x10', '1e2', '%2050', '50%20', '1.5', '', '%2B1', '1,2', 'NaN']
    if (name === 'cursor') return [...common, 'zzz', 'a'.repeat(201)]
    return [...common, String(max(op, name) + 1), '9'.repeat(30)]
  }

  test('zero, negative, over the maximum, non-decimal, empty and repeated values are 400 naming the parameter', async () => {
    expect(lists().length).toBeGreaterThanOrEqual(20)
    const wrong: string[] = []
    for (const { path, op } of lists()) {
      const url = await listUrl(path)
      for (const name of ['page', 'per_page', 'cursor']) {
        if (!op.parameters.some((p: any) => p.name === name)) continue
        if (name !== 'cursor') expect(max(op, name), `${path} ${name}`).toBeNumber()
        const queries = [...values(op, name).map((v) => `${name}=${v}`), `${name}=1&${name}=1`]
        for (const query of queries) {
          const res = await ctx.call('GET', `${url}?${query}`, { token: key })
          const fields = res.body?.error?.details?.map((d: { field: string }) => d.field)
          if (res.status !== 400 || res.body.error.code !== 'validation_failed' || !fields?.includes(`/${name}`)) {
            wrong.push(`${url}?${query} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`)
          }
        }
      }
    }
    expect(wrong).toEqual([])
  }, 300_000)

  test('good values answer with JSON numbers, and next_cursor walks to the end', async () => {
    const wrong: string[] = []
    for (const { path } of lists()) {
      const url = await listUrl(path)
      const res = await ctx.call('GET', `${url}?page=1&per_page=1`, { token: key })
      if (res.status !== 200) {
        wrong.push(`${url} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`)
        continue
      }
      const { page, per_page, total } = res.body.pagination
      if (page !== 1 || per_page !== 1 || typeof total !== 'number') wrong.push(`${url} pagination ${JSON.stringify(res.body.pagination)}`)
      let seen = res.body.data.length
      let cursor = res.body.pagination.next_cursor
      while (cursor && seen <= total) {
        const next = await ctx.call('GET', `${url}?per_page=1&cursor=${cursor}`, { token: key })
        if (next.status !== 200 || next.body.pagination.page !== null) {
          wrong.push(`${url} cursor → ${next.status} ${JSON.stringify(next.body).slice(0, 200)}`)
          break
        }
        seen += next.body.data.length
        cursor = next.body.pagination.next_cursor
      }
      if (seen !== total) wrong.push(`${url}: walked ${seen} of ${total}`)
    }
    expect(wrong).toEqual([])
  }, 120_000)
})
