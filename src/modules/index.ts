import { Elysia } from 'elysia'
import type { AppDeps } from '../deps'
import { apiKeysRoutes } from './api-keys'
import { deliveriesRoutes } from './deliveries'
import { usersRoutes } from './users'
import { webhooksRoutes } from './webhooks'

/** Every /api/v1 resource, one module each. */
export const apiV1 = (deps: AppDeps) =>
  new Elysia({ prefix: '/api/v1', normalize: false })
    .use(apiKeysRoutes(deps))
    .use(usersRoutes(deps))
    .use(webhooksRoutes(deps))
    .use(deliveriesRoutes(deps))
