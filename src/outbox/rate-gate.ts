/**
 * Per-endpoint send ceilings (`rate_limit_per_second`): a sliding window of the times this
 * process sent a delivery to each endpoint. An endpoint may start another only while
 * fewer than its limit were sent within the last window, so no second of wall time —
 * however it is cut — sees more than the limit leave. A slot is taken when a delivery is
 * claimed and stamped again when its request actually goes out (after the address check
 * and connection set-up), so a slow first send cannot bunch up with the next window's.
 * The window is a little over a second to absorb jitter on the way to the receiver.
 */
export const RATE_WINDOW_MS = 1_025

/** One send's place in its endpoint's window. */
export interface RateSlot {
  at: number
}

export class RateGate {
  readonly #sends = new Map<string, { limit: number; slots: RateSlot[] }>()

  #live(endpointId: string, now: number) {
    const entry = this.#sends.get(endpointId)
    if (!entry) return null
    entry.slots = entry.slots.filter((slot) => slot.at > now - RATE_WINDOW_MS)
    if (entry.slots.length === 0) {
      this.#sends.delete(endpointId)
      return null
    }
    return entry
  }

  /** How many deliveries to this endpoint may start now (Infinity without a limit). */
  free(endpointId: string, limit: number | null, now: number): number {
    if (limit === null) {
      this.#sends.delete(endpointId)
      return Number.POSITIVE_INFINITY
    }
    const entry = this.#live(endpointId, now)
    if (entry) entry.limit = limit
    return Math.max(0, limit - (entry?.slots.length ?? 0))
  }

  /** Takes a slot now; stamp it again with `sent()` when the request leaves. */
  take(endpointId: string, limit: number, now: number): RateSlot {
    const slot = { at: now }
    const entry = this.#sends.get(endpointId)
    if (entry) {
      entry.limit = limit
      entry.slots.push(slot)
    } else this.#sends.set(endpointId, { limit, slots: [slot] })
    return slot
  }

  /** The request of this slot went out now (never earlier than it was taken). */
  sent(slot: RateSlot, now: number): void {
    slot.at = Math.max(slot.at, now)
  }

  /** Endpoints at their ceiling right now: the due query leaves them out so others go first. */
  exhausted(now: number): string[] {
    const out: string[] = []
    for (const id of [...this.#sends.keys()]) {
      const entry = this.#live(id, now)
      if (entry && entry.slots.length >= entry.limit) out.push(id)
    }
    return out
  }

  /** When the earliest exhausted endpoint may send again, or null when none is held back. */
  reopensAt(now: number): number | null {
    let earliest: number | null = null
    for (const id of this.exhausted(now)) {
      const entry = this.#sends.get(id)!
      // A slot frees when the (count − limit + 1)-th oldest send leaves the window.
      const times = entry.slots.map((slot) => slot.at).sort((a, b) => a - b)
      const at = times[times.length - entry.limit]! + RATE_WINDOW_MS
      if (earliest === null || at < earliest) earliest = at
    }
    return earliest
  }
}
