import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createHttpApp, type HttpApp } from '../helpers/http'
import { deref } from '../helpers/openapi'

// Walks every request model of the served document — each body field's constraints, each
// query parameter, each path parameter — breaks one rule at a time and reads the 400: one
// detail per field, naming it, with the rule in plain words, never the validator's own text.
// HTTP only: runs in-process and against the binary (CREWBASE_TEST_TARGET=binary).

type Json = Record<string, any>
let ctx: HttpApp
let key: string
let doc: Json
let ingressToken = ''
beforeAll(async () => {
  ctx = await createHttpApp({ env: { CREWBASE_RATE_LIMIT: '1000000' } })
  key = (await ctx.seedOrg()).key
  const served = (await ctx.call('GET', '/openapi.json')).body
  doc = deref(served, served)
  const ingress = await ctx.call('POST', '/api/v1/ingress-webhooks', { token: key, body: { name: 'Probe' } })
  ingressToken = String(ingress.body.data.url).split('/').pop()!
})
afterAll(() => ctx?.close())

/** What TypeBox, Elysia or the JSON parser say on their own; none of it may reach a person. */
const RAW = /Expected |Unexpected |union value|JSON Parse|should be|Required property|Property '|must match|\[object|undefined|NaN/i

interface Probe {
  what: string
  field: string
  value: unknown
  /** The words the message must contain. */
  says: RegExp
}

/** The first branch of `X | null`: the rules a value must follow. */
const rulesOf = (schema: Json): Json => (Array.isArray(schema.anyOf) ? (schema.anyOf.find((s: Json) => s.type !== 'null') ?? schema) : schema)
const mainType = (schema: Json) => (Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type)
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** One broken value per rule of a field. */
function probesFor(field: string, schema: Json): Probe[] {
  const s = rulesOf(schema)
  const type = mainType(s)
  const out: Probe[] = []
  const enumValues = (s.enum ?? []).filter((v: unknown) => v !== null)
  if (enumValues.length > 0) {
    out.push({ what: 'a value outside the list', field, value: 'zz-not-one', says: new RegExp(`one of: ${escape(String(enumValues[0]))}, `) })
    return out
  }
  if (type === 'string') {
    out.push({ what: 'a number for text', field, value: 12345, says: /must be/ })
    if (s.maxLength !== undefined && !s.format) {
      out.push({ what: 'text over the limit', field, value: 'x'.repeat(s.maxLength + 1), says: new RegExp(`at most ${s.maxLength} character`) })
    }
    if (s.minLength >= 1 && !s.format && !s.pattern) {
      out.push({
        what: 'text under the limit',
        field,
        value: 'x'.repeat(s.minLength - 1),
        says: s.minLength === 1 ? /must not be empty/ : new RegExp(`at least ${s.minLength} character`),
      })
    }
    if (s.format === 'date-time') out.push({ what: 'a word for a date-time', field, value: 'tomorrow', says: /date-time with a time zone, like 2026-03-02T14:05:00Z/ })
    if (s.format === 'date') out.push({ what: 'a word for a date', field, value: 'next week', says: /a date like 2026-12-31/ })
    if (s.format === 'email') out.push({ what: 'not an email', field, value: 'not-an-email', says: /email address/ })
  }
  if (type === 'integer' || type === 'number') {
    out.push({ what: 'text for a number', field, value: 'seven', says: /must be/ })
    if (type === 'integer') out.push({ what: 'a fraction for an integer', field, value: 1.5, says: /integer|whole/ })
    if (s.minimum !== undefined) out.push({ what: 'under the minimum', field, value: s.minimum - 1, says: new RegExp(`at least ${s.minimum}|from ${s.minimum} to`) })
    if (s.maximum !== undefined) out.push({ what: 'over the maximum', field, value: s.maximum + 1, says: new RegExp(`at most ${s.maximum}|to ${s.maximum}`) })
  }
  if (type === 'boolean') out.push({ what: 'text for a boolean', field, value: 'yes', says: /true or false/ })
  if (type === 'array') {
    out.push({ what: 'an object for a list', field, value: { a: 1 }, says: /list/ })
    if (s.maxItems !== undefined && s.maxItems < 1000) {
      out.push({ what: 'too many items', field, value: Array.from({ length: s.maxItems + 1 }, () => 'x'), says: new RegExp(`at most ${s.maxItems} item`) })
    }
  }
  if (type === 'object' && !s.properties) out.push({ what: 'text for an object', field, value: 'text', says: /must be a(n| JSON) object/ })
  return out
}

interface Operation {
  method: string
  path: string
  op: Json
}

function operations(): Operation[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    Object.entries<Json>(item)
      .filter(([method]) => method !== 'parameters')
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op: { ...op, parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])] } })),
  )
}

const urlOf = (path: string) => path.replace('{token}', ingressToken).replace(/\{[^}]+\}/g, 'x_01m8v2d12azp2dq0xqccb1hpxj')

/** Problems with one 400 answer; `field`/`says` name the detail that must be there. */
function readAnswer(label: string, res: { status: number; body: any }, field: string, says: RegExp): string[] {
  if (res.status !== 400) return [`${label}: answered ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`]
  const problems: string[] = []
  const { message, details } = res.body.error as { message: string; details: Array<{ field: string; message: string }> }
  if (RAW.test(message)) problems.push(`${label}: raw text in message "${message}"`)
  const fields = details.map((d) => d.field)
  if (new Set(fields).size !== fields.length) problems.push(`${label}: a field twice in ${JSON.stringify(details)}`)
  for (const d of details) if (RAW.test(d.message)) problems.push(`${label}: raw text "${d.field}: ${d.message}"`)
  const detail = details.find((d) => d.field === field)
  if (!detail) problems.push(`${label}: no detail for ${field} in ${JSON.stringify(details)}`)
  else if (!says.test(detail.message)) problems.push(`${label}: "${detail.message}" does not say ${says}`)
  return problems
}

describe('validation messages are for people, one per problem, naming the field and the rule', () => {
  test('every body field of every model, one broken rule at a time', async () => {
    const problems: string[] = []
    let probes = 0
    for (const { method, path, op } of operations()) {
      const schema = op.requestBody?.content?.['application/json']?.schema
      if (!schema?.properties) continue
      const url = urlOf(path)
      const send = (body: unknown) => ctx.call(method, url, { token: key, body })
      for (const [name, property] of Object.entries<Json>(schema.properties)) {
        for (const probe of probesFor(`/${name}`, property)) {
          probes++
          problems.push(...readAnswer(`${method} ${path} ${name} ${probe.what}`, await send({ [name]: probe.value }), probe.field, probe.says))
        }
      }
      for (const required of schema.required ?? []) {
        probes++
        problems.push(...readAnswer(`${method} ${path} without ${required}`, await send({}), `/${required}`, /^is required$/))
      }
      if (schema.additionalProperties === false) {
        probes++
        problems.push(...readAnswer(`${method} ${path} unknown field`, await send({ zz_unknown: 1 }), '/zz_unknown', /^is not a known field$/))
      }
    }
    expect(probes).toBeGreaterThan(300)
    expect(problems).toEqual([])
  }, 120_000)

  test('every query and path parameter, the same words as in a body', async () => {
    const problems: string[] = []
    let probes = 0
    for (const { method, path, op } of operations()) {
      if (method !== 'GET') continue
      for (const parameter of op.parameters.filter((p: Json) => p.in === 'query' || p.in === 'path')) {
        for (const probe of probesFor(`/${parameter.name}`, parameter.schema)) {
          // A query string carries text: a number there is text too, so only the rules that text can break.
          if (typeof probe.value !== 'string' && typeof probe.value !== 'number') continue
          if (probe.what === 'a number for text' || probe.what === 'a fraction for an integer') continue
          probes++
          const value = String(probe.value)
          const url =
            parameter.in === 'query'
              ? `${urlOf(path)}?${new URLSearchParams({ [parameter.name]: value })}`
              : urlOf(path.replace(`{${parameter.name}}`, encodeURIComponent(value)))
          problems.push(...readAnswer(`${method} ${path} ${parameter.in} ${parameter.name} ${probe.what}`, await ctx.call('GET', url, { token: key }), probe.field, probe.says))
        }
      }
      if (op.parameters.some((p: Json) => p.in === 'query')) {
        probes++
        problems.push(...readAnswer(`${method} ${path} unknown parameter`, await ctx.call('GET', `${urlOf(path)}?zz_unknown=1`, { token: key }), '/zz_unknown', /^is not a known parameter$/))
      }
    }
    expect(probes).toBeGreaterThan(60)
    expect(problems).toEqual([])
  }, 120_000)

  test('the issue’s probes read as plain words', async () => {
    const post = (path: string, body: unknown) => ctx.call('POST', `/api/v1${path}`, { token: key, body })
    const users = await post('/users', {})
    expect(users.status).toBe(400)
    expect(users.body.error.details).toEqual([
      { field: '/email', message: 'is required' },
      { field: '/password', message: 'is required' },
      { field: '/role', message: 'is required' },
    ])
    const short = await post('/users', { email: 'a@example.com', password: 'short', role: 'crew' })
    expect(short.body.error.details).toEqual([{ field: '/password', message: 'must be at least 8 characters' }])
    const priority = await post('/jobs', { title: 'x', priority: 'asap' })
    expect(priority.body.error.details).toEqual([{ field: '/priority', message: 'must be one of: low, normal, high, urgent' }])
    expect(priority.body.error.message).toBe('priority: must be one of: low, normal, high, urgent')
    const q = await ctx.call('GET', `/api/v1/jobs?q=${'x'.repeat(300)}`, { token: key })
    expect(q.body.error.details).toEqual([{ field: '/q', message: 'must be at most 200 characters' }])
    const json = await ctx.call('POST', '/api/v1/jobs', { token: key, raw: '{"title":', headers: { 'content-type': 'application/json' } })
    expect(json.body.error).toEqual({ code: 'validation_failed', message: 'Request body is not valid JSON', details: [{ field: '/', message: 'is not valid JSON' }] })
  })
})
