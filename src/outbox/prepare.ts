import { version } from '../../package.json'
import type { ClaimedDelivery } from './claim'
import type { OutgoingWebhook } from './send'
import { signDelivery } from './signing'

export const USER_AGENT = `Crewbase-Webhooks/${version}`

/** Header names an endpoint's custom headers may not set: ours, and what HTTP itself owns. */
export const RESERVED_HEADERS = new Set([
  'x-crewbase-event',
  'x-crewbase-delivery',
  'x-crewbase-timestamp',
  'x-crewbase-signature',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'user-agent',
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'host',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
])

/** Secrets that sign right now: the current one, then the previous one while its overlap lasts. */
export function signingSecrets(
  endpoint: { secret: string; previous_secret: string | null; previous_secret_expires_at: string | null },
  now: Date,
): string[] {
  const previousLive =
    endpoint.previous_secret !== null &&
    endpoint.previous_secret_expires_at !== null &&
    endpoint.previous_secret_expires_at > now.toISOString()
  return previousLive ? [endpoint.secret, endpoint.previous_secret!] : [endpoint.secret]
}

/** The request for one attempt: body, signatures for this attempt's timestamp, custom headers under ours. */
export function buildWebhook(delivery: ClaimedDelivery & { body: string }, now: Date): OutgoingWebhook {
  const headers = new Headers()
  for (const [name, value] of Object.entries(JSON.parse(delivery.headers) as Record<string, string>)) {
    if (!RESERVED_HEADERS.has(name.toLowerCase())) headers.set(name, value)
  }
  const signed = signDelivery(delivery.id, Math.floor(now.getTime() / 1000), delivery.body, signingSecrets(delivery, now))
  headers.set('content-type', 'application/json')
  headers.set('user-agent', USER_AGENT)
  headers.set('x-crewbase-event', delivery.event_type)
  headers.set('x-crewbase-delivery', delivery.id)
  for (const [name, value] of Object.entries(signed)) headers.set(name, value)
  return { url: delivery.url, headers, body: delivery.body }
}
