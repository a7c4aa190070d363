import type { AppDeps } from './deps'

/** Work that runs beside the HTTP server (webhook dispatcher, alert evaluator). */
export interface BackgroundJob {
  name: string
  start(): void
  /** Finish what is in flight (bounded) and release what is held. */
  stop(): Promise<void>
}

export type BackgroundJobFactory = (deps: AppDeps) => BackgroundJob

const factories: BackgroundJobFactory[] = []

/** Modules register their background jobs here; `serve` starts them all. */
export function registerBackgroundJob(factory: BackgroundJobFactory): void {
  if (!factories.includes(factory)) factories.push(factory)
}

export function createBackgroundJobs(deps: AppDeps): BackgroundJob[] {
  return factories.map((factory) => factory(deps))
}
