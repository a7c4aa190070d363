import type { Config } from '../config'
import type { AppDeps } from '../deps'
import { systemResolver } from './address'
import type { ClaimedDelivery } from './claim'
import { buildWebhook } from './prepare'
import { failUnsent, type RecordedAttempt, recordAttempt } from './record'
import { type AttemptResult, sendWebhook } from './send'

/** A lease outlives the attempt's own timeout by this much, so a live attempt is never sent twice. */
export const LEASE_MARGIN_MS = 5_000

export const leaseMs = (config: Pick<Config, 'webhookTimeoutMs'>) => config.webhookTimeoutMs + LEASE_MARGIN_MS

export type DeliveryDeps = Pick<AppDeps, 'db' | 'config' | 'clock' | 'logger' | 'resolveHost' | 'secrets'>

export interface AttemptOutcome {
  result: AttemptResult
  recorded: RecordedAttempt
}

export type Recorder = (delivery: ClaimedDelivery, result: AttemptResult) => Promise<RecordedAttempt>

/**
 * prepare → send → record for one leased delivery. Shared by the dispatcher and the Test
 * button, so a test goes through exactly what a real delivery does. Returns null when
 * nothing was sent (the endpoint was disabled meanwhile, or the event is gone).
 * Throws AttemptAborted on shutdown, leaving the lease for the caller to release.
 */
export async function deliverClaimed(
  deps: DeliveryDeps,
  delivery: ClaimedDelivery,
  options: { shutdown?: AbortSignal; record?: Recorder; onSend?: () => void } = {},
): Promise<AttemptOutcome | null> {
  const now = deps.clock.now()
  if (delivery.enabled === 0 && delivery.trigger !== 'test') {
    await failUnsent(deps.db, delivery, 'endpoint disabled before the attempt', now)
    return null
  }
  if (delivery.body === null) {
    await failUnsent(deps.db, delivery, `event ${delivery.event_id} no longer exists`, now)
    return null
  }
  // Opened here, per attempt, so a plain secret exists only in memory while it signs.
  const secret = await deps.secrets.open(delivery.secret, delivery.endpoint_id)
  const previous = delivery.previous_secret === null ? null : await deps.secrets.open(delivery.previous_secret, delivery.endpoint_id)
  const webhook = buildWebhook({ ...delivery, secret, previous_secret: previous, body: delivery.body }, now)
  const result = await sendWebhook(webhook, {
    timeoutMs: deps.config.webhookTimeoutMs,
    allowInsecure: deps.config.webhookAllowInsecure,
    resolve: deps.resolveHost ?? systemResolver,
    now,
    shutdown: options.shutdown,
    onSend: options.onSend,
  })
  const record = options.record ?? ((d, r) => recordAttempt(deps.db, d, r, deps.config.webhookRetrySchedule, deps.clock.now()))
  const recorded = await record(delivery, result)
  if (recorded.disabledReason) {
    deps.logger.warn('webhook endpoint disabled', { endpoint: delivery.endpoint_id, reason: recorded.disabledReason })
  }
  return { result, recorded }
}
