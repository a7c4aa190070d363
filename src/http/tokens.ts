import { createHash } from 'node:crypto'
import { randomBase62 } from '../ids'

export const API_KEY_PREFIX = 'cb_live_'
export const SESSION_PREFIX = 'cb_sess_'

/** Tokens carry ≥ 238 bits of randomness, so a fast hash is enough and lets us look them up by hash. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function newApiKey(): { key: string; prefix: string; hash: string } {
  const key = API_KEY_PREFIX + randomBase62(40)
  return { key, prefix: key.slice(0, API_KEY_PREFIX.length + 6), hash: hashToken(key) }
}

export function newSessionToken(): { token: string; hash: string } {
  const token = SESSION_PREFIX + randomBase62(40)
  return { token, hash: hashToken(token) }
}

export const INGRESS_TOKEN_PREFIX = 'cb_in_'

/** The secret path segment of an ingress URL; like an API key, only its hash is stored. */
export function newIngressToken(): { token: string; hash: string } {
  const token = INGRESS_TOKEN_PREFIX + randomBase62(40)
  return { token, hash: hashToken(token) }
}
