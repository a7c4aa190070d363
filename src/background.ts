/** Work that runs beside the HTTP server (webhook dispatcher, alert evaluator, maintenance). `serve` builds each one. */
export interface BackgroundJob {
  name: string
  start(): void
  /** Finish what is in flight (bounded) and release what is held. */
  stop(): Promise<void>
}
