import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../deps'
import { authenticate, bearerToken } from '../../http/auth'
import { ApiError, errorResponses } from '../../http/errors'
import { doc, publicDoc } from '../../http/openapi'
import { dataEnvelope } from '../../http/pagination'
import { anyOrgExists } from '../orgs/service'
import { Email, Password, User } from '../users/model'
import { getUser } from '../users/service'
import { transaction } from '../../db/transaction'
import { currentOrg, setUp, signIn, signOut } from './service'

const Session = t.Object({
  token: t.String({ description: 'Send as `Authorization: Bearer <token>`' }),
  expires_at: t.String({ format: 'date-time' }),
  user: User,
})
const Org = t.Object({ id: t.String(), name: t.String(), currency: t.String(), created_at: t.String() })

/** Sessions for people and the Settings page; first-run setup. */
export const authRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/api', normalize: false })
    .post(
      '/auth',
      async ({ body, set }) => {
        set.status = 201
        return { data: await signIn(deps.db, deps.passwords, body.email, body.password, deps.clock) }
      },
      {
        body: t.Object({ email: t.String({ maxLength: 254 }), password: t.String({ maxLength: 200 }) }, { additionalProperties: false }),
        response: { 201: dataEnvelope(Session, 'A new session'), ...errorResponses(400, 401) },
        detail: publicDoc('Sessions', 'createSession', 'Sign in', 'A user keeps at most 10 sessions; the 11th ends the oldest.'),
      },
    )
    .get(
      '/auth',
      async ({ request }) => {
        const principal = await authenticate(deps.db, bearerToken(request.headers.get('authorization')), deps.clock.now())
        if (principal.kind !== 'session' || !principal.userId) throw new ApiError('unauthorized', 'Not a session token')
        return {
          data: { user: await getUser(deps.db, principal.orgId, principal.userId), org: await currentOrg(deps.db, principal.orgId) },
        }
      },
      {
        response: { 200: dataEnvelope(t.Object({ user: User, org: Org }), 'Who the session belongs to'), ...errorResponses(401) },
        detail: doc('Sessions', 'getSession', 'The signed-in user and organization'),
      },
    )
    .delete(
      '/auth',
      async ({ request, set }) => {
        const principal = await authenticate(deps.db, bearerToken(request.headers.get('authorization')), deps.clock.now())
        if (principal.kind !== 'session' || !principal.sessionId) throw new ApiError('unauthorized', 'Not a session token')
        await signOut(deps.db, principal.sessionId)
        set.status = 204
      },
      {
        response: { 204: t.Void({ description: 'Signed out' }), ...errorResponses(401) },
        detail: doc('Sessions', 'deleteSession', 'Sign out (ends the presented session)'),
      },
    )
    .get('/setup', async () => ({ data: { needed: !(await anyOrgExists(deps.db)) } }), {
      response: { 200: dataEnvelope(t.Object({ needed: t.Boolean() }), 'Whether first-run setup is still open') },
      detail: publicDoc('Sessions', 'getSetupState', 'Is first-run setup needed?'),
    })
    .post(
      '/setup',
      async ({ body, set }) => {
        set.status = 201
        // Hashing takes ~100 ms: done before the transaction, which then holds the database only for the writes.
        const passwordHash = await deps.passwords.hash(body.password)
        const input = { org: body.org, email: body.email, passwordHash }
        return { data: await transaction(deps.db, (trx) => setUp(trx, input, deps.clock)) }
      },
      {
        body: t.Object(
          { org: t.String({ minLength: 1, maxLength: 200 }), email: Email, password: Password },
          { additionalProperties: false },
        ),
        response: { 201: dataEnvelope(Session, 'The organization and its owner exist; signed in'), ...errorResponses(400, 409) },
        detail: publicDoc('Sessions', 'setUp', 'First-run setup', 'Creates the organization and its owner. 409 once any organization exists.'),
      },
    )
