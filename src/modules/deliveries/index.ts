import { Elysia } from 'elysia'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope } from '../../http/pagination'
import { DeliveryDetail } from './model'
import { getDelivery, redeliver } from './service'


export const deliveriesRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/deliveries', normalize: false })
    .use(authenticated(deps))
    .get('/:id', async ({ principal, params }) => ({ data: await getDelivery(deps.db, principal.orgId, params.id, deps.clock) }), {
      params: IdParams,
      response: { 200: dataEnvelope(DeliveryDetail, 'The delivery with its attempts'), ...errorResponses(401, 403, 404, 429) },
      detail: doc('Webhooks', 'getDelivery', 'Get a delivery and its attempts'),
    })
    .post(
      '/:id/redeliver',
      async ({ principal, params }) => ({ data: await redeliver(deps.db, principal.orgId, params.id, deps.clock) }),
      {
        params: IdParams,
        response: { 200: dataEnvelope(DeliveryDetail, 'The delivery, queued for an attempt now'), ...errorResponses(401, 403, 404, 409, 429) },
        detail: doc('Webhooks', 'redeliver', 'Queue a new attempt of a delivery now', 'Same delivery id; refused while an attempt is in flight or the endpoint is disabled.'),
      },
    )
