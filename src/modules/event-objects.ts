import type { TSchema } from 'elysia'
import { Activity } from './activities/model'
import { Alert } from './alerts/model'
import { Client } from './clients/model'
import { Contact } from './contacts/model'
import { Rating } from './contractors/model'
import { Estimate } from './estimates/model'
import { Invoice } from './invoices/model'
import { Checkin, Message } from './jobs/log-model'
import { Job } from './jobs/model'
import { Payment } from './payments/model'
import { PlaceCheck } from './place-checks/model'
import { WorkRequest } from './requests/model'
import { Webhook } from './webhooks/model'

/** The response schema of each `data.object` name of EVENT_OBJECTS (events/catalog.ts), for the OpenAPI `webhooks` section. */
export const EVENT_OBJECT_SCHEMAS: Record<string, TSchema> = {
  place_check: PlaceCheck, // place.checkin and place.checkout
  checkin: Checkin, // job.checkin and job.checkout
  message: Message, // message.sent
  job: Job, // job.*
  invoice: Invoice, // invoice.*
  estimate: Estimate, // estimate.*
  rating: Rating, // crew.rated
  contact: Contact, // contact.*
  activity: Activity, // activity.created
  request: WorkRequest, // request.created
  client: Client, // client.*
  payment: Payment, // payment.received
  webhook: Webhook,
  alert: Alert, // alert.triggered
}
