import { isIP } from 'node:net'
import type { AttemptError } from '../db/schema'
import { AddressRefused, type HostResolver, parseWebhookUrl, pinnedUrl, resolveCheckedAddress } from './address'
import { parseRetryAfter } from './retry'

export const EXCERPT_BYTES = 2048

export interface OutgoingWebhook {
  url: string
  /** Every header to send, ours already on top of the endpoint's custom ones. */
  headers: Headers
  body: string
}

export interface SendOptions {
  timeoutMs: number
  allowInsecure: boolean
  resolve: HostResolver
  now: Date
  /** Aborted when the server shuts down: the attempt is dropped unrecorded and its lease released. */
  shutdown?: AbortSignal
  /** Called as the request leaves (the address is checked), for the endpoint's rate window. */
  onSend?: () => void
}

export interface AttemptResult {
  startedAt: Date
  durationMs: number
  succeeded: boolean
  statusCode: number | null
  error: AttemptError | null
  errorMessage: string | null
  responseExcerpt: string | null
  /** From `Retry-After` on a 429 or 503. */
  retryAfterMs: number | null
}

class AttemptTimeout extends Error {}
export class AttemptAborted extends Error {}

const TLS_CODE = /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|HANDSHAKE/i

function classify(error: unknown, timeoutMs: number): { error: AttemptError; message: string } {
  if (error instanceof AttemptTimeout) return { error: 'timeout', message: `no complete response within ${timeoutMs} ms` }
  if (error instanceof AddressRefused) {
    return { error: error.kind === 'dns' ? 'dns' : 'connect', message: `refused: ${error.message}` }
  }
  const code = String((error as { code?: unknown }).code ?? '')
  const message = (error as Error).message ?? String(error)
  if (TLS_CODE.test(code)) return { error: 'tls', message: `${code}: ${message}` }
  return { error: 'connect', message: code ? `${code}: ${message}` : message }
}

const SMALL_BODY_BYTES = 64 * 1024

/** The first EXCERPT_BYTES of the body as text; the rest is read and dropped so the response completes. */
async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return ''
  const decoder = new TextDecoder('utf-8', { fatal: false })
  // `stream: true` holds back a multi-byte character cut at the 2 KB edge instead of mangling it.
  const length = Number(response.headers.get('content-length') ?? Number.NaN)
  if (length <= SMALL_BODY_BYTES) {
    // The common small answer: one read, no stream plumbing.
    return decoder.decode(new Uint8Array(await response.arrayBuffer()).subarray(0, EXCERPT_BYTES), { stream: true })
  }
  const reader = response.body.getReader()
  let kept = 0
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (kept < EXCERPT_BYTES) {
      const slice = value.subarray(0, EXCERPT_BYTES - kept)
      kept += slice.length
      text += decoder.decode(slice, { stream: true })
    }
  }
  return text
}

/**
 * One delivery attempt: check the address, connect to exactly that address (SNI and the
 * certificate check still use the hostname), never follow a redirect, and give up when
 * the whole response has not arrived within the timeout.
 */
export async function sendWebhook(webhook: OutgoingWebhook, options: SendOptions): Promise<AttemptResult> {
  const startedAt = options.now
  const started = performance.now()
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new AttemptTimeout()), options.timeoutMs)
  const onShutdown = () => controller.abort(new AttemptAborted())
  options.shutdown?.addEventListener('abort', onShutdown, { once: true })
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true })
  })
  aborted.catch(() => {})
  const result = (fields: Omit<AttemptResult, 'startedAt' | 'durationMs'>): AttemptResult => ({
    startedAt,
    durationMs: Math.round(performance.now() - started),
    ...fields,
  })
  try {
    const url = parseWebhookUrl(webhook.url, options.allowInsecure)
    const address = await Promise.race([
      resolveCheckedAddress(url, { allowInsecure: options.allowInsecure, resolve: options.resolve, timeoutMs: options.timeoutMs }),
      aborted,
    ])
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1')
    webhook.headers.set('host', url.host)
    options.onSend?.()
    const response = await fetch(pinnedUrl(url, address), {
      method: 'POST',
      headers: webhook.headers,
      body: webhook.body,
      redirect: 'manual',
      signal: controller.signal,
      proxy: false,
      ...(url.protocol === 'https:' && !isIP(hostname) ? { tls: { serverName: hostname } } : {}),
    } as RequestInit)
    const excerpt = await Promise.race([readExcerpt(response), aborted])
    const status = response.status
    const succeeded = status >= 200 && status < 300
    return result({
      succeeded,
      statusCode: status,
      error: succeeded ? null : 'http',
      errorMessage: succeeded
        ? null
        : status >= 300 && status < 400
          ? `redirect to ${response.headers.get('location') ?? '(no location)'} not followed`
          : `HTTP ${status}`,
      responseExcerpt: excerpt,
      retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after'), options.now) : null,
    })
  } catch (thrown) {
    const error = controller.signal.aborted ? controller.signal.reason : thrown
    if (error instanceof AttemptAborted) throw error
    const { error: kind, message } = classify(error, options.timeoutMs)
    return result({ succeeded: false, statusCode: null, error: kind, errorMessage: message.slice(0, 500), responseExcerpt: null, retryAfterMs: null })
  } finally {
    clearTimeout(timer)
    options.shutdown?.removeEventListener('abort', onShutdown)
  }
}
