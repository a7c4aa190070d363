/** Every event type a webhook endpoint can subscribe to (PRODUCT.md §3), with what it means. */
export const EVENT_TYPES = {
  'job.created': 'A job was created',
  'job.updated': 'A job was changed; `previous` holds the changed fields before the change',
  'job.started': 'A job was started',
  'job.completed': 'A job was completed, with outcome success or failure',
  'job.delayed': 'A job was delayed',
  'job.archived': 'A job was archived',
  'job.deleted': 'A job was deleted',
  'job.checkin': 'A crew member checked in on a job',
  'job.checkout': 'A crew member checked out of a job',
  'invoice.created': 'An invoice was created',
  'invoice.sent': 'An invoice was sent',
  'invoice.paid': 'An invoice was paid in full',
  'estimate.created': 'An estimate was created',
  'estimate.approved': 'An estimate was approved',
  'crew.rated': 'A crew member was rated',
  'message.sent': 'A message was posted on a job',
  'client.created': 'A client was created',
  'client.updated': 'A client was changed',
  'contact.created': 'A contact was created',
  'contact.updated': 'A contact was changed',
  'payment.received': 'A payment was recorded',
  'request.created': 'A work request came in',
  'activity.created': 'An ingress URL received an activity',
  'webhook.test': 'A test event sent from the Test button or POST /webhooks/:id/test',
  'alert.triggered': 'An alert rule fired',
  'place.checkin': 'A crew member arrived at a place',
  'place.checkout': 'A crew member left a place',
} as const

export type EventType = keyof typeof EVENT_TYPES
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[]

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(EVENT_TYPES, value)
}

/**
 * What `data.object` is for each event type: the resource, as its GET returns it. Names the
 * schema in modules/event-objects.ts, for the OpenAPI `webhooks` section.
 */
export const EVENT_OBJECTS: Record<EventType, { name: string; path: string }> = {
  'job.created': { name: 'job', path: '/jobs/{id}' },
  'job.updated': { name: 'job', path: '/jobs/{id}' },
  'job.started': { name: 'job', path: '/jobs/{id}' },
  'job.completed': { name: 'job', path: '/jobs/{id}' },
  'job.delayed': { name: 'job', path: '/jobs/{id}' },
  'job.archived': { name: 'job', path: '/jobs/{id}' },
  'job.deleted': { name: 'job', path: '/jobs/{id}' },
  'job.checkin': { name: 'checkin', path: '/jobs/{id}/checkins' },
  'job.checkout': { name: 'checkin', path: '/jobs/{id}/checkins' },
  'invoice.created': { name: 'invoice', path: '/invoices/{id}' },
  'invoice.sent': { name: 'invoice', path: '/invoices/{id}' },
  'invoice.paid': { name: 'invoice', path: '/invoices/{id}' },
  'estimate.created': { name: 'estimate', path: '/estimates/{id}' },
  'estimate.approved': { name: 'estimate', path: '/estimates/{id}' },
  'crew.rated': { name: 'rating', path: '/contractors/{id}/ratings' },
  'message.sent': { name: 'message', path: '/jobs/{id}/messages' },
  'client.created': { name: 'client', path: '/clients/{id}' },
  'client.updated': { name: 'client', path: '/clients/{id}' },
  'contact.created': { name: 'contact', path: '/contacts/{id}' },
  'contact.updated': { name: 'contact', path: '/contacts/{id}' },
  'payment.received': { name: 'payment', path: '/payments/{id}' },
  'request.created': { name: 'request', path: '/requests/{id}' },
  'activity.created': { name: 'activity', path: '/activities/{id}' },
  'webhook.test': { name: 'webhook', path: '/webhooks/{id}' },
  'alert.triggered': { name: 'alert', path: '/alerts/{id}' },
  'place.checkin': { name: 'place_check', path: '/place-checks/{id}' },
  'place.checkout': { name: 'place_check', path: '/place-checks/{id}' },
}
