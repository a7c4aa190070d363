import { toOpenAPISchema } from '@elysiajs/openapi'
import type { AnyElysia } from 'elysia'
import { EVENT_TYPES } from '../events/catalog'

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

const eventEnvelope = (type: string, description: string) => ({
  post: {
    summary: type,
    description,
    operationId: `webhook_${type.replace('.', '_')}`,
    tags: ['Webhook events'],
    parameters: [
      { name: 'X-Crewbase-Event', in: 'header', required: true, schema: { type: 'string', const: type } },
      { name: 'X-Crewbase-Delivery', in: 'header', required: true, schema: { type: 'string' } },
      { name: 'X-Crewbase-Timestamp', in: 'header', required: true, schema: { type: 'string' } },
      {
        name: 'X-Crewbase-Signature',
        in: 'header',
        required: true,
        description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the endpoint secret>',
        schema: { type: 'string' },
      },
      { name: 'webhook-id', in: 'header', required: true, schema: { type: 'string' } },
      { name: 'webhook-timestamp', in: 'header', required: true, schema: { type: 'string' } },
      { name: 'webhook-signature', in: 'header', required: true, schema: { type: 'string' } },
    ],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['id', 'type', 'created_at', 'org_id', 'data'],
            properties: {
              id: { type: 'string', examples: ['evt_01jd3k5q7x0000000000000000'] },
              type: { type: 'string', const: type },
              created_at: { type: 'string', format: 'date-time' },
              org_id: { type: 'string' },
              data: {
                type: 'object',
                required: ['object'],
                properties: {
                  object: { type: 'object', description: 'The resource as its GET returns it' },
                  previous: { type: 'object', description: 'On *.updated: changed fields before the change' },
                },
              },
            },
          },
        },
      },
    },
    responses: { '2XX': { description: 'Any 2xx acknowledges the delivery; anything else is retried' } },
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
      Object.entries(EVENT_TYPES).map(([type, description]) => [type, eventEnvelope(type, description)]),
    ),
  } as never
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
  const documentation = openapiDocumentation(version) as Record<string, any>
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
