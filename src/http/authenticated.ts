import { Elysia } from 'elysia'
import type { AppDeps } from '../deps'
import { authenticate, bearerToken, type Principal } from './auth'
import { ApiError } from './errors'
import { allows, requiredAccess, resourceForPath } from './permissions'
import { enforceRateLimit } from './rate-limit'

/**
 * Use in every /api/v1 module: resolves the Bearer token to a `principal`, applies the
 * key's rate limit (headers on every answer) and the permission the path needs —
 * before the body is validated, so a caller without access learns nothing about the route.
 */
export const authenticated = (deps: AppDeps) =>
  new Elysia().derive({ as: 'scoped' }, async ({ request, set }): Promise<{ principal: Principal }> => {
    const principal = await authenticate(deps.db, bearerToken(request.headers.get('authorization')), deps.clock.now())
    enforceRateLimit(deps.rateLimiter, principal.bucket, principal.rateLimit ?? deps.config.rateLimit, set.headers)
    const path = new URL(request.url).pathname
    const resource = resourceForPath(path)
    const needed = requiredAccess(request.method)
    if (resource && !allows(principal.permissions, resource, needed)) {
      throw new ApiError(
        'forbidden',
        resource === 'admin'
          ? 'This token lacks the admin permission (API keys, users, ingress URLs, maintenance, audit log)'
          : `This token lacks ${needed} permission on ${resource}`,
      )
    }
    return { principal }
  })
