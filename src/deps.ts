import type { Clock } from './clock'
import type { Config } from './config'
import type { Db } from './db/client'
import type { RateLimiter } from './http/rate-limit'
import type { Logger } from './log'

/** Everything a module needs, handed in once by createApp; services take only what they use. */
export interface AppDeps {
  db: Db
  config: Config
  clock: Clock
  logger: Logger
  rateLimiter: RateLimiter
}
