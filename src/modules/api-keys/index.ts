import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { storeForReplayAs, writeAnswering } from '../../http/idempotency'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope, pageQuery } from '../../http/pagination'
import { ApiKey, ApiKeyCreate, ApiKeyWithSecret } from './model'
import { createApiKeyFor, listApiKeys, revokeApiKey } from './service'

export const apiKeysRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/api-keys', normalize: false })
    .use(authenticated(deps))
    .get('', ({ principal, query }) => listApiKeys(deps.db, principal.orgId, query, deps.clock), {
      query: t.Object(pageQuery),
      response: { 200: listEnvelope(ApiKey, 'Active API keys (never the key itself)'), ...errorResponses(400, 401, 403, 429) },
      detail: doc('API keys', 'listApiKeys', 'List active API keys'),
    })
    .post(
      '',
      async ({ principal, body, request, set }) => {
        // The key is shown once: an Idempotency-Key replay answers the same key resource with `key: null`.
        storeForReplayAs(request, (answer: { data: object }) => ({ data: { ...answer.data, key: null } }))
        set.status = 201
        return { data: await writeAnswering(deps.db, request, 201, (trx) => createApiKeyFor(trx, principal, body, deps.clock)) }
      },
      {
        body: ApiKeyCreate,
        response: {
          201: dataEnvelope(ApiKeyWithSecret, 'The new key; `key` is shown only here'),
          ...errorResponses(400, 401, 403, 409, 429),
        },
        detail: doc('API keys', 'createApiKey', 'Create an API key', 'At most 5 active keys per organization.'),
      },
    )
    .delete(
      '/:id',
      async ({ principal, params, set }) => {
        await revokeApiKey(deps.db, principal.orgId, params.id, deps.clock)
        set.status = 204
      },
      {
        params: IdParams,
        response: { 204: t.Void({ description: 'Revoked; the key fails from the next request on' }), ...errorResponses(401, 403, 404, 429) },
        detail: doc('API keys', 'revokeApiKey', 'Revoke an API key'),
      },
    )
