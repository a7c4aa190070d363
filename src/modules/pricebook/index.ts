import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope, pageQuery } from '../../http/pagination'
import { PricebookItem, PricebookItemCreate, PricebookItemPatch, PricebookQuery } from './model'
import { createPricebookItem, deletePricebookItem, getPricebookItem, listPricebookItems, updatePricebookItem } from './service'

const TAG = 'Pricebook'

export const pricebookRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/pricebook', normalize: false })
    .use(authenticated(deps))
    .get('', ({ principal, query }) => listPricebookItems(deps.db, principal.orgId, query), {
      query: t.Object({ ...pageQuery, ...PricebookQuery.properties }),
      response: { 200: listEnvelope(PricebookItem, 'Pricebook items, newest first'), ...errorResponses(400, 401, 403, 429) },
      detail: doc(TAG, 'listPricebookItems', 'List services and materials', 'Filters: `kind`, `active`, `q` (name or SKU).'),
    })
    .get('/:id', async ({ principal, params }) => ({ data: await getPricebookItem(deps.db, principal.orgId, params.id) }), {
      params: IdParams,
      response: { 200: dataEnvelope(PricebookItem, 'The item'), ...errorResponses(401, 403, 404, 429) },
      detail: doc(TAG, 'getPricebookItem', 'Get a pricebook item'),
    })
    .post(
      '',
      async ({ principal, body, set }) => {
        set.status = 201
        return { data: await createPricebookItem(deps.db, principal.orgId, body, deps.clock) }
      },
      {
        body: PricebookItemCreate,
        response: { 201: dataEnvelope(PricebookItem, 'The new item'), ...errorResponses(400, 401, 403, 409, 422, 429) },
        detail: doc(TAG, 'createPricebookItem', 'Add a service or material', '`currency` defaults to the organization’s (USD).'),
      },
    )
    .patch(
      '/:id',
      async ({ principal, params, body, headers }) => ({
        data: await updatePricebookItem(deps.db, principal.orgId, params.id, body, headers['if-match'] ?? null, deps.clock),
      }),
      {
        params: IdParams,
        body: PricebookItemPatch,
        response: { 200: dataEnvelope(PricebookItem, 'The updated item'), ...errorResponses(400, 401, 403, 404, 412, 429) },
        detail: doc(TAG, 'updatePricebookItem', 'Change a pricebook item', 'Lines already on estimates and invoices keep the values they copied.'),
      },
    )
    .delete(
      '/:id',
      async ({ principal, params, set }) => {
        await deletePricebookItem(deps.db, principal.orgId, params.id)
        set.status = 204
      },
      {
        params: IdParams,
        response: { 204: t.Void({ description: 'Removed' }), ...errorResponses(401, 403, 404, 409, 429) },
        detail: doc(TAG, 'deletePricebookItem', 'Remove an unused pricebook item', 'An item used on any line is 409; archive it with `active: false` instead.'),
      },
    )
