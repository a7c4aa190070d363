/** An endpoint whose every attempt has failed for this long is disabled (PRODUCT.md §3). */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 60 * 60 * 1000

/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000

/**
 * Milliseconds to wait before the next automatic attempt after the `failures`-th failure
 * (1-based), or null when the schedule is spent and the delivery is `failed`.
 * A `Retry-After` (429/503) is honoured within bounds: at least the scheduled step, at
 * least what the receiver asked, but never more than twice the step — a receiver cannot
 * park a delivery for days.
 */
export function retryDelayMs(scheduleSeconds: readonly number[], failures: number, retryAfterMs: number | null): number | null {
  if (failures < 1 || failures > scheduleSeconds.length) return null
  const step = scheduleSeconds[failures - 1]! * 1000
  if (retryAfterMs === null) return step
  return Math.min(Math.max(step, retryAfterMs), 2 * step)
}

/** `Retry-After` as delay-seconds or an HTTP-date, in milliseconds from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) return null
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), 365 * 24 * 3600) * 1000
  const at = Date.parse(trimmed)
  if (Number.isNaN(at) || !/[a-z]/i.test(trimmed)) return null
  return Math.max(0, at - now.getTime())
}
