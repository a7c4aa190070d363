import { Elysia } from 'elysia'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope } from '../../http/pagination'
import { Event, EventListQuery } from './model'
import { getEvent, listEvents } from './service'

export const eventsRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/events', normalize: false })
    .use(authenticated(deps))
    .get('', ({ principal, query }) => listEvents(deps.db, principal.orgId, query), {
      query: EventListQuery,
      response: { 200: listEnvelope(Event, 'Events, newest first (oldest first with `after`)'), ...errorResponses(400, 401, 403, 429) },
      detail: doc(
        'Events',
        'listEvents',
        'List the event log',
        'Every change recorded in the same transaction as the change. Filter by `type` and `created_after`; poll with `after=<event id>`.',
      ),
    })
    .get('/:id', async ({ principal, params }) => ({ data: await getEvent(deps.db, principal.orgId, params.id) }), {
      params: IdParams,
      response: { 200: dataEnvelope(Event, 'The event'), ...errorResponses(401, 403, 404, 429) },
      detail: doc('Events', 'getEvent', 'Get an event'),
    })
