import type { AppDeps } from '../../deps'
import { crudRoutes } from '../../http/crud'
import { ApiError, errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope } from '../../http/pagination'
import { allows } from '../../http/permissions'
import { Job } from '../jobs/model'
import { RequestConvert, RequestCreate, RequestDecline, RequestListQuery, RequestPatch, WorkRequest } from './model'
import { convertRequest, declineRequest, requests } from './service'


export const requestsRoutes = (deps: AppDeps) =>
  crudRoutes(deps, {
    prefix: '/requests',
    tag: 'Requests',
    singular: 'Request',
    plural: 'Requests',
    item: WorkRequest,
    create: RequestCreate,
    patch: RequestPatch,
    query: RequestListQuery,
    service: requests,
    deletable: false,
    notes: {
      list: 'Filter by `status`, `client_id`, `q`.',
      create: 'Records `request.created`.',
      update: 'Honours `If-Match`. Only a `new` request can be changed (409 otherwise).',
    },
  })
    .post(
      '/:id/convert',
      async ({ principal, params, body, set }) => {
        // The job is created on the caller's behalf: they must be allowed to create jobs too.
        if (!allows(principal.permissions, 'jobs', 'write')) throw new ApiError('forbidden', 'This token lacks write permission on jobs')
        const data = await convertRequest(deps.db, principal.orgId, params.id, body, deps.clock)
        set.status = 201
        return { data }
      },
      {
        params: IdParams,
        body: RequestConvert,
        response: { 201: dataEnvelope(Job, 'The new job; the request is now `converted` with its `job_id`'), ...errorResponses(400, 401, 403, 404, 409, 429) },
        detail: doc(
          'Requests',
          'convertRequest',
          'Turn a request into a job',
          'Only from `new`. Needs write on requests and creates the job in the same transaction (records `job.created`).',
        ),
      },
    )
    .post(
      '/:id/decline',
      async ({ principal, params, body }) => ({ data: await declineRequest(deps.db, principal.orgId, params.id, body, deps.clock) }),
      {
        params: IdParams,
        body: RequestDecline,
        response: { 200: dataEnvelope(WorkRequest, 'The request, now `declined`'), ...errorResponses(400, 401, 403, 404, 409, 429) },
        detail: doc('Requests', 'declineRequest', 'Decline a request', 'Only from `new`.'),
      },
    )
