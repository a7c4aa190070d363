import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope, pageQuery } from '../../http/pagination'
import { storeForReplayAs, writeAnswering } from '../../http/idempotency'
import { publicBaseUrl } from '../../http/public-url'
import { IngressWebhook, IngressWebhookCreate, IngressWebhookWithUrl } from './model'
import { createIngressWebhook, listIngressWebhooks, revokeIngressWebhook } from './service'

const TAG = 'Ingress URLs'

export const ingressWebhooksRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/ingress-webhooks', normalize: false })
    .use(authenticated(deps))
    .get('', ({ principal, query }) => listIngressWebhooks(deps.db, principal.orgId, query), {
      query: t.Object(pageQuery),
      response: { 200: listEnvelope(IngressWebhook, 'Active ingress URLs (never their token)'), ...errorResponses(400, 401, 403, 429) },
      detail: doc(TAG, 'listIngressWebhooks', 'List ingress URLs'),
    })
    .post(
      '',
      async ({ principal, body, request, set }) => {
        const baseUrl = publicBaseUrl(deps.config.publicUrl, request)
        // The token is shown once: an Idempotency-Key replay answers the same URL resource with `url: null`.
        storeForReplayAs(request, (answer: { data: object }) => ({ data: { ...answer.data, url: null } }))
        set.status = 201
        return { data: await writeAnswering(deps.db, request, 201, (trx) => createIngressWebhook(trx, principal, body, baseUrl, deps.clock)) }
      },
      {
        body: IngressWebhookCreate,
        response: {
          201: dataEnvelope(IngressWebhookWithUrl, 'The new URL; `url` is shown only here'),
          ...errorResponses(400, 401, 403, 404, 409, 429),
        },
        detail: doc(
          TAG,
          'createIngressWebhook',
          'Create an ingress URL',
          'Other tools POST activities to the returned URL with no further authentication: treat it like a password. ' +
            'Its base is `CREWBASE_PUBLIC_URL` when set, else this request’s `X-Forwarded-Proto`/`X-Forwarded-Host` or `Host`.',
        ),
      },
    )
    .delete(
      '/:id',
      async ({ principal, params, set }) => {
        await revokeIngressWebhook(deps.db, principal.orgId, params.id, deps.clock)
        set.status = 204
      },
      {
        params: IdParams,
        response: { 204: t.Void({ description: 'Revoked; the URL answers 404 from now on' }), ...errorResponses(401, 403, 404, 429) },
        detail: doc(TAG, 'revokeIngressWebhook', 'Revoke an ingress URL', 'Activities it received stay.'),
      },
    )
