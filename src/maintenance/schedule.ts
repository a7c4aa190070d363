import { Cron } from 'croner'
import type { BackgroundJob } from '../background'
import type { Logger } from '../log'

/**
 * A croner job that runs `pass` on `pattern`; `protect` skips a tick while the previous pass
 * still runs, and `stop` waits for a pass in flight. A pass that throws is logged, never fatal.
 */
export function cronJob(name: string, pattern: string, logger: Logger, pass: () => Promise<void>): BackgroundJob {
  let cron: Cron | null = null
  let running: Promise<void> | null = null
  const tick = async () => {
    running = pass().catch((error) => logger.error(`${name} failed`, { error: (error as Error).stack ?? String(error) }))
    await running
    running = null
  }
  return {
    name,
    start() {
      cron = new Cron(pattern, { protect: true }, tick)
    },
    async stop() {
      cron?.stop()
      cron = null
      await running
    },
  }
}
