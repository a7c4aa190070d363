import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../deps'
import { errorResponses, notFound } from '../../http/errors'
import { publicDoc } from '../../http/openapi'
import { dataEnvelope } from '../../http/pagination'
import { enforceRateLimit } from '../../http/rate-limit'
import { Activity, ActivityInput } from '../activities/model'
import { receiveActivity } from '../activities/service'
import { findActiveIngressWebhook } from '../ingress-webhooks/service'

/**
 * `POST /webhooks/ingress/:token` (PRODUCT.md §4): the token in the path is the only
 * credential. Outside /api/v1, so no Bearer token and no Idempotency-Key: `externalId`
 * is what makes a retry safe here.
 */
export const ingressRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/webhooks/ingress', normalize: false })
    // A derive runs before the body is validated: an unknown token is 404 whatever the body says.
    .derive(async ({ params, set }) => {
      const hook = await findActiveIngressWebhook(deps.db, (params as { token?: string }).token ?? '')
      if (!hook) throw notFound('Ingress URL')
      // Each URL has its own budget, the API keys' default, so one noisy tool cannot flood the server.
      enforceRateLimit(deps.rateLimiter, `ingress:${hook.id}`, deps.config.rateLimit, set.headers)
      return { hook }
    })
    .post(
      '/:token',
      async ({ hook, body, set }) => {
        const { activity, created } = await receiveActivity(deps.db, hook, body, deps.clock)
        set.status = created ? 201 : 200
        return { data: activity }
      },
      {
        params: t.Object({ token: t.String({ description: 'The secret part of the URL' }) }),
        body: ActivityInput,
        response: {
          200: dataEnvelope(Activity, 'This URL already received that `externalId`: the stored activity, nothing duplicated'),
          201: dataEnvelope(Activity, 'The activity was stored'),
          ...errorResponses(400, 404, 413, 415, 429),
        },
        detail: publicDoc(
          'Ingress URLs',
          'receiveActivity',
          'Push an activity into an ingress URL',
          'No API key: the secret token in the path authenticates. An unknown or revoked token is 404. ' +
            'Each URL may take `CREWBASE_RATE_LIMIT` requests per minute. Emits `activity.created`.',
        ),
      },
    )
