import { ApiError } from './errors'

/**
 * Fixed one-minute windows per key, in memory: one process serves the database, so
 * a shared store would add I/O for nothing. Windows align to the minute so
 * `X-RateLimit-Reset` is the same for every client of a key.
 */
export interface RateLimitResult {
  allowed: boolean
  limit: number
  remaining: number
  resetAt: number // unix seconds
}

export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>()
  readonly #windowMs = 60_000

  constructor(readonly now: () => number = Date.now) {}

  hit(key: string, limit: number): RateLimitResult {
    const now = this.now()
    const start = now - (now % this.#windowMs)
    let window = this.#windows.get(key)
    if (!window || window.start !== start) {
      if (this.#windows.size > 10_000) this.#evict(start)
      window = { start, count: 0 }
      this.#windows.set(key, window)
    }
    const allowed = window.count < limit
    if (allowed) window.count++
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - window.count),
      resetAt: Math.ceil((start + this.#windowMs) / 1000),
    }
  }

  #evict(currentStart: number) {
    for (const [key, window] of this.#windows) if (window.start !== currentStart) this.#windows.delete(key)
  }
}

export function rateLimitHeaders(result: RateLimitResult, nowMs: number): Record<string, string> {
  const resetIn = Math.max(0, result.resetAt - Math.floor(nowMs / 1000))
  return {
    'x-ratelimit-limit': String(result.limit),
    'x-ratelimit-remaining': String(result.remaining),
    'x-ratelimit-reset': String(result.resetAt),
    // IETF draft-ietf-httpapi-ratelimit-headers: structured fields naming the policy.
    ratelimit: `"default";r=${result.remaining};t=${resetIn}`,
    'ratelimit-policy': `"default";q=${result.limit};w=60`,
  }
}

/**
 * Counts one request against `bucket`, puts the rate-limit headers on the answer and
 * throws 429 `rate_limited` with Retry-After once the minute's budget is spent.
 */
export function enforceRateLimit(limiter: RateLimiter, bucket: string, limit: number, headers: Record<string, unknown>): void {
  const now = Date.now()
  const result = limiter.hit(bucket, limit)
  Object.assign(headers, rateLimitHeaders(result, now))
  if (!result.allowed) {
    throw new ApiError('rate_limited', `Rate limit of ${limit} requests per minute exceeded`, undefined, {
      'retry-after': String(Math.max(1, result.resetAt - Math.floor(now / 1000))),
    })
  }
}
