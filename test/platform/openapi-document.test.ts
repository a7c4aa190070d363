import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { EVENT_TYPE_NAMES } from '../../src/events/catalog'
import { compressedAsset } from '../../src/http/compressed'
import { ROOT } from '../helpers/binary'
import { createHttpApp, type HttpApp } from '../helpers/http'

// The served /openapi.json as integrators' tools see it: valid for Redocly's recommended rules,
// small, compressed, cacheable, with named components and every header and status declared.
// HTTP only, so it runs in-process and against the binary (CREWBASE_TEST_TARGET=binary).

type Json = Record<string, any>
let ctx: HttpApp
let raw: string
let doc: Json
beforeAll(async () => {
  ctx = await createHttpApp()
  raw = await (await ctx.request('/openapi.json')).text()
  doc = JSON.parse(raw)
})
afterAll(() => ctx?.close())

const operations = () =>
  Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    Object.entries<Json>(item)
      .filter(([method]) => method !== 'parameters')
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op, authed: op.security === undefined })),
  )

function walk(node: unknown, visit: (node: Json, at: string) => void, at = '#') {
  if (Array.isArray(node)) node.forEach((n, i) => walk(n, visit, `${at}/${i}`))
  else if (node && typeof node === 'object') {
    visit(node as Json, at)
    for (const [k, v] of Object.entries(node)) walk(v, visit, `${at}/${k}`)
  }
}

describe('the OpenAPI document', () => {
  test('passes `redocly lint` with the recommended rules: no error, no warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crewbase-openapi-'))
    try {
      const file = join(dir, 'openapi.json')
      writeFileSync(file, raw)
      const run = Bun.spawnSync(['node', join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--format=json', '--max-problems=50'], {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' },
        stdout: 'pipe',
        stderr: 'pipe',
      })
      const out = run.stdout.toString()
      const report = JSON.parse(out.slice(out.indexOf('{')))
      const problems = report.problems.map((p: Json) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`)
      expect(problems).toEqual([])
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)

  test('is at most 250 KB and is sent as br or gzip when asked, with an ETag and 304 on revalidation', async () => {
    expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(250_000)
    const br = await ctx.request('/openapi.json', { headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i)
    const etag = br.headers.get('etag')
    expect(etag).toMatch(/^W\/".+"$/)
    // In-process the bytes are as sent; over HTTP, fetch has already undone the encoding.
    const decoded = (bytes: Buffer, decode: (b: Buffer) => Buffer) => (bytes[0] === 0x7b ? bytes : decode(bytes)).toString()
    expect(decoded(Buffer.from(await br.arrayBuffer()), brotliDecompressSync)).toBe(raw)
    const gz = await ctx.request('/openapi.json', { headers: { 'accept-encoding': 'gzip' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(decoded(Buffer.from(await gz.arrayBuffer()), gunzipSync)).toBe(raw)
    expect(gz.headers.get('etag')).toBe(etag)
    const again = await ctx.request('/openapi.json', { headers: { 'if-none-match': etag! } })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
  })

  test('/docs and its script are compressed and cacheable too', async () => {
    for (const path of ['/docs', '/docs/scalar.js']) {
      const res = await ctx.request(path, { headers: { 'accept-encoding': 'br, gzip' } })
      expect([path, res.status, res.headers.get('content-encoding')]).toEqual([path, 200, 'br'])
      const etag = res.headers.get('etag')!
      expect(etag).toMatch(/^W\/".+"$/)
      await res.arrayBuffer()
      expect((await ctx.request(path, { headers: { 'if-none-match': etag } })).status).toBe(304)
    }
  }, 60_000)

  test('names every shape an integrator types, and operations refer to them', () => {
    const schemas = doc.components.schemas
    for (const name of ['Job', 'JobSummary', 'JobCreate', 'JobUpdate', 'Client', 'Invoice', 'LineItem', 'Payment', 'WebhookEndpoint', 'Delivery', 'Attempt', 'Event', 'Pagination', 'Error']) {
      expect([name, schemas[name] !== undefined]).toEqual([name, true])
    }
    for (const type of EVENT_TYPE_NAMES) {
      const name = `${type.split(/[._]/).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('')}Event`
      expect([type, doc.webhooks[type].post.requestBody.content['application/json'].schema.$ref]).toEqual([type, `#/components/schemas/${name}`])
    }
    for (const name of Object.keys(schemas)) expect(name).toMatch(/^[A-Z][A-Za-z]+$/)
    for (const { method, path, op } of operations()) {
      const body = op.requestBody?.content?.['application/json']?.schema
      if (body) expect([method, path, body.$ref]).toEqual([method, path, expect.stringMatching(/^#\/components\/schemas\//)])
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        const resolved = response.$ref ? doc.components.responses[response.$ref.split('/').pop()] : response
        const schema = resolved.content?.['application/json']?.schema
        if (Number(status) >= 400) expect(schema?.$ref).toBe('#/components/schemas/Error')
        const data = schema?.properties?.data
        if (data) expect([method, path, data.$ref ?? data.items?.$ref]).toEqual([method, path, expect.stringMatching(/^#\/components\/schemas\//)])
      }
    }
  })

  test('says integers are integers, keeps null in nullable enums, and carries no TypeBox-only keyword', () => {
    const problems: string[] = []
    walk(doc, (node, at) => {
      if ('error' in node && typeof node.error === 'string') problems.push(`${at}: error keyword`)
      if ('noValidate' in node) problems.push(`${at}: noValidate`)
      if (node.type === 'string' && ['integer', 'numeric'].includes(node.format)) problems.push(`${at}: integer as a string`)
      if (Array.isArray(node.type) && node.type.includes('null') && Array.isArray(node.enum) && !node.enum.includes(null)) problems.push(`${at}: enum without null`)
      if (node.default !== undefined && node.minimum !== undefined && node.default < node.minimum) problems.push(`${at}: default under minimum`)
    })
    expect(problems).toEqual([])
    const perPage = doc.components.parameters.PerPage
    expect(perPage.schema).toEqual({ type: 'integer', minimum: 1, maximum: 100 })
    const outcome = doc.components.schemas.JobSummary.properties.outcome
    expect(outcome).toMatchObject({ type: ['string', 'null'], enum: ['success', 'failure', null] })
  })

  test('declares every header, on the operations and answers that carry it', () => {
    expect(Object.keys(doc.components.headers).sort()).toEqual(
      ['ETag', 'IdempotentReplayed', 'Limit', 'Policy', 'RateLimit', 'Remaining', 'Reset', 'RetryAfter'].sort(),
    )
    expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header' })
    expect(doc.components.parameters.IfMatch).toMatchObject({ name: 'If-Match', in: 'header' })
    expect(Object.keys(doc.components.responses.RateLimited.headers)).toEqual(
      expect.arrayContaining(['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'RateLimit', 'RateLimit-Policy']),
    )
    for (const { method, path, op, authed } of operations()) {
      const params = (op.parameters ?? []).map((p: Json) => p.$ref)
      if (method === 'POST' && authed) expect([path, params]).toEqual([path, expect.arrayContaining(['#/components/parameters/IdempotencyKey'])])
      if (method === 'PATCH') expect([path, params]).toEqual([path, expect.arrayContaining(['#/components/parameters/IfMatch'])])
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        if (Number(status) >= 300 || !authed) continue
        const resolved = response.$ref ? doc.components.responses[response.$ref.split('/').pop()] : response
        expect([path, status, Object.keys(resolved.headers ?? {})]).toEqual([
          path,
          status,
          expect.arrayContaining(['RateLimit', 'RateLimit-Policy']),
        ])
      }
    }
    const getJob = doc.components.responses.Job
    expect(Object.keys(getJob.headers)).toContain('ETag')
  })

  test('lists the statuses each operation can answer', () => {
    for (const { method, path, op, authed } of operations()) {
      const statuses = Object.keys(op.responses)
      const expected = [
        ...(method === 'POST' || method === 'PATCH' ? ['400', '413', '415'] : []),
        ...(authed ? ['401', '403', '429'] : []),
        ...(method === 'POST' && authed ? ['409', '422'] : []),
        ...(method === 'PATCH' ? ['412'] : []),
      ]
      expect([method, path, statuses]).toEqual([method, path, expect.arrayContaining(expected)])
    }
  })

  test('a webhook endpoint’s events list every event name', () => {
    const pattern = doc.components.schemas.EventPattern
    expect(pattern.enum).toEqual(expect.arrayContaining(['*', 'job.*', ...EVENT_TYPE_NAMES]))
    expect(doc.components.schemas.WebhookEndpointCreate.properties.events.items.$ref).toBe('#/components/schemas/EventPattern')
  })
})

describe('compressedAsset', () => {
  test('builds its body on the first request, not before, and compresses each encoding once', () => {
    let builds = 0
    const handler = compressedAsset(
      () => {
        builds++
        return 'x'.repeat(10_000)
      },
      { contentType: 'text/plain', cacheControl: 'no-cache' },
    )
    expect(builds).toBe(0)
    const ask = (encoding: string) => handler({ request: new Request('http://localhost/', { headers: { 'accept-encoding': encoding } }) })
    expect(ask('br').headers.get('content-encoding')).toBe('br')
    expect(ask('gzip;q=1, br;q=0').headers.get('content-encoding')).toBe('gzip')
    expect(ask('identity').headers.get('content-encoding')).toBeNull()
    expect(ask('br').headers.get('etag')).toBe(ask('gzip').headers.get('etag'))
    expect(builds).toBe(1)
  })
})
