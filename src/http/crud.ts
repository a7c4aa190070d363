import { writeAnswering } from './idempotency'
import type { TObject } from '@sinclair/typebox'
import { Elysia, type Static, type TSchema, t } from 'elysia'
import type { ResourceService } from '../modules/resource'
import type { AppDeps } from '../deps'
import type { Principal } from './auth'
import { authenticated } from './authenticated'
import { errorResponses } from './errors'
import { IdParams } from './fields'
import { doc } from './openapi'
import { dataEnvelope, listEnvelope } from './pagination'

export interface CrudRoutesOptions<TItem extends TSchema, TCreate extends TSchema, TPatch extends TSchema, TQuery extends TObject> {
  /** Path under /api/v1, e.g. `/clients`. */
  prefix: string
  /** OpenAPI tag, e.g. `Clients`. */
  tag: string
  /** For operation ids and summaries: `Client` / `Clients` → listClients, getClient… */
  singular: string
  plural: string
  item: TItem
  create: TCreate
  patch: TPatch
  /** The list's query: `pageQuery` spread plus the resource's filters. */
  query: TQuery
  service: ResourceService<Static<TItem>, Static<TCreate>, Static<TPatch>, Static<TQuery>>
  /** False for resources that cannot be deleted (no DELETE route at all, so 405). */
  deletable?: boolean
  /** Runs before every route (after authentication and the permission check), e.g. to refuse crew sessions. */
  guard?: (principal: Principal) => void | Promise<void>
  /** Extra words for the docs of an operation. */
  notes?: Partial<Record<'list' | 'create' | 'update' | 'remove', string>>
}


/**
 * The five routes of a plain resource — list, get, create, PATCH (If-Match), DELETE — with
 * their schemas and docs, from one description. Returns the module so it can add more routes.
 */
export function crudRoutes<TItem extends TSchema, TCreate extends TSchema, TPatch extends TSchema, TQuery extends TObject>(
  deps: AppDeps,
  o: CrudRoutesOptions<TItem, TCreate, TPatch, TQuery>,
) {
  const lower = o.singular.toLowerCase()
  // TypeScript cannot check a handler's result against a generic response schema; the
  // schemas are still enforced at run time and in the OpenAPI document.
  const answer = <T>(value: T) => value as never
  const routes = new Elysia({ prefix: o.prefix, normalize: false })
    .use(authenticated(deps))
    .onBeforeHandle(({ principal }) => o.guard?.(principal))
    .get('', async ({ principal, query }) => answer(await o.service.list(deps.db, principal.orgId, query as Static<TQuery>)), {
      query: o.query,
      response: { 200: listEnvelope(o.item, `${o.plural}, newest first`), ...errorResponses(400, 401, 403, 429) },
      detail: doc(o.tag, `list${o.plural}`, `List ${o.plural.toLowerCase()}`, o.notes?.list),
    })
    .get('/:id', async ({ principal, params }) => answer({ data: await o.service.get(deps.db, principal.orgId, params.id) }), {
      params: IdParams,
      response: { 200: dataEnvelope(o.item, `The ${lower}`), ...errorResponses(401, 403, 404, 429) },
      detail: doc(o.tag, `get${o.singular}`, `Get a ${lower}`),
    })
    .post(
      '',
      async ({ principal, body, set, request }) => {
        const data = await writeAnswering(deps.db, request, 201, (trx) => o.service.create(trx, principal.orgId, body as Static<TCreate>, deps.clock))
        set.status = 201
        return answer({ data })
      },
      {
        body: o.create,
        response: { 201: dataEnvelope(o.item, `The new ${lower}`), ...errorResponses(400, 401, 403, 409, 429) },
        detail: doc(o.tag, `create${o.singular}`, `Create a ${lower}`, o.notes?.create),
      },
    )
    .patch(
      '/:id',
      async ({ principal, params, body, headers }) =>
        answer({
          data: await o.service.update(deps.db, principal.orgId, params.id, body as Static<TPatch>, headers['if-match'] ?? null, deps.clock),
        }),
      {
        params: IdParams,
        body: o.patch,
        response: { 200: dataEnvelope(o.item, `The updated ${lower}`), ...errorResponses(400, 401, 403, 404, 409, 412, 429) },
        detail: doc(o.tag, `update${o.singular}`, `Change a ${lower}`, o.notes?.update ?? 'Honours `If-Match`.'),
      },
    )
  if (o.deletable === false) return routes
  return routes.delete(
    '/:id',
    async ({ principal, params, set }) => {
      await o.service.remove(deps.db, principal.orgId, params.id, deps.clock)
      set.status = 204
    },
    {
      params: IdParams,
      response: { 204: t.Void({ description: 'Deleted' }), ...errorResponses(401, 403, 404, 409, 429) },
      detail: doc(o.tag, `delete${o.singular}`, `Delete a ${lower}`, o.notes?.remove),
    },
  )
}
