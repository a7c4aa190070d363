/**
 * What the API answers, typed from the server's own TypeBox schemas. Type-only imports vanish from the
 * bundle, so the page gets the exact field names without shipping any server code.
 */
import type { Static } from 'elysia'
import type { ApiKey as ApiKeySchema, ApiKeyWithSecret as ApiKeyWithSecretSchema } from '../../modules/api-keys/model'
import type { Attempt as AttemptSchema, Delivery as DeliverySchema, DeliveryDetail as DeliveryDetailSchema } from '../../modules/deliveries/model'
import type { Maintenance as MaintenanceSchema, MaintenanceRun as MaintenanceRunSchema } from '../../modules/maintenance/model'
import type { IngressWebhook as IngressSchema, IngressWebhookWithUrl as IngressWithUrlSchema } from '../../modules/ingress-webhooks/model'
import type { User as UserSchema } from '../../modules/users/model'
import type { Webhook as WebhookSchema, WebhookWithSecret as WebhookWithSecretSchema } from '../../modules/webhooks/model'

export type ApiKey = Static<typeof ApiKeySchema>
export type ApiKeyWithSecret = Static<typeof ApiKeyWithSecretSchema>
export type User = Static<typeof UserSchema>
export type IngressUrl = Static<typeof IngressSchema>
export type IngressUrlWithSecret = Static<typeof IngressWithUrlSchema>
export type Webhook = Static<typeof WebhookSchema>
export type WebhookWithSecret = Static<typeof WebhookWithSecretSchema>
export type Delivery = Static<typeof DeliverySchema>
export type DeliveryDetail = Static<typeof DeliveryDetailSchema>
export type Attempt = Static<typeof AttemptSchema>
export type Maintenance = Static<typeof MaintenanceSchema>
export type MaintenanceRun = Static<typeof MaintenanceRunSchema>
/** POST /webhooks/:id/test */
export interface TestResult {
  delivery_id: string
  succeeded: boolean
  attempt: Attempt
}

/** Delivery statuses for the log's filter, in the order a person thinks of them. */
export const DELIVERY_STATUS_OPTIONS: Array<[string, string]> = [
  ['', 'All'],
  ['pending', 'Pending'],
  ['succeeded', 'Succeeded'],
  ['failed', 'Failed'],
  ['skipped', 'Skipped (endpoint was disabled)'],
]
