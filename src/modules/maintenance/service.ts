import type { Config } from '../../config'
import type { Db } from '../../db/client'
import { IDEMPOTENCY_TTL_MS } from '../../http/idempotency'
import { lastRuns } from '../../maintenance/runs'

/** What the server keeps and for how long, and how its scheduled maintenance last went. */
export async function getMaintenance(db: Db, config: Config) {
  const runs = await lastRuns(db)
  const run = (job: 'prune' | 'backup') => {
    const r = runs[job]
    return r ? { started_at: r.started_at, finished_at: r.finished_at, ok: r.ok, summary: r.summary, last_ok_at: r.last_ok_at } : null
  }
  return {
    retention: {
      deliveries_days: config.deliveryRetentionDays,
      events_days: config.eventRetentionDays,
      idempotency_keys_hours: IDEMPOTENCY_TTL_MS / 3_600_000,
    },
    pruning: { schedule: config.pruneCron, last_run: run('prune') },
  }
}
