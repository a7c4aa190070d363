import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { storeForReplayAs } from '../../http/idempotency'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope, pageQuery } from '../../http/pagination'
import { Attempt, Delivery, DeliveryListQuery } from '../deliveries/model'
import { RecoverBody, RecoverResult, Webhook, WebhookCreate, WebhookPatch, WebhookWithSecret } from './model'
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  recoverWebhook,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
} from './service'

const Tag = 'Webhooks'
/** The secret is shown once: an Idempotency-Key replay answers the same endpoint with `secret: null`. */
const withoutSecret = (answer: { data: object }) => ({ data: { ...answer.data, secret: null } })

const TestBody = t.Object(
  {
    sample: t.Optional(
      t.Object(
        { type: t.String({ minLength: 1, maxLength: 64 }), data: t.Optional(t.Record(t.String(), t.Unknown())) },
        { additionalProperties: true, description: 'A delivery body to try the endpoint’s events and filter on; by default the webhook.test event sent' },
      ),
    ),
  },
  { additionalProperties: false },
)

const TestResult = t.Object({
  delivery_id: t.String(),
  event_id: t.String(),
  sample: t.Object(
    {
      event_type: t.String(),
      subscribed: t.Boolean({ description: 'The endpoint’s `events` include this type' }),
      filter_matched: t.Union([t.Boolean(), t.Null()], { description: 'Whether the body passes the endpoint’s filter; null when it has none' }),
      would_deliver: t.Boolean({ description: 'An event with this body would get a delivery (while the endpoint is enabled)' }),
    },
    { description: 'Whether the sample would be delivered; the test event itself is sent either way' },
  ),
  succeeded: t.Boolean(),
  attempt: Attempt,
})

export const webhooksRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/webhooks', normalize: false })
    .use(authenticated(deps))
    .get('', ({ principal, query }) => listWebhooks(deps, principal.orgId, query), {
      query: t.Object(pageQuery),
      response: { 200: listEnvelope(Webhook, 'Webhook endpoints with their health'), ...errorResponses(400, 401, 403, 429) },
      detail: doc(Tag, 'listWebhooks', 'List webhook endpoints'),
    })
    .post(
      '',
      async ({ principal, body, request, set }) => {
        storeForReplayAs(request, withoutSecret)
        set.status = 201
        return { data: await createWebhook(deps, principal.orgId, body) }
      },
      {
        body: WebhookCreate,
        response: { 201: dataEnvelope(WebhookWithSecret, 'The new endpoint; `secret` is shown only here and on rotate'), ...errorResponses(400, 401, 403, 409, 429) },
        detail: doc(Tag, 'createWebhook', 'Create a webhook endpoint', 'At most 5 endpoints per organization. HTTPS only; addresses that are not on the public internet are refused.'),
      },
    )
    .get('/:id', async ({ principal, params }) => ({ data: await getWebhook(deps, principal.orgId, params.id) }), {
      params: IdParams,
      response: { 200: dataEnvelope(Webhook, 'The endpoint'), ...errorResponses(401, 403, 404, 429) },
      detail: doc(Tag, 'getWebhook', 'Get a webhook endpoint'),
    })
    .patch(
      '/:id',
      async ({ principal, params, body, headers }) => ({
        data: await updateWebhook(deps, principal.orgId, params.id, body, headers['if-match'] ?? null),
      }),
      {
        params: IdParams,
        body: WebhookPatch,
        response: { 200: dataEnvelope(Webhook, 'The updated endpoint'), ...errorResponses(400, 401, 403, 404, 412, 429) },
        detail: doc(Tag, 'updateWebhook', 'Change a webhook endpoint', 'Disabling fails what is still queued; enabling again does not replay it (use recover or redeliver).'),
      },
    )
    .delete(
      '/:id',
      async ({ principal, params, set }) => {
        await deleteWebhook(deps.db, principal.orgId, params.id)
        set.status = 204
      },
      {
        params: IdParams,
        response: { 204: t.Void({ description: 'Deleted, with its delivery log' }), ...errorResponses(401, 403, 404, 429) },
        detail: doc(Tag, 'deleteWebhook', 'Delete a webhook endpoint'),
      },
    )
    .post('/:id/test', async ({ principal, params, body }) => ({ data: await testWebhook(deps, principal.orgId, params.id, body?.sample) }), {
      params: IdParams,
      body: t.Optional(TestBody),
      response: { 200: dataEnvelope(TestResult, 'The attempt, whether or not it succeeded'), ...errorResponses(401, 403, 404, 429) },
      detail: doc(Tag, 'testWebhook', 'Send a webhook.test event now', 'Signed and sent like any delivery, to this endpoint only; answers once the attempt is over. `sample` (optional) is a delivery body to check against the endpoint’s events and filter; the answer’s `sample` says whether it would be delivered.'),
    })
    .post(
      '/:id/rotate-secret',
      async ({ principal, params, request }) => {
        storeForReplayAs(request, withoutSecret)
        return { data: await rotateWebhookSecret(deps, principal.orgId, params.id) }
      },
      {
        params: IdParams,
        response: { 200: dataEnvelope(WebhookWithSecret, 'The endpoint with its new secret'), ...errorResponses(401, 403, 404, 429) },
        detail: doc(Tag, 'rotateWebhookSecret', 'Rotate the signing secret', 'The old secret keeps signing, as a second `v1=` / `v1,` entry, for 24 hours.'),
      },
    )
    .get(
      '/:id/deliveries',
      ({ principal, params, query }) => listWebhookDeliveries(deps, principal.orgId, params.id, query),
      {
        params: IdParams,
        query: t.Object({ ...pageQuery, ...DeliveryListQuery }),
        response: { 200: listEnvelope(Delivery, 'The delivery log, newest first'), ...errorResponses(400, 401, 403, 404, 429) },
        detail: doc(Tag, 'listWebhookDeliveries', 'List an endpoint’s deliveries'),
      },
    )
    .post(
      '/:id/recover',
      async ({ principal, params, body }) => ({ data: await recoverWebhook(deps, principal.orgId, params.id, body.since) }),
      {
        params: IdParams,
        body: RecoverBody,
        response: { 200: dataEnvelope(RecoverResult, 'How many failed deliveries were queued'), ...errorResponses(400, 401, 403, 404, 409, 429) },
        detail: doc(Tag, 'recoverWebhook', 'Queue every failed delivery since a time'),
      },
    )
