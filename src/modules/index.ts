import { Elysia } from 'elysia'
import type { AppDeps } from '../deps'
import { activitiesRoutes } from './activities'
import { apiKeysRoutes } from './api-keys'
import { ingressWebhooksRoutes } from './ingress-webhooks'
import { usersRoutes } from './users'

/** Every /api/v1 resource, one module each. */
export const apiV1 = (deps: AppDeps) =>
  new Elysia({ prefix: '/api/v1', normalize: false })
    .use(apiKeysRoutes(deps))
    .use(usersRoutes(deps))
    .use(ingressWebhooksRoutes(deps))
    .use(activitiesRoutes(deps))
