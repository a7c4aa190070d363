import { Elysia } from 'elysia'
import { transaction } from '../../db/transaction'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope } from '../../http/pagination'
import { recordLocations } from '../places/locations'
import { LocationsInput, LocationsResult, MAX_PINGS_PER_REQUEST } from '../places/model'


/** `POST /contractors/:id/locations`: where a crew member is; kept apart from the contractor CRUD. */
export const contractorLocationsRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/contractors', normalize: false })
    .use(authenticated(deps))
    .post(
      '/:id/locations',
      async ({ principal, params, body }) => ({
        data: await transaction(deps.db, (trx) => recordLocations(trx, principal.orgId, params.id, body, deps.clock)),
      }),
      {
        params: IdParams,
        body: LocationsInput,
        response: { 200: dataEnvelope(LocationsResult, 'What the pings did'), ...errorResponses(400, 401, 403, 404, 429) },
        detail: doc(
          'Places',
          'recordContractorLocations',
          'Report a crew member’s location',
          `One fix \`{"lat","lng","accuracy","at"}\` or a batch \`{"pings":[…]}\` of up to ${MAX_PINGS_PER_REQUEST}. ` +
            'Pings are applied in `at` order; one older than the newest already received is counted as stale and moves nothing. ' +
            'Entering a place (distance ≤ `radius_m`) records a place check and `place.checkin`; leaving needs distance > `radius_m` + max(20 m, 25 % of `radius_m`) and records `place.checkout`, so jitter at the edge does not flap. ' +
            'A fix whose `accuracy` is coarser than radius + margin is ignored for that place. Needs `contractors` write permission.',
        ),
      },
    )
