import type { BackgroundJob } from '../background'
import type { AppDeps } from '../deps'
import { pruneExpired } from './prune'
import { recordRun } from './runs'
import { cronJob } from './schedule'

/** Retention on CREWBASE_PRUNE_CRON: deletes what is past its time in short batches while the server serves. */
export function createPruner(deps: AppDeps): BackgroundJob {
  const { db, config, clock, logger } = deps
  return cronJob('pruner', config.pruneCron, logger, async () => {
    const started = clock.now()
    try {
      const result = await pruneExpired(db, config, started)
      const total = Object.values(result.deleted).reduce((a, b) => a + b, 0)
      if (total > 0) logger.info('pruned expired rows', { ...result.deleted, batches: result.batches, longest_batch_ms: result.longestBatchMs, ms: result.ms })
      const summary = Object.entries(result.deleted).map(([name, n]) => `${n} ${name.replace('_', ' ')}`).join(', ')
      await recordRun(db, { job: 'prune', started_at: started.toISOString(), finished_at: clock.now().toISOString(), ok: true, summary: `deleted ${summary}` })
    } catch (error) {
      logger.error('pruning failed', { error: (error as Error).stack ?? String(error) })
      await recordRun(db, { job: 'prune', started_at: started.toISOString(), finished_at: clock.now().toISOString(), ok: false, summary: (error as Error).message })
    }
  })
}
