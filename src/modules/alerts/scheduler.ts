import { Cron } from 'croner'
import type { BackgroundJob } from '../../background'
import type { AppDeps } from '../../deps'
import { evaluateAlerts } from './evaluate'

/** Runs `evaluateAlerts` on CREWBASE_ALERTS_CRON; `protect` skips a tick while the previous pass still runs. */
export function createAlertEvaluator(deps: AppDeps): BackgroundJob {
  let cron: Cron | null = null
  let running: Promise<void> | null = null
  const pass = async () => {
    try {
      const result = await evaluateAlerts(deps)
      if (result.fired > 0 || result.resolved > 0 || result.failed > 0) deps.logger.info('alerts evaluated', { ...result })
    } catch (error) {
      deps.logger.error('alert evaluation failed', { error: (error as Error).stack ?? String(error) })
    }
  }
  const tick = async () => {
    running = pass()
    await running
    running = null
  }
  return {
    name: 'alert-evaluator',
    start() {
      cron = new Cron(deps.config.alertsCron, { protect: true }, tick)
    },
    async stop() {
      cron?.stop()
      cron = null
      await running
    },
  }
}
