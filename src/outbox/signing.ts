import { createHmac, randomBytes } from 'node:crypto'

export const SECRET_PREFIX = 'whsec_'

/** `whsec_` + base64 of 32 random bytes: the format Standard Webhooks libraries accept as is. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64')
}

/** Standard Webhooks keys the HMAC with the bytes the base64 after `whsec_` encodes. */
function standardWebhooksKey(secret: string): Buffer {
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64')
}

export interface SignedHeaders {
  'x-crewbase-timestamp': string
  'x-crewbase-signature': string
  'webhook-id': string
  'webhook-timestamp': string
  'webhook-signature': string
}

/**
 * Both signature schemes of PRODUCT.md §3 for one attempt. `secrets` is the current secret
 * first, then (during a rotation) the old one, which becomes the second `v1=` / `v1,` entry.
 *
 * - `X-Crewbase-Signature: t=<ts>,v1=<hex HMAC-SHA256("<ts>.<body>")>` keyed with the secret
 *   string as given, `whsec_` included — the seed products' verifier and Stripe's scheme.
 * - `webhook-signature: v1,<base64 HMAC-SHA256("<id>.<ts>.<body>")>` keyed with the decoded
 *   secret — Standard Webhooks.
 */
export function signDelivery(deliveryId: string, timestamp: number, body: string, secrets: string[]): SignedHeaders {
  const ts = String(timestamp)
  const crewbase = secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`)
  const standard = secrets.map(
    (secret) => `v1,${createHmac('sha256', standardWebhooksKey(secret)).update(`${deliveryId}.${ts}.${body}`).digest('base64')}`,
  )
  return {
    'x-crewbase-timestamp': ts,
    'x-crewbase-signature': [`t=${ts}`, ...crewbase].join(','),
    'webhook-id': deliveryId,
    'webhook-timestamp': ts,
    'webhook-signature': standard.join(' '),
  }
}
