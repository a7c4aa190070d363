import type { AnyElysia } from 'elysia'
import { EVENT_OBJECTS, EVENT_TYPES, type EventType } from '../events/catalog'
import { EVENT_OBJECT_SCHEMAS } from '../modules/event-objects'
import { componentName } from './components'
import { ERROR_DESCRIPTIONS, ErrorEnvelope } from './errors'

/** `detail` of one operation: tag, stable operationId, summary and the bearer scheme. */
export function doc(tag: string, operationId: string, summary: string, description?: string) {
  return {
    tags: [tag],
    operationId,
    summary,
    ...(description ? { description } : {}),
    security: [{ bearerAuth: [] }],
  }
}

/** Operations that need no token (health, sign-in, setup, ingress). */
export function publicDoc(tag: string, operationId: string, summary: string, description?: string) {
  return { ...doc(tag, operationId, summary, description), security: [] }
}

type Json = Record<string, any>
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value)
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

/** TypeBox keywords that are not JSON Schema (`error` is our own message, `noValidate` Elysia's flag). */
const NOT_JSON_SCHEMA = new Set(['error', 'noValidate', '$id'])
/** Elysia's query coercions add a numeric or boolean string branch beside the real type. */
const isCoercion = (s: Json) => s.type === 'string' && ['integer', 'numeric', 'boolean'].includes(s.format)
const TYPED_KEYWORDS = new Set(['type', 'enum', 'const'])

/**
 * Writes TypeBox schemas as plain JSON Schema 2020-12 for the document: named schemas
 * become `$ref`s (and are collected for `components`), literal unions become `enum`,
 * `X | null` becomes `type: [X, 'null']` (with `null` in the `enum` too), records become
 * `additionalProperties`, and our `iso8601-timestamp` format is shown as `date-time`.
 */
class SchemaWriter {
  readonly used = new Map<string, object>()

  write(schema: unknown, self?: object): any {
    if (Array.isArray(schema)) return schema.map((s) => this.write(s))
    if (!isObject(schema)) return schema
    if (schema !== self) {
      const name = componentName(schema)
      if (name) {
        this.used.set(name, schema)
        return ref(name)
      }
    }
    const node: Json = {}
    for (const [key, value] of Object.entries(schema)) {
      if (NOT_JSON_SCHEMA.has(key)) continue
      if (key === 'properties' || key === 'patternProperties' || key === '$defs') {
        node[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, this.write(v)]))
      } else if (['items', 'additionalProperties', 'not', 'anyOf', 'oneOf', 'allOf', 'prefixItems'].includes(key)) {
        node[key] = this.write(value)
      } else node[key] = value
    }
    if (node.format === 'iso8601-timestamp') node.format = 'date-time'
    if (isObject(node.patternProperties)) {
      const patterns = Object.keys(node.patternProperties)
      if (patterns.length === 1 && (patterns[0] === '^(.*)$' || patterns[0] === '^.*$')) {
        const values = node.patternProperties[patterns[0]!]
        delete node.patternProperties
        node.additionalProperties = Object.keys(values).length === 0 ? true : values
      }
    }
    if (Array.isArray(node.anyOf)) return simplifyUnion(node)
    return node
  }
}

function simplifyUnion(node: Json): Json {
  let branches: Json[] = node.anyOf.filter((s: Json) => !isCoercion(s))
  const { anyOf: _, ...rest } = node
  if (branches.length === 1) return { ...branches[0], ...rest }
  // A union of literals is an enum.
  if (branches.every((s) => s.const !== undefined && Object.keys(s).every((k) => TYPED_KEYWORDS.has(k)))) {
    const types = [...new Set(branches.map((s) => s.type))]
    return { ...(types.length === 1 && types[0] ? { type: types[0] } : {}), enum: branches.map((s) => s.const), ...rest }
  }
  // `X | null` with a plain X: one schema whose type (and enum) admit null.
  const nonNull = branches.filter((s) => !(s.type === 'null' && Object.keys(s).length === 1))
  if (nonNull.length === 1 && branches.length === 2) {
    const inner = nonNull[0]!
    if (typeof inner.type === 'string' && !inner.$ref) {
      const merged: Json = { ...inner, type: [inner.type, 'null'] }
      if (Array.isArray(inner.enum)) merged.enum = [...inner.enum, null]
      if (inner.const !== undefined) {
        merged.enum = [inner.const, null]
        delete merged.const
      }
      return { ...merged, ...rest }
    }
  }
  branches = branches.map((s) => s)
  return { anyOf: branches, ...rest }
}

// ---- headers and shared responses -------------------------------------------------------

const HEADERS: Record<string, { description: string; schema: Json }> = {
  ETag: { description: 'Version of the resource, `"v<version>"`; send it back in `If-Match` to change it safely', schema: { type: 'string', examples: ['"v3"'] } },
  'Idempotent-Replayed': {
    description: '`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`',
    schema: { type: 'string', enum: ['true'] },
  },
  'X-RateLimit-Limit': { description: 'Requests allowed per minute for this key', schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Requests left in the current minute', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { description: 'Unix seconds when the current window ends', schema: { type: 'integer' } },
  RateLimit: {
    description:
      'IETF draft-ietf-httpapi-ratelimit-headers: `"default";r=<remaining>;t=<seconds to reset>`. On every authenticated answer, beside `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` with the same figures',
    schema: { type: 'string', examples: ['"default";r=99;t=42'] },
  },
  'RateLimit-Policy': {
    description: 'IETF draft-ietf-httpapi-ratelimit-headers: `"default";q=<limit>;w=60`',
    schema: { type: 'string', examples: ['"default";q=100;w=60'] },
  },
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
}
/** Header components go by short names (`Remaining`): each answer names a few of them. */
const headerKey = (name: string) => name.replace(/^X-RateLimit-/, '').replace(/^RateLimit-Policy$/, 'Policy').replace(/-/g, '')
const headerRef = (name: string) => ({ $ref: `#/components/headers/${headerKey(name)}` })
const RATE_LIMIT_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'RateLimit', 'RateLimit-Policy']
const rateLimitHeaders = () => Object.fromEntries(RATE_LIMIT_HEADERS.map((h) => [h, headerRef(h)]))
/**
 * Success answers declare the IETF pair only: every authenticated answer also carries the
 * X-RateLimit-* trio with the same figures, declared on the shared error responses. Five
 * header refs on each of ~100 success answers would be a tenth of the document.
 */
const successRateLimitHeaders = () => ({ RateLimit: headerRef('RateLimit'), 'RateLimit-Policy': headerRef('RateLimit-Policy') })

const ERROR_RESPONSE_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  412: 'PreconditionFailed',
  413: 'TooLarge',
  415: 'NotJson',
  422: 'KeyReused',
  429: 'RateLimited',
}

function errorResponseComponents() {
  return Object.fromEntries(
    Object.entries(ERROR_RESPONSE_NAMES).map(([status, name]) => {
      const headers: Json = Number(status) === 401 ? {} : rateLimitHeaders()
      if (Number(status) === 429) headers['Retry-After'] = headerRef('Retry-After')
      return [
        name,
        {
          description: ERROR_DESCRIPTIONS[Number(status)]!,
          ...(Object.keys(headers).length ? { headers } : {}),
          content: { 'application/json': { schema: ref('Error') } },
        },
      ]
    }),
  )
}

const PARAMETERS = {
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Any unique string (a UUID): the same key and body within 24 h returns the first answer again (with `Idempotent-Replayed: true`); the same key with another body is 422, while the first is still running 409',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description: 'The `ETag` you read (`"v3"`): the change applies only if nobody changed the resource since, else 412',
    schema: { type: 'string', examples: ['"v3"'] },
  },
}

// ---- webhooks ---------------------------------------------------------------------------

const header = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema,
})

/** `job.created` → `JobCreatedEvent`: the component of that event's delivered body. */
export const eventComponentName = (type: string) =>
  `${type
    .split(/[._]/)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('')}Event`

/** `data` of the events about one kind of object (`JobEventData`; `JobChangeEventData` adds `previous`). */
function eventData(writer: SchemaWriter, type: EventType, shared: Json): string {
  const { name, path } = EVENT_OBJECTS[type]
  // Changes of a job (also its state changes: started, completed…) carry the fields before them.
  const updated = type.endsWith('.updated') || (name === 'job' && type !== 'job.created' && type !== 'job.deleted')
  const base = name
    .split('_')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('')
  const component = `${base}${updated ? 'Change' : ''}EventData`
  if (shared[component]) return component
  const registered = EVENT_OBJECT_SCHEMAS[name]
  const object = registered
    ? { ...writer.write(registered), description: `The ${name.replace('_', ' ')} as \`GET /api/v1${path}\` returns it` }
    : { type: 'object', required: ['id', 'version'], properties: { id: { type: 'string' }, version: { type: 'integer' } } }
  shared[component] = {
    type: 'object',
    required: ['object'],
    additionalProperties: false,
    properties: {
      object,
      ...(updated
        ? { previous: { type: 'object', description: 'The changed fields’ values before the change (left out when none changed)', additionalProperties: true } }
        : {}),
    },
  }
  return component
}

function eventPayload(writer: SchemaWriter, type: EventType, description: string, shared: Json) {
  return {
    type: 'object',
    description,
    required: ['id', 'type', 'created_at', 'org_id', 'data'],
    additionalProperties: false,
    properties: {
      id: { type: 'string' },
      type: { type: 'string', const: type },
      created_at: { type: 'string', format: 'date-time' },
      org_id: { type: 'string' },
      data: ref(eventData(writer, type, shared)),
    },
  }
}

const WEBHOOK_HEADERS = {
  Event: header('X-Crewbase-Event', 'The event type, as `type` in the body', ref('EventType')),
  Delivery: header('X-Crewbase-Delivery', 'Delivery id, the same on every retry of this delivery'),
  Timestamp: header('X-Crewbase-Timestamp', 'Unix seconds of this attempt'),
  Signature: header(
    'X-Crewbase-Signature',
    't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the endpoint secret, `whsec_` included>; during a secret rotation a second v1= carries the old secret’s signature',
  ),
  WebhookId: header('webhook-id', 'Standard Webhooks: the delivery id'),
  WebhookTimestamp: header('webhook-timestamp', 'Standard Webhooks: unix seconds of this attempt'),
  WebhookSignature: header(
    'webhook-signature',
    'Standard Webhooks: v1,<base64 HMAC-SHA256 of "<id>.<ts>.<raw body>"> (space-separated during a rotation)',
  ),
  UserAgent: header('User-Agent', 'Crewbase-Webhooks/<version>'),
}

const WEBHOOK_RESPONSE_COMPONENTS = {
  Acknowledged: { description: 'Any 2xx acknowledges the delivery' },
  Gone: { description: 'Gone: the endpoint is disabled and gets no more deliveries' },
  Retried: { description: 'Anything else (and redirects, which are not followed) is retried; Retry-After on 429/503 is honoured within bounds' },
}
const WEBHOOK_RESPONSES = {
  '200': { $ref: '#/components/responses/Acknowledged' },
  '410': { $ref: '#/components/responses/Gone' },
  default: { $ref: '#/components/responses/Retried' },
}

const eventOperation = (type: EventType, description: string) => ({
  post: {
    summary: type,
    description,
    operationId: `webhook_${type.replace('.', '_')}`,
    tags: ['Webhook events'],
    security: [],
    parameters: [
      ...Object.keys(WEBHOOK_HEADERS).map((name) => ({ $ref: `#/components/parameters/${name}` })),
    ],
    requestBody: { required: true, content: { 'application/json': { schema: ref(eventComponentName(type)) } } },
    responses: WEBHOOK_RESPONSES,
  },
})

// ---- operations -------------------------------------------------------------------------

interface RouteInfo {
  method: string
  path: string
  hooks: { body?: Json; query?: Json; params?: Json; response?: Record<string, Json>; detail?: Json }
}

const KIND = Symbol.for('TypeBox.Kind')
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE'])

function parametersOf(writer: SchemaWriter, schema: Json | undefined, where: 'query' | 'path') {
  if (!schema?.properties) return []
  const required = new Set<string>(schema.required ?? [])
  return Object.entries<Json>(schema.properties).map(([name, property]) => {
    const { description, ...rest } = writer.write(property)
    return {
      name,
      in: where,
      ...(where === 'path' || required.has(name) ? { required: true } : {}),
      ...(description ? { description } : {}),
      schema: rest,
    }
  })
}

const hasVersion = (schema: Json | undefined): boolean =>
  !!schema && schema.type === 'object' && !!schema.properties?.version

function operationOf(writer: SchemaWriter, route: RouteInfo): Json {
  const detail = route.hooks.detail ?? {}
  const authed = Array.isArray(detail.security) && detail.security.length > 0
  const method = route.method
  const idempotent = authed && method === 'POST'
  const ifMatch = method === 'PATCH'
  const responses: Json = {}
  const statuses = new Set<number>()
  const declared = route.hooks.response ?? {}
  const byStatus: Record<string, Json> = KIND in declared ? { 200: declared } : declared
  for (const [status, schema] of Object.entries(byStatus)) {
    const code = Number(status)
    if (code >= 400) {
      statuses.add(code)
      continue
    }
    const headers: Json = authed ? successRateLimitHeaders() : {}
    const data = schema?.properties?.data
    if (code < 300 && isObject(data) && hasVersion(data) && data.type !== 'array') headers.ETag = headerRef('ETag')
    if (idempotent && code < 300) headers['Idempotent-Replayed'] = headerRef('Idempotent-Replayed')
    const isVoid = (schema as Record<symbol, unknown>)[KIND] === 'Void'
    // The envelope's description is the response's: say it once.
    const { description: _, ...content } = isVoid ? {} : writer.write(schema)
    responses[status] = {
      description: schema?.description ?? 'Success',
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(isVoid ? {} : { content: { 'application/json': { schema: content } } }),
    }
  }
  // Every POST/PATCH body goes through the one JSON parser, with or without a schema.
  if (route.hooks.body || method === 'POST' || method === 'PATCH') [400, 413, 415].forEach((s) => statuses.add(s))
  if (route.hooks.query || route.hooks.params) statuses.add(400)
  if (authed) [401, 403, 429].forEach((s) => statuses.add(s))
  if (idempotent) [409, 422].forEach((s) => statuses.add(s))
  if (ifMatch) statuses.add(412)
  for (const status of [...statuses].sort()) {
    const name = ERROR_RESPONSE_NAMES[status]
    if (name) responses[status] = { $ref: `#/components/responses/${name}` }
  }

  const parameters = [
    ...parametersOf(writer, route.hooks.params, 'path'),
    ...parametersOf(writer, route.hooks.query, 'query'),
    ...(idempotent ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
    ...(ifMatch ? [{ $ref: '#/components/parameters/IfMatch' }] : []),
  ]
  // Bearer is the document's default security: only public operations say `security: []`.
  const { hide: _, security, ...documented } = detail
  if (!authed) documented.security = []
  const body = route.hooks.body
  return {
    ...documented,
    ...(parameters.length ? { parameters } : {}),
    ...(body
      ? {
          requestBody: {
            // An action without fields may be sent with no body at all.
            required: Object.keys(body.properties ?? {}).length > 0,
            content: { 'application/json': { schema: writer.write(body) } },
          },
        }
      : {}),
    responses,
  }
}

/**
 * A component that is another one plus a few fields (`Job` is `JobSummary` with phases and
 * assignments, `ApiKeyWithSecret` is `ApiKey` with its secret) is written as
 * `allOf: [{$ref: base}, {the extra fields}]`: said once, and generators type it as an extension.
 */
function extendBases(schemas: Json) {
  const props = (s: Json) => (s?.type === 'object' && isObject(s.properties) && s.additionalProperties === undefined ? s.properties : null)
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
  for (const [name, schema] of Object.entries<Json>(schemas)) {
    const own = props(schema)
    if (!own) continue
    let base: string | null = null
    for (const [other, candidate] of Object.entries<Json>(schemas)) {
      const theirs = props(candidate)
      if (other === name || !theirs || candidate.allOf) continue
      const keys = Object.keys(theirs)
      if (keys.length < 3 || keys.length >= Object.keys(own).length) continue
      if (!keys.every((k) => same(theirs[k], own[k]))) continue
      if (!(candidate.required ?? []).every((k: string) => (schema.required ?? []).includes(k))) continue
      if (!base || keys.length > Object.keys(schemas[base].properties).length) base = other
    }
    if (!base) continue
    const inherited = new Set(Object.keys(schemas[base].properties))
    const extra = Object.fromEntries(Object.entries(own).filter(([k]) => !inherited.has(k)))
    const required = (schema.required ?? []).filter((k: string) => !inherited.has(k))
    const { type: _t, properties: _p, required: _r, ...rest } = schema
    schemas[name] = {
      ...rest,
      allOf: [ref(base), { type: 'object', ...(required.length ? { required } : {}), properties: extra }],
    }
  }
}

/** `{data: X}` → `X`, `{data: X[], pagination}` → `XList`; `WithReplay` when it may be an Idempotency-Key replay. */
function responseName(response: Json): string | null {
  if (!response.content) return response.headers?.['Idempotent-Replayed'] ? 'NoContentFromPost' : 'NoContent'
  const data = response.content?.['application/json']?.schema?.properties?.data
  const target = data?.$ref ?? data?.items?.$ref
  if (typeof target !== 'string') return null
  const base = target.split('/').pop() + (data.items ? 'List' : '')
  return response.headers?.['Idempotent-Replayed'] ? `${base}FromPost` : base
}

/**
 * Success responses that several operations share (the same envelope and headers) move to
 * `components/responses`; each operation keeps its own description beside the `$ref`.
 */
function shareResponses(paths: Record<string, Json>): Json {
  const groups = new Map<string, { shape: Json; uses: Array<{ responses: Json; status: string }> }>()
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values<Json>(operations)) {
      for (const [status, response] of Object.entries<Json>(operation.responses)) {
        if (Number(status) >= 300 || (!response.content && Number(status) !== 204)) continue
        const { description: _, ...shape } = response
        const key = JSON.stringify(shape)
        const group = groups.get(key) ?? { shape, uses: [] }
        group.uses.push({ responses: operation.responses, status })
        groups.set(key, group)
      }
    }
  }
  const shared: Json = {}
  for (const { shape, uses } of groups.values()) {
    const name = responseName(shape)
    if (!name || uses.length < 2 || shared[name]) continue
    const first = uses[0]!.responses[uses[0]!.status].description
    shared[name] = { description: first, ...shape }
    for (const { responses, status } of uses) {
      const { description } = responses[status]
      responses[status] = { $ref: `#/components/responses/${name}`, ...(description === first ? {} : { description }) }
    }
  }
  return shared
}

/** A path parameter every operation of a path has (`{id}`) is said once, on the path. */
function hoistPathParameters(paths: Record<string, Json>) {
  for (const item of Object.values(paths)) {
    const operations = Object.values<Json>(item)
    const first: Json[] = operations[0]?.parameters ?? []
    const common = first.filter((p) => {
      const key = JSON.stringify(p)
      const inPath = p.in === 'path' || p.$ref === '#/components/parameters/Id'
      return inPath && operations.every((op) => (op.parameters ?? []).some((q: Json) => JSON.stringify(q) === key))
    })
    if (common.length === 0) continue
    const keys = new Set(common.map((p) => JSON.stringify(p)))
    for (const op of operations) {
      op.parameters = op.parameters.filter((p: Json) => !keys.has(JSON.stringify(p)))
      if (op.parameters.length === 0) delete op.parameters
    }
    item.parameters = common
  }
}

/** Path and query parameters that several operations spell the same way move to `components/parameters`. */
function shareParameters(paths: Record<string, Json>): Json {
  const groups = new Map<string, Json[][]>()
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values<Json>(operations)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.$ref) continue
        const key = JSON.stringify(parameter)
        groups.set(key, [...(groups.get(key) ?? []), operation.parameters])
      }
    }
  }
  const shared: Json = {}
  for (const [key, uses] of groups) {
    const parameter = JSON.parse(key)
    const name = String(parameter.name)
      .split('_')
      .map((part) => part[0]!.toUpperCase() + part.slice(1))
      .join('')
    if (uses.length < 3 || shared[name] || name in PARAMETERS || name in WEBHOOK_HEADERS) continue
    shared[name] = parameter
    for (const list of uses) {
      const at = list.findIndex((p) => !p.$ref && JSON.stringify(p) === key)
      if (at >= 0) list[at] = { $ref: `#/components/parameters/${name}` }
    }
  }
  return shared
}

const TAG_DESCRIPTIONS: Record<string, string> = {
  Meta: 'Liveness',
  Sessions: 'Sign-in for people and first-run setup',
  'Webhook events':
    'What Crewbase POSTs to your webhook endpoints, one operation per event type; the body’s `id` is the event id, the same on every delivery of the event. Each delivery is signed twice: verify `X-Crewbase-Signature` ' +
    '(`t=<ts>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the secret string including `whsec_`) or the Standard Webhooks headers. ' +
    'Any 2xx within 10 s acknowledges; anything else is retried 1 min, 5 min and 30 min later.',
}

/** The OpenAPI 3.1 document of `app`, built from its routes' TypeBox schemas. */
export function buildOpenApiDocument(app: AnyElysia, version: string) {
  const writer = new SchemaWriter()
  const paths: Record<string, Json> = {}
  const tags = new Set<string>()
  for (const route of app.routes as unknown as RouteInfo[]) {
    if (!METHODS.has(route.method) || route.hooks.detail?.hide || !route.hooks.detail?.operationId) continue
    const path = route.path.replace(/:([^/]+)/g, '{$1}')
    const operation = operationOf(writer, route)
    for (const tag of operation.tags ?? []) tags.add(tag)
    ;(paths[path] ??= {})[route.method.toLowerCase()] = operation
  }
  const responses = shareResponses(paths)
  const parameters = shareParameters(paths)
  hoistPathParameters(paths)
  tags.add('Webhook events')
  writer.write(ErrorEnvelope) // the shared error responses refer to it
  const webhooks: Json = {}
  const eventSchemas: Json = {}
  for (const [type, description] of Object.entries(EVENT_TYPES) as Array<[EventType, string]>) {
    webhooks[type] = eventOperation(type, description)
    eventSchemas[eventComponentName(type)] = eventPayload(writer, type, description, eventSchemas)
  }
  // Components' own bodies may name further components: write until none is new.
  const schemas: Json = {}
  for (let done = 0; done < writer.used.size; ) {
    const entries = [...writer.used.entries()].slice(done)
    done += entries.length
    for (const [name, schema] of entries) schemas[name] = writer.write(schema, schema)
  }
  extendBases(schemas)
  return {
    openapi: '3.1.1',
    info: {
      title: 'Crewbase API',
      version,
      description:
        'Jobs, crew, clients, estimates, invoices and payments for small trade shops. Authenticate with `Authorization: Bearer <API key or session token>`.\n\n' +
        'Lists answer `{data, pagination}` and page with `page`/`per_page` or `cursor` (the previous page’s `pagination.next_cursor`). ' +
        'Every error is `{"error": {"code", "message", "details?"}}`.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'This server' }],
    security: [{ bearerAuth: [] }],
    tags: [...tags].filter((name) => TAG_DESCRIPTIONS[name]).map((name) => ({ name, description: TAG_DESCRIPTIONS[name] })),
    paths,
    webhooks,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key (`cb_live_…`) or a session token' },
      },
      schemas: Object.fromEntries(Object.entries({ ...schemas, ...eventSchemas }).sort(([a], [b]) => a.localeCompare(b))),
      parameters: { ...PARAMETERS, ...WEBHOOK_HEADERS, ...parameters },
      headers: Object.fromEntries(Object.entries(HEADERS).map(([name, header]) => [headerKey(name), header])),
      responses: { ...errorResponseComponents(), ...responses, ...WEBHOOK_RESPONSE_COMPONENTS },
    },
  }
}

/**
 * What Scalar may do here: render the document from this server and try requests against it.
 * Nothing that leaves the server or needs Scalar's cloud: no request proxy (requests go
 * straight to this server), no telemetry, no AI agent, no developer-tools bar (Share,
 * Deploy on Scalar, Configure), no button to open Scalar's hosted client, no web fonts.
 */
export const SCALAR_CONFIGURATION = {
  proxyUrl: '',
  telemetry: false,
  agent: { disabled: true, hideAddApi: true },
  showDeveloperTools: 'never',
  hideClientButton: true,
  withDefaultFonts: false,
  persistAuth: false,
  mcp: { disabled: true },
}

/** The offline reference page: Scalar, loaded from this server (never a CDN). */
export const docsPage = (title: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
  </head>
  <body>
    <script id="api-reference" data-url="/openapi.json" data-configuration='${JSON.stringify(SCALAR_CONFIGURATION)}'></script>
    <script src="/docs/scalar.js"></script>
  </body>
</html>
`
