import { Elysia } from 'elysia'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope } from '../../http/pagination'
import { PlaceCheck, PlaceCheckListQuery } from './model'
import { getPlaceCheck, listPlaceChecks } from './service'


/** Read-only: place checks are made by location pings crossing a place's boundary. */
export const placeChecksRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/place-checks', normalize: false })
    .use(authenticated(deps))
    .get('', ({ principal, query }) => listPlaceChecks(deps.db, principal.orgId, query), {
      query: PlaceCheckListQuery,
      response: { 200: listEnvelope(PlaceCheck, 'Arrivals and departures, newest first'), ...errorResponses(400, 401, 403, 429) },
      detail: doc('Places', 'listPlaceChecks', 'List place checks', 'Filter by `place_id`, `contractor_id`, `type`.'),
    })
    .get('/:id', async ({ principal, params }) => ({ data: await getPlaceCheck(deps.db, principal.orgId, params.id) }), {
      params: IdParams,
      response: { 200: dataEnvelope(PlaceCheck, 'The place check'), ...errorResponses(401, 403, 404, 429) },
      detail: doc('Places', 'getPlaceCheck', 'Get a place check'),
    })
