import { afterAll, beforeAll, describe, test } from 'bun:test'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { systemClock } from '../../src/clock'
import { createTestApp, type RequestInitLike, readResponse, toRequestInit, type TestResponse } from './app'
import { ensureBinary, type RunningServer, startBinary, tempDir } from './binary'
import { checkResponse, currentContract, loadContract } from './contract'

/**
 * Where HTTP suites send their requests: `app` (default) through `app.handle` of an
 * in-process app, `binary` to a spawned `dist/crewbase` over a temporary SQLite file —
 * what users run. `CREWBASE_TEST_TARGET=binary npm run test:binary` runs every suite that
 * uses `createHttpApp` against the binary.
 */
export type TestTarget = 'app' | 'binary'

function parseTarget(value: string | undefined): TestTarget {
  if (value === undefined || value === '' || value === 'app') return 'app'
  if (value === 'binary') return 'binary'
  throw new Error(`CREWBASE_TEST_TARGET must be "app" or "binary", not "${value}"`)
}

export const TEST_TARGET: TestTarget = parseTarget(process.env.CREWBASE_TEST_TARGET)
export const onBinary = TEST_TARGET === 'binary'

/**
 * `describe` for tests that need the app's internals (a movable clock, the database
 * handle): they run in-process and are skipped, with the reason in their name, when
 * the suite targets the binary.
 */
export const describeInProcess = (reason: string, name: string, fn: () => void) =>
  describe.skipIf(onBinary)(`${name} (in-process only: ${reason})`, fn)

/** `test` that needs the app's internals; skipped on the binary, the reason in its name. */
export const testInProcess = (reason: string, name: string, fn: () => Promise<void>, timeout?: number) =>
  test.skipIf(onBinary)(`${name} (in-process only: ${reason})`, fn, timeout)

export type { RequestInitLike } from './app'

export interface SeededOrg {
  org: { id: string; name: string }
  user: { id: string; email: string }
  key: string
  password: string
}

/** An app reached only over HTTP, the same way on both targets. */
export interface HttpApp {
  target: TestTarget
  /** Origin requests go to (`http://localhost` in-process). */
  origin: string
  /** A request as `fetch` would send it; `path` starts at `/`. */
  request(path: string, init?: RequestInit): Promise<Response>
  /** JSON in, status/headers/parsed body out. */
  call<T = any>(method: string, path: string, init?: RequestInitLike): Promise<TestResponse<T>>
  /** An organization, its owner and a full-permission key, as `crewbase init` makes them. */
  seedOrg(name?: string, email?: string): Promise<SeededOrg>
  close(): Promise<void>
}

export const SEED_PASSWORD = 'correct horse battery'

// Servers still running when the test process ends (a suite that forgot close()) go down with it.
const running = new Set<RunningServer>()
process.on('exit', () => {
  for (const server of running) server.proc.kill('SIGKILL')
})

async function startBinaryApp(env: Record<string, string>): Promise<HttpApp> {
  ensureBinary()
  const dir = tempDir()
  const dbPath = join(dir, 'crewbase.sqlite')
  const server = await startBinary({ CREWBASE_WEBHOOK_ALLOW_INSECURE: 'true', CREWBASE_LOG_LEVEL: 'warn', ...env }, dbPath)
  running.add(server)
  if (!currentContract()) loadContract(await (await fetch(`${server.url}/openapi.json`)).json())
  // Every answer of the binary is checked against the document too (see ./contract.ts).
  const request = async (path: string, init: RequestInit = {}) =>
    checkResponse({ method: init.method ?? 'GET', url: `${server.url}${path}` }, await fetch(`${server.url}${path}`, { redirect: 'manual', ...init }))
  return {
    target: 'binary',
    origin: server.url,
    request,
    call: async (method, path, init = {}) => readResponse(await request(path, toRequestInit(method, init))),
    async seedOrg(name = 'Acme Plumbing', email = `owner-${crypto.randomUUID()}@example.com`) {
      const proc = Bun.spawn([ensureBinary(), 'init', '--org', name, '--email', email, '--password', SEED_PASSWORD, '--json'], {
        env: { ...process.env, ...env, CREWBASE_DB: dbPath },
        stdout: 'pipe',
        stderr: 'pipe',
      })
      const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
      if (code !== 0) throw new Error(`crewbase init failed (${code}): ${stderr}`)
      const created = JSON.parse(stdout) as { org: SeededOrg['org']; user: SeededOrg['user']; api_key: { key: string } }
      return { org: created.org, user: created.user, key: created.api_key.key, password: SEED_PASSWORD }
    },
    async close() {
      running.delete(server)
      const code = await server.stop()
      rmSync(dir, { recursive: true, force: true })
      if (code !== 0) throw new Error(`crewbase exited with ${code} on SIGTERM: ${server.stderr()}`)
    },
  }
}

async function inProcessApp(env: Record<string, string> | undefined): Promise<HttpApp> {
  // The system clock, as the binary has: a test that needs to move time is an in-process test.
  const ctx = await createTestApp({ env, clock: systemClock })
  const request = (path: string, init: RequestInit = {}) => ctx.app.handle(new Request(`http://localhost${path}`, init))
  return {
    target: 'app',
    origin: 'http://localhost',
    request,
    call: async (method, path, init = {}) => readResponse(await request(path, toRequestInit(method, init))),
    async seedOrg(name, email) {
      const { org, user, key, password } = await ctx.seedOrg(name, email)
      return { org: { id: org.id, name: org.name }, user: { id: user.id, email: user.email }, key, password }
    },
    close: async () => ctx.close(),
  }
}

/**
 * A fresh app with an empty database on the suite's target (`CREWBASE_TEST_TARGET`).
 * `env` is its configuration, as the binary would read it. Call `close()` when done: on
 * the binary it stops the server and removes its database.
 */
export function createHttpApp(options: { env?: Record<string, string> } = {}): Promise<HttpApp> {
  return onBinary ? startBinaryApp(options.env ?? {}) : inProcessApp(options.env)
}

/**
 * One app for the whole test file (one binary per file, not per test): call at the top
 * level, read it inside tests with `host()`. Tests isolate themselves with their own org.
 */
export function useHttpApp(options: { env?: Record<string, string> } = {}): () => HttpApp {
  let app: HttpApp | undefined
  beforeAll(async () => {
    app = await createHttpApp(options)
  }, 60_000)
  afterAll(async () => {
    await app?.close()
  })
  return () => {
    if (!app) throw new Error('useHttpApp: the app is started in beforeAll; read it inside a test')
    return app
  }
}

