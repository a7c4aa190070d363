#!/usr/bin/env bun
/**
 * Where the webhook outbox spends its SQLite time (a diagnostic, not a race against a floor):
 *   ./node_modules/.bin/bun bench/outbox-sql.ts [events=10000]
 * Commits `events` job.updated events for one endpoint, then lets a dispatcher drain them to
 * a loopback receiver while timing every statement it runs, and prints microseconds of
 * SQLite per delivery, statement by statement, and how commit times are spread (the
 * automatic WAL checkpoint runs inside whichever commit crosses the limit).
 */
import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '../src/clock'
import { loadConfig } from '../src/config'
import { openDatabase } from '../src/db/client'
import { migrateToLatest } from '../src/db/migrate'
import { transaction } from '../src/db/transaction'
import type { AppDeps } from '../src/deps'
import { recordEvent } from '../src/events/record'
import { argon2idPasswords } from '../src/passwords'
import { RateLimiter } from '../src/http/rate-limit'
import { SecretBox } from '../src/secrets/box'
import { newId } from '../src/ids'
import { silentLogger } from '../src/log'
import { createOrgWithOwner } from '../src/modules/orgs/service'
import { createWebhook } from '../src/modules/webhooks/service'
import { Dispatcher } from '../src/outbox/dispatcher'

const EVENTS = Number(process.argv[2] ?? 10_000)

// ── timing every statement (wrapped where bun:sqlite hands statements out) ──────────────
const spent = new Map<string, { runs: number; us: number }>()
const commitUs: number[] = []
let timing = false
const prepare = Database.prototype.prepare
Database.prototype.prepare = function (this: Database, text: string, ...rest: unknown[]) {
  const statement = (prepare as (...args: unknown[]) => any).call(this, text, ...rest)
  for (const method of ['all', 'get', 'run', 'values'] as const) {
    const original = statement[method].bind(statement)
    statement[method] = (...args: unknown[]) => {
      if (!timing) return original(...args)
      const started = performance.now()
      try {
        return original(...args)
      } finally {
        const us = (performance.now() - started) * 1000
        if (text === 'commit') commitUs.push(us)
        // The lease update is compiled per batch size; count its variants as one statement.
        const key = text.replace(/in \((\?, )*\?\)/g, 'in (…)')
        const entry = spent.get(key) ?? { runs: 0, us: 0 }
        entry.runs++
        entry.us += us
        spent.set(key, entry)
      }
    }
  }
  return statement
} as typeof prepare

// ── a receiver, a database file, one endpoint, a backlog ──────────────────────────────
let received = 0
let onAll: () => void = () => {}
const receiver = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  async fetch(request) {
    await request.arrayBuffer()
    if (++received === EVENTS) onAll()
    return new Response('ok')
  },
})
const dir = mkdtempSync(join(tmpdir(), 'crewbase-outbox-sql-'))
const handle = openDatabase(join(dir, 'bench.sqlite'))
await migrateToLatest(handle.db)
const deps: AppDeps = {
  db: handle.db,
  config: loadConfig({ CREWBASE_WEBHOOK_ALLOW_INSECURE: 'true' }),
  clock: systemClock,
  logger: silentLogger,
  rateLimiter: new RateLimiter(),
  secrets: SecretBox.plain(),
  passwords: argon2idPasswords(),
}
const { org } = await transaction(deps.db, async (trx) =>
  createOrgWithOwner(trx, { org: 'Bench', email: 'bench@example.com', passwordHash: await Bun.password.hash('bench-password') }, systemClock),
)
await createWebhook(deps, org.id, { url: `http://127.0.0.1:${receiver.port}/hook`, events: ['*'] })
for (let i = 0; i < EVENTS; i++) {
  const object = { id: newId('job'), version: i, number: `JOB-${1000 + i}`, title: 'Replace boiler valve', status: 'scheduled' }
  await transaction(deps.db, (trx) => recordEvent(trx, { orgId: org.id, type: 'job.updated', object, previous: { title: 'x' }, at: new Date() }))
}

// ── the drain, timed ─────────────────────────────────────────────────────────────────
const allReceived = new Promise<void>((resolve) => (onAll = resolve))
timing = true
const started = performance.now()
const dispatcher = new Dispatcher(deps)
handle.onDeliveriesQueued(() => dispatcher.wake())
dispatcher.start()
await allReceived
const wallUs = ((performance.now() - started) * 1000) / EVENTS
timing = false
await dispatcher.stop()

let totalUs = 0
console.log(`outbox drain of ${EVENTS} deliveries: ${(1e6 / wallUs).toFixed(0)}/s, ${wallUs.toFixed(0)} µs of wall time per delivery`)
console.log('SQLite µs per delivery  runs per delivery  statement')
for (const [text, { runs, us }] of [...spent].sort((a, b) => b[1].us - a[1].us)) {
  totalUs += us
  if (us / EVENTS < 0.5) continue
  console.log(`${(us / EVENTS).toFixed(1).padStart(8)}  ${(runs / EVENTS).toFixed(3).padStart(8)}  ${text.replace(/\s+/g, ' ').slice(0, 110)}`)
}
console.log(`${(totalUs / EVENTS).toFixed(1).padStart(8)}  in all statements`)
commitUs.sort((a, b) => a - b)
const at = (p: number) => commitUs[Math.min(commitUs.length - 1, Math.floor(commitUs.length * p))]!.toFixed(0)
const slowest = commitUs.slice(-10).reduce((a, b) => a + b, 0)
const all = commitUs.reduce((a, b) => a + b, 0)
console.log(
  `commits: ${commitUs.length}, p50 ${at(0.5)} µs, p99 ${at(0.99)} µs, max ${at(1)} µs; the 10 slowest (checkpoints) hold ${((slowest / all) * 100).toFixed(0)} % of all commit time`,
)
receiver.stop(true)
await handle.close()
rmSync(dir, { recursive: true, force: true })
