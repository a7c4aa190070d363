import type { Clock } from './clock'
import type { Config } from './config'
import type { Db } from './db/client'
import type { RateLimiter } from './http/rate-limit'
import type { Logger } from './log'
import type { Passwords } from './passwords'
import type { HostResolver } from './outbox/address'
import type { SecretBox } from './secrets/box'

/** Everything a module needs, handed in once by createApp; services take only what they use. */
export interface AppDeps {
  db: Db
  config: Config
  clock: Clock
  logger: Logger
  rateLimiter: RateLimiter
  /** Seals and opens stored secrets (CREWBASE_SECRET_KEY); plain when no key is set. */
  secrets: SecretBox
  /** Password hashing; always done before a transaction opens. */
  passwords: Passwords
  /** How webhook hostnames resolve; tests play DNS here. Defaults to the system resolver. */
  resolveHost?: HostResolver
}
