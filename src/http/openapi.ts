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
