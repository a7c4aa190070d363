import { Elysia } from 'elysia'
import type { AppDeps } from '../deps'
import { apiKeysRoutes } from './api-keys'
import { estimatesRoutes } from './estimates'
import { invoicesRoutes } from './invoices'
import { paymentsRoutes } from './payments'
import { pricebookRoutes } from './pricebook'
import { usersRoutes } from './users'

/** Every /api/v1 resource, one module each. */
export const apiV1 = (deps: AppDeps) =>
  new Elysia({ prefix: '/api/v1', normalize: false })
    .use(apiKeysRoutes(deps))
    .use(usersRoutes(deps))
    .use(pricebookRoutes(deps))
    .use(estimatesRoutes(deps))
    .use(invoicesRoutes(deps))
    .use(paymentsRoutes(deps))
