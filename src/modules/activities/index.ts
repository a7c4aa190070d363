import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope, pageQuery } from '../../http/pagination'
import { Activity } from './model'
import { getActivity, listActivities } from './service'

const TAG = 'Activities'

export const activitiesRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/activities', normalize: false })
    .use(authenticated(deps))
    .get('', ({ principal, query }) => listActivities(deps.db, principal.orgId, query), {
      query: t.Object({
        ...pageQuery,
        job_id: t.Optional(t.String({ maxLength: 64, description: 'Only activities of this job' })),
        external_id: t.Optional(t.String({ maxLength: 255, description: 'Only activities the sender gave this `externalId`' })),
        ingress_webhook_id: t.Optional(t.String({ maxLength: 64, description: 'Only activities received by this ingress URL' })),
      }),
      response: { 200: listEnvelope(Activity, 'Activities, newest first'), ...errorResponses(400, 401, 403, 429) },
      detail: doc(TAG, 'listActivities', 'List activities received by ingress URLs'),
    })
    .get('/:id', async ({ principal, params }) => ({ data: await getActivity(deps.db, principal.orgId, params.id) }), {
      params: IdParams,
      response: { 200: dataEnvelope(Activity, 'The activity'), ...errorResponses(401, 403, 404, 429) },
      detail: doc(TAG, 'getActivity', 'Get an activity'),
    })
