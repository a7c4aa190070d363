import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../deps'
import { transaction } from '../../db/transaction'
import { actorOf } from '../../http/auth'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope, pageQuery } from '../../http/pagination'
import { User, UserCreate, UserPatch } from './model'
import { createUser, deleteUser, getUser, listUsers, mayManageOwners, updateUser } from './service'


export const usersRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/users', normalize: false })
    .use(authenticated(deps))
    .get('', ({ principal, query }) => listUsers(deps.db, principal.orgId, query), {
      query: t.Object(pageQuery),
      response: { 200: listEnvelope(User, 'Users of the organization'), ...errorResponses(400, 401, 403, 429) },
      detail: doc('Users', 'listUsers', 'List users'),
    })
    .get('/:id', async ({ principal, params }) => ({ data: await getUser(deps.db, principal.orgId, params.id) }), {
      params: IdParams,
      response: { 200: dataEnvelope(User, 'The user'), ...errorResponses(401, 403, 404, 429) },
      detail: doc('Users', 'getUser', 'Get a user'),
    })
    .post(
      '',
      async ({ principal, body, set }) => {
        set.status = 201
        const { password, ...fields } = body
        // The slow part first: the transaction opens only for the write.
        const input = { ...fields, passwordHash: await deps.passwords.hash(password), mayManageOwners: mayManageOwners(principal) }
        return { data: await transaction(deps.db, (trx) => createUser(trx, principal.orgId, input, actorOf(principal), deps.clock)) }
      },
      {
        body: UserCreate,
        response: { 201: dataEnvelope(User, 'The new user'), ...errorResponses(400, 401, 403, 409, 429) },
        detail: doc('Users', 'createUser', 'Create a user who can sign in'),
      },
    )
    .patch(
      '/:id',
      async ({ principal, params, body, headers }) => {
        const { password, ...fields } = body
        const input = {
          ...fields,
          id: params.id,
          ifMatch: headers['if-match'] ?? null,
          mayManageOwners: mayManageOwners(principal),
          ...(password !== undefined ? { passwordHash: await deps.passwords.hash(password) } : {}),
        }
        return { data: await transaction(deps.db, (trx) => updateUser(trx, principal.orgId, input, actorOf(principal), deps.clock)) }
      },
      {
        params: IdParams,
        body: UserPatch,
        response: { 200: dataEnvelope(User, 'The updated user'), ...errorResponses(400, 401, 403, 404, 409, 412, 429) },
        detail: doc('Users', 'updateUser', 'Change a user’s name, role or password'),
      },
    )
    .delete(
      '/:id',
      async ({ principal, params, set }) => {
        const input = { id: params.id, mayManageOwners: mayManageOwners(principal) }
        await transaction(deps.db, (trx) => deleteUser(trx, principal.orgId, input, actorOf(principal)))
        set.status = 204
      },
      {
        params: IdParams,
        response: { 204: t.Void({ description: 'Removed' }), ...errorResponses(401, 403, 404, 409, 429) },
        detail: doc('Users', 'deleteUser', 'Remove a user and end their sessions'),
      },
    )
