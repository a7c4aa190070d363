import { writeAnswering } from '../../http/idempotency'
import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope, pageQuery } from '../../http/pagination'
import { IdParams, NoBody } from '../../http/fields'
import { ROUNDING_RULE } from '../line-items/model'
import { Estimate, EstimateConvert, EstimateCreate, EstimateDecline, EstimatePatch, EstimateQuery } from './model'
import {
  approveEstimate,
  convertEstimate,
  createEstimate,
  declineEstimate,
  getEstimate,
  listEstimates,
  sendEstimate,
  updateEstimate,
} from './service'

const TAG = 'Estimates'
const one = (description: string) => dataEnvelope(Estimate, description)
const actionErrors = errorResponses(400, 401, 403, 404, 409, 422, 429)
const CONVERT_DESCRIPTION =
  '`approved` → `converted`. Body `{"create": ["job", "invoice"]}` (either or both, optional `job` overrides): ' +
  '`job` creates a scheduled job for the estimate’s client (`job.created`; title and description from the estimate) — ' +
  '409 if the estimate already names a job; `invoice` creates a draft invoice (`invoice.created`) for that job carrying ' +
  'copies of the estimate’s line items, so its totals equal the estimate’s. The answer is the estimate with `job_id` and ' +
  '`invoice_id` set. Needs write permission on jobs / invoices too. Everything happens in one transaction.'

export const estimatesRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/estimates', normalize: false })
    .use(authenticated(deps))
    .get('', ({ principal, query }) => listEstimates(deps.db, principal.orgId, query), {
      query: t.Object({ ...pageQuery, ...EstimateQuery.properties }),
      response: { 200: listEnvelope(Estimate, 'Estimates with their line items, newest first'), ...errorResponses(400, 401, 403, 429) },
      detail: doc(TAG, 'listEstimates', 'List estimates with line items', 'Filters: `status`, `client_id`, `job_id`.'),
    })
    .get('/:id', async ({ principal, params }) => ({ data: await getEstimate(deps.db, principal.orgId, params.id) }), {
      params: IdParams,
      response: { 200: one('The estimate with its line items'), ...errorResponses(401, 403, 404, 429) },
      detail: doc(TAG, 'getEstimate', 'Get an estimate with line items'),
    })
    .post(
      '',
      async ({ principal, body, set, request }) => {
        set.status = 201
        return { data: await writeAnswering(deps.db, request, 201, (trx) => createEstimate(trx, principal.orgId, body, deps.clock)) }
      },
      {
        body: EstimateCreate,
        response: { 201: one('The new draft estimate'), ...errorResponses(400, 401, 403, 409, 422, 429) },
        detail: doc(
          TAG,
          'createEstimate',
          'Create a draft estimate',
          `Gets the next number (\`EST-1001\`…) and the organization’s currency unless \`currency\` is given. ${ROUNDING_RULE} Records \`estimate.created\`.`,
        ),
      },
    )
    .patch(
      '/:id',
      async ({ principal, params, body, headers }) => ({
        data: await updateEstimate(deps.db, principal.orgId, params.id, body, headers['if-match'] ?? null, deps.clock),
      }),
      {
        params: IdParams,
        body: EstimatePatch,
        response: { 200: one('The updated estimate'), ...errorResponses(400, 401, 403, 404, 409, 412, 429) },
        detail: doc(
          TAG,
          'updateEstimate',
          'Change an estimate',
          '`line_items` (replacing every line), `currency`, `client_id` and `job_id` change only while the estimate is a `draft` (else 409); ' +
            '`title`, `notes` and `valid_until` change in any status but `converted`. Honours `If-Match`.',
        ),
      },
    )
    .post('/:id/send', async ({ principal, params }) => ({ data: await sendEstimate(deps.db, principal.orgId, params.id, deps.clock) }), {
      params: IdParams,
      body: NoBody,
      response: { 200: one('The sent estimate'), ...actionErrors },
      detail: doc(TAG, 'sendEstimate', 'Send a draft estimate', '`draft` → `sent`; its lines are then fixed. An estimate without lines is 409.'),
    })
    .post('/:id/approve', async ({ principal, params }) => ({ data: await approveEstimate(deps.db, principal.orgId, params.id, deps.clock) }), {
      params: IdParams,
      body: NoBody,
      response: { 200: one('The approved estimate'), ...actionErrors },
      detail: doc(TAG, 'approveEstimate', 'Record the client’s approval', '`sent` → `approved`; records `estimate.approved`.'),
    })
    .post(
      '/:id/decline',
      async ({ principal, params, body }) => ({ data: await declineEstimate(deps.db, principal.orgId, params.id, body.reason, deps.clock) }),
      {
        params: IdParams,
        body: EstimateDecline,
        response: { 200: one('The declined estimate'), ...actionErrors },
        detail: doc(TAG, 'declineEstimate', 'Record the client’s refusal', '`sent` → `declined`, with an optional `reason`.'),
      },
    )
    .post(
      '/:id/convert',
      async ({ principal, params, body }) => ({ data: await convertEstimate(deps.db, principal, params.id, body, deps.clock) }),
      {
        params: IdParams,
        body: EstimateConvert,
        response: { 200: one('The converted estimate; `job_id` and `invoice_id` point at what was created'), ...actionErrors },
        detail: doc(TAG, 'convertEstimate', 'Convert an approved estimate', CONVERT_DESCRIPTION),
      },
    )
