import { toOpenAPISchema } from '@elysiajs/openapi'
import type { AnyElysia } from 'elysia'
import { EVENT_OBJECTS, EVENT_TYPES, type EventType } from '../events/catalog'
import { EVENT_OBJECT_SCHEMAS } from '../modules/event-objects'

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

/**
 * A TypeBox schema as plain JSON Schema: symbol keys dropped, and Elysia's query-string
 * coercions (`t.Integer` also admits a numeric string) reduced to the type a body holds.
 */
function plainSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(plainSchema)
  if (schema === null || typeof schema !== 'object') return schema
  const node = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, plainSchema(v)])) as Record<string, unknown>
  if (Array.isArray(node.anyOf)) {
    const kept = node.anyOf.filter((s: { type?: string; format?: string }) => !(s.type === 'string' && (s.format === 'integer' || s.format === 'numeric')))
    if (kept.length === 1) {
      const { anyOf: _, ...rest } = node
      return { ...(kept[0] as object), ...rest }
    }
    node.anyOf = kept
  }
  return node
}

/** JSON Schema of `data.object`: the owning module's response schema, else the shape every resource shares. */
function objectSchema(type: EventType): object {
  const { name, path } = EVENT_OBJECTS[type]
  const description = `The ${name.replace('_', ' ')} as \`GET /api/v1${path}\` returns it`
  const registered = EVENT_OBJECT_SCHEMAS[name]
  if (registered) return { ...(plainSchema(registered) as object), description }
  return {
    type: 'object',
    description,
    required: ['id', 'version'],
    properties: {
      id: { type: 'string' },
      version: { type: 'integer', description: 'Grows with each change; drop an update older than one you have' },
    },
    additionalProperties: true,
  }
}

const header = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema,
})

const eventEnvelope = (type: EventType, description: string) => ({
  post: {
    summary: type,
    description: `${description}.\n\nSigned twice: verify \`X-Crewbase-Signature\` (\`t=<ts>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">\`, keyed with the secret string including \`whsec_\`) or the Standard Webhooks headers. Any 2xx within 10 s acknowledges; anything else is retried 1 min, 5 min and 30 min later.`,
    operationId: `webhook_${type.replace('.', '_')}`,
    tags: ['Webhook events'],
    parameters: [
      header('X-Crewbase-Event', 'The event type', { type: 'string', const: type }),
      header('X-Crewbase-Delivery', 'Delivery id, the same on every retry of this delivery'),
      header('X-Crewbase-Timestamp', 'Unix seconds of this attempt'),
      header(
        'X-Crewbase-Signature',
        't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the endpoint secret>; during a secret rotation a second v1= carries the old secret’s signature',
      ),
      header('webhook-id', 'Standard Webhooks: the delivery id'),
      header('webhook-timestamp', 'Standard Webhooks: unix seconds of this attempt'),
      header('webhook-signature', 'Standard Webhooks: v1,<base64 HMAC-SHA256 of "<id>.<ts>.<raw body>"> (space-separated during a rotation)'),
      header('User-Agent', 'Crewbase-Webhooks/<version>'),
    ],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['id', 'type', 'created_at', 'org_id', 'data'],
            additionalProperties: false,
            properties: {
              id: { type: 'string', description: 'Event id', examples: ['evt_01jd3k5q7x0000000000000000'] },
              type: { type: 'string', const: type },
              created_at: { type: 'string', format: 'date-time' },
              org_id: { type: 'string' },
              data: {
                type: 'object',
                required: ['object'],
                additionalProperties: false,
                properties: {
                  object: objectSchema(type),
                  ...(type.endsWith('.updated')
                    ? { previous: { type: 'object', description: 'The changed fields’ values before the change', additionalProperties: true } }
                    : {}),
                },
              },
            },
          },
        },
      },
    },
    responses: {
      '2XX': { description: 'Any 2xx acknowledges the delivery' },
      '410': { description: 'Gone: the endpoint is disabled and gets no more deliveries' },
      default: { description: 'Anything else (and redirects, which are not followed) is retried; Retry-After on 429/503 is honoured within bounds' },
    },
  },
})

export function openapiDocumentation(version: string) {
  return {
    info: {
      title: 'Crewbase API',
      version,
      description:
        'Jobs, crew, clients, estimates, invoices and payments for small trade shops. Authenticate with `Authorization: Bearer <API key or session token>`.',
    },
    servers: [{ url: '/', description: 'This server' }],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key (`cb_live_…`) or a session token' },
      },
    },
    security: [{ bearerAuth: [] }],
    webhooks: Object.fromEntries(
      Object.entries(EVENT_TYPES).map(([type, description]) => [type, eventEnvelope(type as EventType, description)]),
    ),
  }
}

/** Drops what the generator emits for `t.Void()` responses (a 204 has no content). */
function withoutVoidContent(paths: Record<string, Record<string, any>>) {
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      for (const response of Object.values<any>(operation?.responses ?? {})) {
        if (response?.content && typeof response.content.type === 'string') delete response.content
      }
    }
  }
  return paths
}

/**
 * Our one global JSON parser is a function, so the generator cannot tell the body's media
 * type and leaves `content` empty: fill in application/json from each route's body schema.
 */
function withJsonBodies(paths: Record<string, Record<string, any>>, app: AnyElysia) {
  for (const route of app.routes as Array<{ method: string; path: string; hooks: { body?: unknown } }>) {
    const operation = paths[route.path.replace(/:([^/]+)/g, '{$1}')]?.[route.method.toLowerCase()]
    if (!operation?.requestBody || !route.hooks.body || Object.keys(operation.requestBody.content ?? {}).length > 0) continue
    // TypeBox schemas are JSON Schema; the round trip drops TypeBox's symbol keys.
    operation.requestBody.content = { 'application/json': { schema: JSON.parse(JSON.stringify(route.hooks.body)) } }
  }
  return paths
}

const HIDDEN_PATHS = ['/openapi.json', '/docs', '/docs/scalar.js']

/** The OpenAPI 3.1 document of `app`, built from the route schemas by @elysiajs/openapi. */
export function buildOpenApiDocument(app: AnyElysia, version: string) {
  const generated = toOpenAPISchema(app, { paths: HIDDEN_PATHS }, undefined, undefined, '3.1.1')
  const documentation = openapiDocumentation(version)
  return {
    openapi: '3.1.1',
    ...documentation,
    paths: withJsonBodies(withoutVoidContent(generated.paths as never), app),
    components: { ...documentation.components, schemas: generated.components.schemas ?? {} },
  }
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
    <script id="api-reference" data-url="/openapi.json" data-configuration='{"withDefaultFonts":false,"hideClientButton":false}'></script>
    <script src="/docs/scalar.js"></script>
  </body>
</html>
`
