import { t } from 'elysia'
import type { AppDeps } from '../../deps'
import { crudRoutes } from '../../http/crud'
import { errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope, pageQuery } from '../../http/pagination'
import { Contractor, ContractorCreate, ContractorListQuery, ContractorPatch, Rating, RatingCreate } from './model'
import { contractors, listRatings, rateContractor } from './service'


export const contractorsRoutes = (deps: AppDeps) =>
  crudRoutes(deps, {
    prefix: '/contractors',
    tag: 'Crew',
    singular: 'Contractor',
    plural: 'Contractors',
    item: Contractor,
    create: ContractorCreate,
    patch: ContractorPatch,
    query: ContractorListQuery,
    service: contractors,
    notes: {
      list: 'Crew members. Filter by `active`, `trade`, `q`.',
      remove: 'Refused with 409 once the crew member has assignments, ratings, check-ins or messages; set `active: false` instead.',
    },
  })
    .get('/:id/ratings', ({ principal, params, query }) => listRatings(deps.db, principal.orgId, params.id, query), {
      params: IdParams,
      query: t.Object(pageQuery, { additionalProperties: false }),
      response: { 200: listEnvelope(Rating, 'Ratings, newest first'), ...errorResponses(400, 401, 403, 404, 429) },
      detail: doc('Crew', 'listContractorRatings', 'List a crew member’s ratings'),
    })
    .post(
      '/:id/ratings',
      async ({ principal, params, body, set }) => {
        const data = await rateContractor(deps.db, principal.orgId, params.id, body, deps.clock)
        set.status = 201
        return { data }
      },
      {
        params: IdParams,
        body: RatingCreate,
        response: { 201: dataEnvelope(Rating, 'The rating'), ...errorResponses(400, 401, 403, 404, 409, 429) },
        detail: doc(
          'Crew',
          'rateContractor',
          'Rate a crew member for a job',
          'Once per crew member and job. Updates `rating_average` and `rating_count`; records `crew.rated`.',
        ),
      },
    )
