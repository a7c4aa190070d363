import { Cron } from 'croner'
import type { BackgroundJob } from '../background'
import { type ClaimedDelivery, claimDueDeliveries, nextDueAt, releaseLeases } from './claim'
import { type DeliveryDeps, deliverClaimed, leaseMs, type Recorder } from './deliver'
import { RateGate } from './rate-gate'
import { RecordBatcher } from './record-batch'
import { AttemptAborted } from './send'

/** Attempts in flight at once, in all and per endpoint (so one slow receiver cannot starve the rest). */
export const MAX_IN_FLIGHT = 64
export const MAX_IN_FLIGHT_PER_ENDPOINT = 16
/** stop() waits this long at most for attempts in flight before it aborts them and releases their leases. */
export const STOP_WAIT_MS = 5_000

/**
 * Sends due deliveries: woken by every commit that queued one (whoever builds it wires
 * `database.onDeliveriesQueued` to `wake`, as `serve` does), by a timer set for the
 * next scheduled retry, and by a croner sweep on CREWBASE_DISPATCH_CRON as the safety net.
 * Never imports the HTTP framework; the API only writes rows and wakes it.
 */
export class Dispatcher implements BackgroundJob {
  readonly name = 'webhook-dispatcher'
  readonly #deps: DeliveryDeps
  /** Requests on the wire, for the concurrency limits; a slot frees as soon as its answer is in. */
  readonly #inFlight = new Map<string, ClaimedDelivery>()
  /** Whole attempts (send and record), for drain() and stop(). */
  readonly #attempts = new Set<Promise<void>>()
  readonly #batcher: RecordBatcher
  /** rate_limit_per_second of each endpoint, across automatic attempts, retries, redeliveries and recovers. */
  readonly #rateGate = new RateGate()
  readonly #shutdown = new AbortController()
  #cron: Cron | null = null
  #timer: ReturnType<typeof setTimeout> | null = null
  #timerAt = Number.POSITIVE_INFINITY
  #scheduled = false
  #pumping: Promise<void> | null = null
  #again = false
  /** The last claim left due work behind (no free slot); a finishing attempt wakes the loop. */
  #leftWork = false
  #stopping = false
  #started = false
  readonly #stopWaitMs: number

  constructor(deps: DeliveryDeps, options: { stopWaitMs?: number } = {}) {
    this.#deps = deps
    this.#stopWaitMs = options.stopWaitMs ?? STOP_WAIT_MS
    this.#batcher = new RecordBatcher(deps.db, () => deps.config.webhookRetrySchedule, () => deps.clock.now())
  }

  start(): void {
    this.#started = true
    this.#cron = new Cron(this.#deps.config.dispatchCron, { protect: true }, () => this.wake())
    this.wake()
  }

  /** Runs a sweep soon; wakes arriving together (a burst of commits) share one. */
  wake(): void {
    if (!this.#started || this.#stopping || this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      void this.#pump()
    })
  }

  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#again = true
      return this.#pumping
    }
    this.#pumping = (async () => {
      try {
        do {
          this.#again = false
          const claimed = await this.#claim()
          const nowMs = this.#deps.clock.now().getTime()
          // An endpoint at its rate ceiling is claimed again when its window lets the next one go.
          const reopens = this.#rateGate.reopensAt(nowMs)
          if (reopens !== null) await this.#armTimer(new Date(reopens))
          if (claimed === 0 && !this.#leftWork) await this.#armTimer(await nextDueAt(this.#deps.db, this.#rateGate.exhausted(nowMs)))
        } while (this.#again && !this.#stopping)
      } catch (error) {
        this.#deps.logger.error('webhook dispatch sweep failed', { error: (error as Error).stack ?? String(error) })
      } finally {
        this.#pumping = null
      }
    })()
    return this.#pumping
  }

  async #claim(): Promise<number> {
    const free = MAX_IN_FLIGHT - this.#inFlight.size
    if (free <= 0) {
      this.#leftWork = true
      return 0
    }
    const perEndpoint = new Map<string, number>()
    for (const delivery of this.#inFlight.values()) {
      perEndpoint.set(delivery.endpoint_id, (perEndpoint.get(delivery.endpoint_id) ?? 0) + 1)
    }
    const { claimed, leftBehind } = await claimDueDeliveries(this.#deps.db, {
      now: this.#deps.clock.now(),
      leaseMs: leaseMs(this.#deps.config),
      limit: free,
      inFlightByEndpoint: perEndpoint,
      perEndpoint: MAX_IN_FLIGHT_PER_ENDPOINT,
      rateGate: this.#rateGate,
    })
    if (this.#stopping) {
      await releaseLeases(this.#deps.db, claimed, this.#deps.clock.now())
      return 0
    }
    for (const delivery of claimed) this.#launch(delivery)
    // Due work left behind (no free slot, or its endpoint at its limit) is claimed as attempts finish.
    this.#leftWork = leftBehind
    return claimed.length
  }

  #launch(delivery: ClaimedDelivery): void {
    this.#inFlight.set(delivery.id, delivery)
    const done = this.#attempt(delivery).finally(() => {
      this.#freeSlot(delivery.id)
      this.#attempts.delete(done)
    })
    this.#attempts.add(done)
  }

  #freeSlot(deliveryId: string): void {
    if (this.#inFlight.delete(deliveryId) && this.#leftWork) this.wake()
  }

  /** The answer is in: free the slot (the lease still guards the delivery) and record in a batch. */
  readonly #record: Recorder = (delivery, result) => {
    this.#freeSlot(delivery.id)
    return this.#batcher.record(delivery, result)
  }

  async #attempt(delivery: ClaimedDelivery): Promise<void> {
    try {
      const slot = delivery.rateSlot
      const onSend = slot ? () => this.#rateGate.sent(slot, this.#deps.clock.now().getTime()) : undefined
      const outcome = await deliverClaimed(this.#deps, delivery, { shutdown: this.#shutdown.signal, record: this.#record, onSend })
      if (outcome?.recorded.nextAttemptAt) await this.#armTimer(outcome.recorded.nextAttemptAt)
    } catch (error) {
      if (error instanceof AttemptAborted) {
        await releaseLeases(this.#deps.db, [delivery], this.#deps.clock.now()).catch(() => {})
        return
      }
      // The lease runs out and the delivery goes again: at-least-once holds even here.
      this.#deps.logger.error('webhook attempt could not be recorded', {
        delivery: delivery.id,
        error: (error as Error).stack ?? String(error),
      })
    }
  }

  /** A timer for the next scheduled retry, so a 1-second retry does not wait for a sparse cron. */
  async #armTimer(at: Date | null): Promise<void> {
    if (at === null || !this.#started || this.#stopping) return
    const atMs = at.getTime()
    if (atMs >= this.#timerAt) return
    if (this.#timer) clearTimeout(this.#timer)
    this.#timerAt = atMs
    // Capped: the cron sweep covers anything further out, and setTimeout overflows past ~24 days.
    const delay = Math.min(Math.max(0, atMs - this.#deps.clock.now().getTime()), 3_600_000)
    this.#timer = setTimeout(() => {
      this.#timer = null
      this.#timerAt = Number.POSITIVE_INFINITY
      this.wake()
    }, delay + 1)
  }

  /** Claims and sends everything due now, and waits for those attempts (tests with a TestClock). */
  async drain(): Promise<void> {
    for (;;) {
      await this.#pump()
      if (this.#attempts.size === 0) return
      await Promise.all(this.#attempts)
    }
  }

  get inFlight(): number {
    return this.#inFlight.size
  }

  /** Finishes attempts in flight (bounded), then aborts the rest and releases their leases. */
  async stop(): Promise<void> {
    this.#stopping = true
    this.#cron?.stop()
    if (this.#timer) clearTimeout(this.#timer)
    await this.#pumping
    const all = () => Promise.all(this.#attempts)
    const waitMs = Math.min(this.#deps.config.webhookTimeoutMs + 1000, this.#stopWaitMs)
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([all(), new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))])
    clearTimeout(timer)
    if (this.#attempts.size > 0) {
      this.#shutdown.abort()
      await all()
    }
  }
}
