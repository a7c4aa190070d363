import { createApp } from '../../src/app'
import type { Clock } from '../../src/clock'
import { type Config, loadConfig } from '../../src/config'
import { openDatabase } from '../../src/db/client'
import { migrateToLatest } from '../../src/db/migrate'
import { transaction } from '../../src/db/transaction'
import type { AppDeps } from '../../src/deps'
import { RateLimiter } from '../../src/http/rate-limit'
import { ALL_PERMISSIONS } from '../../src/http/permissions'
import { type Logger, silentLogger } from '../../src/log'
import { argon2idPasswords, type Passwords } from '../../src/passwords'
import { createApiKey } from '../../src/modules/api-keys/service'
import { createOrgWithOwner } from '../../src/modules/orgs/service'
import { SecretBox } from '../../src/secrets/box'
import { checkResponse, currentContract, loadContract } from './contract'

// argon2id at its lowest cost: the same code paths as production at a fraction of the CPU
// (seeding an organization hashed a password at 64 MiB for every test). Production always
// uses argon2idPasswords() at full cost; test/platform/passwords.test.ts covers that one.
const TEST_COST = { memoryCost: 64, timeCost: 1 }
export const testPasswords = argon2idPasswords(TEST_COST, await Bun.password.hash('nobody knows this', { algorithm: 'argon2id', ...TEST_COST }))

/** A clock tests can move. */
export class TestClock implements Clock {
  constructor(public current = new Date('2026-11-22T12:00:00.000Z')) {}
  now() {
    return new Date(this.current)
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms)
  }
}

export interface TestResponse<T = any> {
  status: number
  headers: Headers
  body: T
}

export interface RequestInitLike {
  token?: string
  body?: unknown
  raw?: string
  headers?: Record<string, string>
}

export async function readResponse<T>(response: Response): Promise<TestResponse<T>> {
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {}
  return { status: response.status, headers: response.headers, body: parsed as T }
}

export function toRequestInit(method: string, init: RequestInitLike): RequestInit {
  const headers: Record<string, string> = { ...init.headers }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  let body: string | undefined
  if (init.raw !== undefined) body = init.raw
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body)
    headers['content-type'] ??= 'application/json'
  }
  return { method, headers, body }
}

/** An app over a fresh in-memory database; `call` sends a request through `app.handle`. */
export async function createTestApp(options: { env?: Record<string, string>; clock?: Clock; logger?: Logger; passwords?: Passwords } = {}) {
  const database = openDatabase(':memory:')
  await migrateToLatest(database.db)
  const config: Config = loadConfig({ CREWBASE_WEBHOOK_ALLOW_INSECURE: 'true', ...options.env })
  const deps: AppDeps = {
    db: database.db,
    config,
    clock: options.clock ?? new TestClock(),
    logger: options.logger ?? silentLogger,
    rateLimiter: new RateLimiter(),
    secrets: await SecretBox.create(config.secretKey, config.secretKeyPrevious),
    passwords: options.passwords ?? testPasswords,
  }
  const app = createApp(deps)
  if (!currentContract()) {
    const served = await app.handle(new Request('http://localhost/openapi.json'))
    loadContract(await served.json())
  }
  // Every answer through this app is checked against the document (see ./contract.ts).
  const rawHandle = app.handle.bind(app)
  app.handle = async (request: Request) => checkResponse(request, await rawHandle(request))

  async function call<T = any>(method: string, path: string, init: RequestInitLike = {}): Promise<TestResponse<T>> {
    return readResponse<T>(await app.handle(new Request(`http://localhost${path}`, toRequestInit(method, init))))
  }

  /** An organization, its owner and a full-permission key (what `crewbase init` makes). */
  async function seedOrg(name = 'Acme Plumbing', email = `owner-${crypto.randomUUID()}@example.com`) {
    const seedPasswordHash = await deps.passwords.hash('correct horse battery')
    return transaction(database.db, async (trx) => {
      const { org, user } = await createOrgWithOwner(trx, { org: name, email, passwordHash: seedPasswordHash }, deps.clock)
      const key = await createApiKey(trx, org.id, user.id, { label: 'test', permissions: ALL_PERMISSIONS }, deps.clock)
      return { org, user, key: key.key, password: 'correct horse battery' }
    })
  }

  return { app, deps, db: database.db, call, seedOrg, database, close: database.close }
}
