import type { Db } from '../db/client'
import type { ClaimedDelivery } from './claim'
import { type AttemptToRecord, type RecordedAttempt, recordAttempts } from './record'
import type { AttemptResult } from './send'

type Pending = AttemptToRecord & { resolve(recorded: RecordedAttempt): void; reject(error: unknown): void }

/**
 * Collects finished attempts and records them together: one transaction (one WAL commit)
 * for many attempts instead of one each. A record waits at most `maxDelayMs`; the
 * delivery itself has already gone out, so only the bookkeeping waits.
 */
export class RecordBatcher {
  readonly #queue: Pending[] = []
  #timer: ReturnType<typeof setTimeout> | null = null
  #flushing: Promise<void> | null = null

  constructor(
    private readonly db: Db,
    private readonly schedule: () => readonly number[],
    private readonly now: () => Date,
    private readonly limits = { maxBatch: 64, maxDelayMs: 2 },
  ) {}

  record(delivery: ClaimedDelivery, result: AttemptResult): Promise<RecordedAttempt> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ delivery, result, resolve, reject })
      if (this.#queue.length >= this.limits.maxBatch) this.#flushSoon(0)
      else this.#flushSoon(this.limits.maxDelayMs)
    })
  }

  #flushSoon(delayMs: number): void {
    if (this.#timer && delayMs > 0) return
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = null
      void this.#flush()
    }, delayMs)
  }

  async #flush(): Promise<void> {
    // One flush at a time; what arrives meanwhile goes in the next batch.
    while (this.#flushing) await this.#flushing
    const batch = this.#queue.splice(0)
    if (batch.length === 0) return
    this.#flushing = (async () => {
      try {
        const recorded = await recordAttempts(this.db, batch, this.schedule(), this.now())
        batch.forEach((item, i) => item.resolve(recorded[i]!))
      } catch (error) {
        for (const item of batch) item.reject(error)
      }
    })()
    await this.#flushing
    this.#flushing = null
  }
}
