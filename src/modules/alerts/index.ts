import { Elysia } from 'elysia'
import { transaction } from '../../db/transaction'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams, NoBody } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope } from '../../http/pagination'
import { assertNotCrew } from '../jobs/crew'
import { Alert, AlertListQuery } from './model'
import { acknowledgeAlert, getAlert, listAlerts, resolveAlert } from './service'

const ACTION_ERRORS = errorResponses(400, 401, 403, 404, 409, 429)

export const alertsRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/alerts', normalize: false })
    .use(authenticated(deps))
    .onBeforeHandle(({ principal }) => assertNotCrew(principal, 'see alerts'))
    .get('', ({ principal, query }) => listAlerts(deps.db, principal.orgId, query), {
      query: AlertListQuery,
      response: { 200: listEnvelope(Alert, 'Alerts, newest first'), ...errorResponses(400, 401, 403, 429) },
      detail: doc(
        'Alerts',
        'listAlerts',
        'List alerts',
        'What alert rules fired. Filter by `status`, `type`, `rule_id`, `job_id`, `contractor_id`, `place_id`. Each firing records `alert.triggered`.',
      ),
    })
    .get('/:id', async ({ principal, params }) => ({ data: await getAlert(deps.db, principal.orgId, params.id) }), {
      params: IdParams,
      response: { 200: dataEnvelope(Alert, 'The alert'), ...errorResponses(401, 403, 404, 429) },
      detail: doc('Alerts', 'getAlert', 'Get an alert'),
    })
    .post(
      '/:id/acknowledge',
      async ({ principal, params }) => ({
        data: await transaction(deps.db, (trx) => acknowledgeAlert(trx, principal.orgId, params.id, principal.userId, deps.clock)),
      }),
      {
        params: IdParams,
        body: NoBody,
        response: { 200: dataEnvelope(Alert, 'The alert, now `acknowledged`'), ...ACTION_ERRORS },
        detail: doc('Alerts', 'acknowledgeAlert', 'Acknowledge an alert', 'From `open` only; anything else is 409.'),
      },
    )
    .post(
      '/:id/resolve',
      async ({ principal, params }) => ({
        data: await transaction(deps.db, (trx) => resolveAlert(trx, principal.orgId, params.id, principal.userId, deps.clock)),
      }),
      {
        params: IdParams,
        body: NoBody,
        response: { 200: dataEnvelope(Alert, 'The alert, now `resolved`'), ...ACTION_ERRORS },
        detail: doc(
          'Alerts',
          'resolveAlert',
          'Resolve an alert',
          'From `open` or `acknowledged`. While its condition lasts the rule does not fire again for the same subject.',
        ),
      },
    )
