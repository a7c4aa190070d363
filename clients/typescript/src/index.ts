// The Crewbase client: `schema.d.ts` is generated from the server's /openapi.json by
// openapi-typescript (`npm run generate`, never edited by hand); calls go through
// openapi-fetch. What is written here is only what a generator cannot know: the bearer
// token, walking a list by `next_cursor`, errors as exceptions, and webhook signatures.
import createClient, { type Client, type ClientOptions } from 'openapi-fetch'
import type { components, paths, webhooks } from './schema'

export type * from './schema'

export type CrewbaseClient = Client<paths>

export interface CrewbaseClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where the server is, e.g. `https://crewbase.example.com` (no `/api/v1`). */
  baseUrl: string
  /** An API key (`cb_live_…`) or a session token from `POST /api/auth`. */
  token: string
}

/** A typed client: `client.GET('/api/v1/jobs/{id}', { params: { path: { id } } })` and so on. */
export function createCrewbaseClient({ baseUrl, token, ...options }: CrewbaseClientOptions): CrewbaseClient {
  const client = createClient<paths>({ baseUrl: baseUrl.replace(/\/+$/, ''), ...options })
  client.use({
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${token}`)
      return request
    },
  })
  return client
}

type ErrorBody = components['schemas']['Error']

/** An answer that is not 2xx, with the server's `{error: {code, message, details?}}`. */
export class CrewbaseError extends Error {
  readonly code: ErrorBody['error']['code']
  readonly details: NonNullable<ErrorBody['error']['details']>
  constructor(
    readonly status: number,
    body: ErrorBody | undefined,
  ) {
    super(body?.error.message ?? `HTTP ${status}`)
    this.name = 'CrewbaseError'
    this.code = body?.error.code ?? 'internal_error'
    this.details = body?.error.details ?? []
  }
}

/** `data` of a call's answer, or a thrown CrewbaseError: `const { data: job } = await unwrap(client.GET(…))`. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call
  if (error !== undefined || !response.ok) throw new CrewbaseError(response.status, error as ErrorBody | undefined)
  return data as T
}

// ---- lists --------------------------------------------------------------------------------

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never
type ListBody<P extends keyof paths> = paths[P] extends { get: { responses: { 200: infer R } } } ? JsonOf<R> : never
/** Every path whose GET answers a page: `{data: [...], pagination}`. */
export type ListPath = {
  [P in keyof paths]: ListBody<P> extends { data: unknown[]; pagination: components['schemas']['Pagination'] } ? P : never
}[keyof paths]
/** One item of a list path (`Job` summaries for `/api/v1/jobs`). */
export type ItemOf<P extends ListPath> = ListBody<P> extends { data: Array<infer Item> } ? Item : never
type ListQuery<P extends ListPath> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? Omit<NonNullable<Q>, 'cursor' | 'page'> : never
type ListPathParams<P extends ListPath> = paths[P] extends { get: { parameters: { path: infer A } } } ? A : never

/**
 * Every item of a list, newest first, page after page by `pagination.next_cursor` (which
 * never skips or repeats an item while others write). Stops after the last page.
 *
 * ```ts
 * for await (const job of paginate(client, '/api/v1/jobs', { query: { status: 'scheduled' } })) …
 * ```
 */
export async function* paginate<P extends ListPath>(
  client: CrewbaseClient,
  path: P,
  params: { query?: ListQuery<P>; path?: ListPathParams<P> } = {},
): AsyncGenerator<ItemOf<P>, void, undefined> {
  let cursor: string | null = null
  // openapi-fetch types each path's parameters; this generic walk passes them through as given.
  const get = client.GET as unknown as (
    path: string,
    init: { params: { query: Record<string, unknown>; path?: unknown } },
  ) => Promise<{ data?: { data: ItemOf<P>[]; pagination: components['schemas']['Pagination'] }; error?: unknown; response: Response }>
  do {
    const query: Record<string, unknown> = { ...(params.query ?? {}), ...(cursor ? { cursor } : {}) }
    const page = await unwrap(get(path, { params: { query, ...(params.path ? { path: params.path } : {}) } }))
    yield* page.data
    cursor = page.pagination.next_cursor
  } while (cursor)
}

// ---- webhooks -----------------------------------------------------------------------------

type EventBody<K extends keyof webhooks> = webhooks[K] extends { post: { requestBody: { content: { 'application/json': infer B } } } } ? B : never
/** The body of any delivery; narrow it by `type`. */
export type WebhookEvent = { [K in keyof webhooks]: EventBody<K> }[keyof webhooks]

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WebhookVerificationError'
  }
}

export interface VerifyOptions {
  /** Oldest timestamp accepted, in seconds before now (default 5 minutes): a replayed old delivery fails. */
  toleranceSeconds?: number
  /** Unix seconds to compare with (default: the clock). */
  now?: number
}

const encoder = new TextEncoder()

async function hmac(key: Uint8Array | string, message: string): Promise<Uint8Array> {
  const raw = typeof key === 'string' ? encoder.encode(key) : key
  const cryptoKey = await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message)))
}

const toHex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

/** Compares in time that does not depend on where the strings differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

function header(headers: Headers | Record<string, string | string[] | undefined>, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name)
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1]
  return Array.isArray(found) ? (found[0] ?? null) : (found ?? null)
}

function checkAge(timestamp: string, options: VerifyOptions) {
  const ts = Number(timestamp)
  const now = options.now ?? Math.floor(Date.now() / 1000)
  if (!Number.isInteger(ts) || Math.abs(now - ts) > (options.toleranceSeconds ?? 300)) {
    throw new WebhookVerificationError('timestamp is missing or too far from now')
  }
}

/**
 * Checks a delivery's signature and returns its parsed body. Pass the raw body exactly as
 * received (before any JSON parsing) and the request headers. Accepts either scheme Crewbase
 * signs with — `X-Crewbase-Signature` (hex HMAC-SHA256 of `<t>.<body>` keyed with the secret
 * string, `whsec_` included) or Standard Webhooks (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`) — and, during a secret rotation, a signature by either secret.
 * Throws WebhookVerificationError otherwise.
 */
export async function verifyWebhook(
  secret: string,
  headers: Headers | Record<string, string | string[] | undefined>,
  body: string,
  options: VerifyOptions = {},
): Promise<WebhookEvent> {
  const crewbase = header(headers, 'x-crewbase-signature')
  const standard = header(headers, 'webhook-signature')
  if (crewbase) {
    const parts = crewbase.split(',').map((part) => part.trim())
    const t = parts.find((part) => part.startsWith('t='))?.slice(2) ?? ''
    checkAge(t, options)
    const expected = toHex(await hmac(secret, `${t}.${body}`))
    if (!parts.some((part) => part.startsWith('v1=') && sameText(part.slice(3), expected))) {
      throw new WebhookVerificationError('X-Crewbase-Signature does not match')
    }
  } else if (standard) {
    const id = header(headers, 'webhook-id') ?? ''
    const ts = header(headers, 'webhook-timestamp') ?? ''
    checkAge(ts, options)
    const key = fromBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret)
    const expected = toBase64(await hmac(key, `${id}.${ts}.${body}`))
    if (!standard.split(' ').some((entry) => entry.startsWith('v1,') && sameText(entry.slice(3), expected))) {
      throw new WebhookVerificationError('webhook-signature does not match')
    }
  } else {
    throw new WebhookVerificationError('no X-Crewbase-Signature or webhook-signature header')
  }
  return JSON.parse(body) as WebhookEvent
}
