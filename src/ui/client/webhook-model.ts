/**
 * Webhook shapes as the page reads them (PRODUCT.md §3). Health figures are read through `health()` so the
 * rendering does not care whether they sit on the endpoint or in a nested object.
 */
export interface Webhook {
  id: string
  url: string
  events: string[]
  headers?: Record<string, string> | null
  description?: string | null
  enabled: boolean
  debounce_seconds?: number | null
  version: number
  created_at: string
  disabled_reason?: string | null
  [extra: string]: unknown
}

export interface Attempt {
  number: number
  trigger: string
  started_at: string
  duration_ms: number | null
  succeeded?: boolean
  status_code: number | null
  error: string | null
  error_message?: string | null
  response_excerpt: string | null
}

export interface Delivery {
  id: string
  status: string
  created_at: string
  attempts?: Attempt[] | number
  [extra: string]: unknown
}

export interface Health {
  /** 0–1 over the last 24 hours; null when nothing was attempted. */
  successRate: number | null
  consecutiveFailures: number | null
  failingSince: string | null
  nextAttemptAt: string | null
  lastSuccessAt: string | null
}

function pick<T>(sources: Array<Record<string, unknown> | undefined>, names: string[], ok: (v: unknown) => v is T): T | null {
  for (const source of sources) {
    if (!source) continue
    for (const name of names) if (ok(source[name])) return source[name] as T
  }
  return null
}
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0

export function health(w: Webhook): Health {
  const sources = [w.health as Record<string, unknown> | undefined, w]
  return {
    successRate: pick(sources, ['success_rate'], isNumber),
    consecutiveFailures: pick(sources, ['consecutive_failures'], isNumber),
    failingSince: pick(sources, ['failing_since'], isString),
    nextAttemptAt: pick(sources, ['next_attempt_at'], isString),
    lastSuccessAt: pick(sources, ['last_success_at'], isString),
  }
}

export function deliveryEventType(d: Delivery): string {
  const event = d.event as Record<string, unknown> | undefined
  return pick([d, event], ['event_type', 'type'], isString) ?? '—'
}

export function attemptCount(d: Delivery): number {
  if (Array.isArray(d.attempts)) return d.attempts.length
  return pick([d], ['attempt_count', 'attempts'], isNumber) ?? 0
}

export function attemptSucceeded(a: Attempt): boolean {
  if (typeof a.succeeded === 'boolean') return a.succeeded
  return typeof a.status_code === 'number' && a.status_code >= 200 && a.status_code < 300
}

/** The attempt result of POST /webhooks/:id/test, whether it comes bare or wrapped. */
export function testAttempt(data: Record<string, unknown>): Attempt {
  const inner = (data.attempt as Record<string, unknown> | undefined) ?? data
  return inner as unknown as Attempt
}

export const DELIVERY_STATUSES: Array<[string, string]> = [
  ['', 'All'],
  ['pending', 'Pending'],
  ['succeeded', 'Succeeded'],
  ['failed', 'Failed'],
]
