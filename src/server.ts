import { createApp } from './app'
import type { BackgroundJob } from './background'
import { systemClock } from './clock'
import { type Config, ConfigError } from './config'
import { type Db, openDatabase } from './db/client'
import { migrateToLatest } from './db/migrate'
import type { AppDeps } from './deps'
import { MAX_BODY_BYTES } from './http/body'
import { RateLimiter } from './http/rate-limit'
import type { Logger } from './log'
import { createPruner } from './maintenance'
import { argon2idPasswords } from './passwords'
import { createAlertEvaluator } from './modules/alerts/scheduler'
import { Dispatcher } from './outbox/dispatcher'
import { SealedSecretError, SecretBox } from './secrets/box'
import { sealStoredSecrets } from './secrets/stored'

export const SHUTDOWN_GRACE_MS = 10_000

/** `crewbase serve`: migrate, listen, start background jobs; SIGTERM/SIGINT shut down cleanly. */
export function openConfiguredDatabase(config: Config) {
  try {
    return openDatabase(config.dbPath)
  } catch (error) {
    throw new ConfigError(`CREWBASE_DB: cannot open ${config.dbPath}: ${(error as Error).message}`)
  }
}

/**
 * The key that seals stored secrets: every stored secret must open with it (or with the previous
 * key during a rotation) before anything is served; plain ones are sealed now. No key: one warning.
 */
export async function openSecrets(db: Db, config: Config, logger: Logger): Promise<SecretBox> {
  const box = await SecretBox.create(config.secretKey, config.secretKeyPrevious)
  try {
    const report = await sealStoredSecrets(db, box)
    if (report.sealed > 0) logger.info('sealed stored secrets', { count: report.sealed, key_id: box.currentKeyId })
    if (report.underPreviousKey > 0) {
      logger.warn('stored secrets still sealed with CREWBASE_SECRET_KEY_PREVIOUS; run crewbase rotate-secret-key', { count: report.underPreviousKey })
    }
  } catch (error) {
    if (error instanceof SealedSecretError) throw new ConfigError(error.message)
    throw error
  }
  if (!box.sealing) {
    logger.warn('CREWBASE_SECRET_KEY is not set: webhook signing secrets are stored in plain text, and so are in every backup (set it to 32 random bytes in base64: openssl rand -base64 32)')
  }
  return box
}

export async function serve(config: Config, logger: Logger) {
  const database = openConfiguredDatabase(config)
  await migrateToLatest(database.db)
  const secrets = await openSecrets(database.db, config, logger)
  const deps: AppDeps = { db: database.db, config, clock: systemClock, logger, rateLimiter: new RateLimiter(), secrets, passwords: argon2idPasswords() }
  const app = createApp(deps)
  // The background work, side by side: each is built here and nowhere else.
  const dispatcher = new Dispatcher(deps)
  database.onDeliveriesQueued(() => dispatcher.wake())
  const jobs: BackgroundJob[] = [dispatcher, createAlertEvaluator(deps), createPruner(deps)]
  const server = Bun.serve({
    port: config.port,
    hostname: config.host,
    // Our own reader answers 413 in the error envelope up to this size; beyond it Bun cuts the connection.
    maxRequestBodySize: MAX_BODY_BYTES * 4,
    fetch: (request) => app.handle(request),
    error: (error) => {
      logger.error('unhandled', { error: error.stack })
      return new Response(JSON.stringify({ error: { code: 'internal_error', message: 'Internal error' } }), {
        status: 500,
        headers: { 'content-type': 'application/json' },
      })
    },
  })
  // Started once the server is listening and has had a turn: creating their cron schedules costs
  // tens of ms (croner's first local-time computation), which a first request need not wait for.
  setTimeout(() => {
    if (!stopping) for (const job of jobs) job.start()
  }, 0)
  logger.info('crewbase listening', { url: `http://${config.host}:${server.port}`, db: config.dbPath })

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info('shutting down', { signal })
    const deadline = setTimeout(() => {
      logger.warn('shutdown grace period over; exiting')
      process.exit(1)
    }, SHUTDOWN_GRACE_MS)
    // Stop accepting, let in-flight requests finish, then the background jobs, then the database.
    // Idle keep-alive connections would hold stop(false) open forever, so wait on the
    // requests themselves and then close what is left.
    void server.stop(false)
    while (server.pendingRequests > 0) await Bun.sleep(10)
    await server.stop(true)
    await Promise.all(jobs.map((job) => job.stop()))
    await database.close()
    clearTimeout(deadline)
    logger.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
  return { server, deps, jobs }
}
