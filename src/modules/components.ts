import { named, nameExports } from '../http/components'
import { ErrorDetailSchema, ErrorEnvelope } from '../http/errors'
import { Email, Metadata, NoBody, Phone } from '../http/fields'
import { CurrencyCode } from '../money/currencies'
import { PaginationSchema } from '../http/pagination'
import * as activities from './activities/model'
import * as alertRules from './alert-rules/model'
import * as alerts from './alerts/model'
import * as apiKeys from './api-keys/model'
import * as clients from './clients/model'
import * as contacts from './contacts/model'
import * as contractors from './contractors/model'
import * as deliveries from './deliveries/model'
import * as estimates from './estimates/model'
import * as events from './events/model'
import * as ingressWebhooks from './ingress-webhooks/model'
import * as invoices from './invoices/model'
import * as jobLog from './jobs/log-model'
import * as jobs from './jobs/model'
import * as lineItems from './line-items/model'
import * as maintenance from './maintenance/model'
import * as payments from './payments/model'
import * as placeChecks from './place-checks/model'
import * as places from './places/model'
import * as pricebook from './pricebook/model'
import * as properties from './properties/model'
import * as requests from './requests/model'
import * as users from './users/model'
import * as webhooks from './webhooks/model'

// Every model's exported schemas become named OpenAPI components (see http/components.ts).
// Loaded by the document builder only, so none of this runs until /openapi.json is asked for.
named('Error', ErrorEnvelope)
named('ErrorDetail', ErrorDetailSchema)
named('Pagination', PaginationSchema)
named('NoBody', NoBody)
named('Metadata', Metadata)
named('Email', Email)
named('Phone', Phone)
// A factory: every use is a copy, named by its shape.
named('CurrencyCode', CurrencyCode())
named('LineItemsInput', lineItems.LineItemsInput)
for (const model of [
  alertRules,
  alerts,
  apiKeys,
  clients,
  contacts,
  contractors,
  estimates,
  events,
  ingressWebhooks,
  invoices,
  jobLog,
  jobs,
  lineItems,
  maintenance,
  payments,
  placeChecks,
  places,
  pricebook,
  properties,
  requests,
  users,
]) {
  nameExports(model)
}
nameExports(activities, { Member: 'ActivityMember', ActivityInput: 'ActivityCreate' })
nameExports(deliveries, { EventBody: 'DeliveryEvent' })
nameExports(webhooks, {
  Webhook: 'WebhookEndpoint',
  WebhookWithSecret: 'WebhookEndpointWithSecret',
  WebhookCreate: 'WebhookEndpointCreate',
  WebhookPatch: 'WebhookEndpointUpdate',
  WebhookHealth: 'WebhookEndpointHealth',
  RecoverBody: 'WebhookRecover',
  RecoverResult: 'WebhookRecoverResult',
})
