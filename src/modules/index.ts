import { Elysia } from 'elysia'
import type { AppDeps } from '../deps'
import { activitiesRoutes } from './activities'
import { alertRulesRoutes } from './alert-rules'
import { alertsRoutes } from './alerts'
import { apiKeysRoutes } from './api-keys'
import { deliveriesRoutes } from './deliveries'
import { estimatesRoutes } from './estimates'
import { invoicesRoutes } from './invoices'
import { paymentsRoutes } from './payments'
import { pricebookRoutes } from './pricebook'
import { ingressWebhooksRoutes } from './ingress-webhooks'
import { clientsRoutes } from './clients'
import { contactsRoutes } from './contacts'
import { contractorsRoutes } from './contractors'
import { contractorLocationsRoutes } from './contractors/locations'
import { eventsRoutes } from './events'
import { jobsRoutes } from './jobs'
import { maintenanceRoutes } from './maintenance'
import { placeChecksRoutes } from './place-checks'
import { placesRoutes } from './places'
import { propertiesRoutes } from './properties'
import { requestsRoutes } from './requests'
import { usersRoutes } from './users'
import { webhooksRoutes } from './webhooks'

/** Every /api/v1 resource, one module each. */
export const apiV1 = (deps: AppDeps) =>
  new Elysia({ prefix: '/api/v1', normalize: false })
    .use(apiKeysRoutes(deps))
    .use(usersRoutes(deps))
    .use(pricebookRoutes(deps))
    .use(estimatesRoutes(deps))
    .use(invoicesRoutes(deps))
    .use(paymentsRoutes(deps))
    .use(ingressWebhooksRoutes(deps))
    .use(activitiesRoutes(deps))
    .use(jobsRoutes(deps))
    .use(contractorsRoutes(deps))
    .use(clientsRoutes(deps))
    .use(contactsRoutes(deps))
    .use(propertiesRoutes(deps))
    .use(requestsRoutes(deps))
    .use(eventsRoutes(deps))
    .use(contractorLocationsRoutes(deps))
    .use(placesRoutes(deps))
    .use(placeChecksRoutes(deps))
    .use(alertRulesRoutes(deps))
    .use(alertsRoutes(deps))
    .use(webhooksRoutes(deps))
    .use(deliveriesRoutes(deps))
    .use(maintenanceRoutes(deps))
