#!/usr/bin/env bun
/**
 * In-process cost of the hot routes, µs of CPU per request through `app.handle` (no network,
 * no load generator): `bun bench/inproc.ts [list|create|floor-list|floor-create] [n]`.
 * For quick before/after checks of a change; the figures that count are `npm run bench`'s.
 */
import { Database } from 'bun:sqlite'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../src/app'
import { systemClock } from '../src/clock'
import { loadConfig } from '../src/config'
import { openDatabase } from '../src/db/client'
import { SQLITE_PRAGMAS } from '../src/db/pragmas'
import { RateLimiter } from '../src/http/rate-limit'
import { silentLogger } from '../src/log'
import { argon2idPasswords } from '../src/passwords'
import { ROOT } from './lib/processes'
import { seedJobs } from './seed'

const [scenario = 'list', count = '3000'] = process.argv.slice(2)
const N = Number(count)
const seeded = await seedJobs(join(ROOT, 'dist', 'crewbase'), 10_000, () => {})
const dir = mkdtempSync(join(tmpdir(), 'crewbase-inproc-'))
const path = join(dir, 'db.sqlite')
copyFileSync(seeded.path, path)
const auth = { authorization: `Bearer ${seeded.key}` }
const body = JSON.stringify({ title: 'In-process job', priority: 'high' })

let run: () => Promise<unknown>
if (scenario.startsWith('floor')) {
  const db = new Database(path, { strict: false })
  for (const pragma of SQLITE_PRAGMAS) db.run(pragma)
  const list = db.query('SELECT * FROM jobs WHERE org_id = ? AND deleted_at IS NULL ORDER BY id DESC LIMIT ?')
  run = async () => Response.json({ data: list.all(seeded.orgId, 50), pagination: { page: 1, per_page: 50, total: 10000 } }).arrayBuffer()
} else {
  const database = openDatabase(path)
  const app = createApp({ db: database.db, config: loadConfig({ CREWBASE_RATE_LIMIT: '1000000' }), clock: systemClock, logger: silentLogger, rateLimiter: new RateLimiter(), passwords: argon2idPasswords() })
  run =
    scenario === 'create'
      ? async () => (await app.handle(new Request('http://localhost/api/v1/jobs', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body }))).arrayBuffer()
      : async () => (await app.handle(new Request('http://localhost/api/v1/jobs?per_page=50', { headers: auth }))).arrayBuffer()
}
for (let i = 0; i < 500; i++) await run()
Bun.gc(true)
const c0 = process.cpuUsage()
const t0 = performance.now()
for (let i = 0; i < N; i++) await run()
const cpu = process.cpuUsage(c0)
console.log(`${scenario}: ${(((performance.now() - t0) * 1000) / N).toFixed(0)} µs wall, ${((cpu.user + cpu.system) / N).toFixed(0)} µs CPU per request (${N})`)
rmSync(dir, { recursive: true, force: true })
