#!/usr/bin/env bun
/**
 * In-process cost of the hot routes, µs of CPU per request through `app.handle` (no network,
 * no load generator): `bun bench/inproc.ts SCENARIO [n]`, SCENARIO one of those below.
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
import { transaction } from '../src/db/transaction'
import { authenticate, bearerToken } from '../src/http/auth'
import { parseJsonBody } from '../src/http/body'
import { newId } from '../src/ids'
import { silentLogger } from '../src/log'
import { createJob, type JobCreateInput, listJobs } from '../src/modules/jobs/service'
import { argon2idPasswords } from '../src/passwords'
import { SecretBox } from '../src/secrets/box'
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

// Three layers of the same work, to tell apart what each costs:
//   floor-*    bare bun:sqlite, as bench/floor.ts does it;
//   service-*  our own code without the framework: authenticate, the service, Response.json;
//   list, create  the whole app through Elysia's app.handle (routing, hooks, validation).
const request = (path: string, post = false) =>
  new Request(`http://localhost${path}`, post ? { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body } : { headers: auth })
const scenarios: Record<string, () => () => Promise<unknown>> = {
  'floor-list': () => {
    const db = floorDb()
    const list = db.query('SELECT * FROM jobs WHERE org_id = ? AND deleted_at IS NULL ORDER BY id DESC LIMIT ?')
    return async () => Response.json({ data: list.all(seeded.orgId, 50), pagination: { page: 1, per_page: 50, total: 10000 } }).arrayBuffer()
  },
  'floor-create': () => {
    const db = floorDb()
    const insertJob = db.query(
      `INSERT INTO jobs (id, org_id, number, title, status, priority, tags, metadata, version, created_at, updated_at) VALUES (?, ?, ?, ?, 'scheduled', ?, '[]', '{}', 1, ?, ?)`,
    )
    const insertEvent = db.query('INSERT INTO events (id, org_id, type, resource_type, resource_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    let n = 10_000_000
    const create = db.transaction((input: { title: string; priority: string }) => {
      const now = new Date().toISOString()
      const job = { id: newId('job'), number: `FLOOR-${n++}`, title: input.title, priority: input.priority, created_at: now }
      insertJob.run(job.id, seeded.orgId, job.number, job.title, job.priority, now, now)
      insertEvent.run(newId('evt'), seeded.orgId, 'job.created', 'job', job.id, JSON.stringify({ object: job }), now)
      return job
    })
    return async () => Response.json({ data: create(await request('/jobs', true).json()) }, { status: 201 }).arrayBuffer()
  },
  'service-list': () => {
    const { db } = openDatabase(path)
    return async () => {
      const req = request('/api/v1/jobs?per_page=50')
      const principal = await authenticate(db, bearerToken(req.headers.get('authorization')), new Date())
      return Response.json(await listJobs(db, principal.orgId, { per_page: 50 })).arrayBuffer()
    }
  },
  'service-create': () => {
    const { db } = openDatabase(path)
    return async () => {
      const req = request('/api/v1/jobs', true)
      const principal = await authenticate(db, bearerToken(req.headers.get('authorization')), new Date())
      const input = (await parseJsonBody(req)) as JobCreateInput
      const job = await transaction(db, (trx) => createJob(trx, principal.orgId, input, systemClock))
      return Response.json({ data: job }, { status: 201 }).arrayBuffer()
    }
  },
  ...Object.fromEntries(
    (['list', 'create'] as const).map((name) => [
      name,
      () => {
        const { db } = openDatabase(path)
        const app = createApp({ db, config: loadConfig({ CREWBASE_RATE_LIMIT: '1000000' }), clock: systemClock, logger: silentLogger, rateLimiter: new RateLimiter(), passwords: argon2idPasswords(), secrets: SecretBox.plain() })
        return async () => (await app.handle(name === 'list' ? request('/api/v1/jobs?per_page=50') : request('/api/v1/jobs', true))).arrayBuffer()
      },
    ]),
  ),
}
function floorDb() {
  const db = new Database(path, { strict: false })
  for (const pragma of SQLITE_PRAGMAS) db.run(pragma)
  return db
}
if (!scenarios[scenario]) throw new Error(`unknown scenario ${scenario}; one of ${Object.keys(scenarios).join(', ')}`)
const run = scenarios[scenario]!()
for (let i = 0; i < 500; i++) await run()
Bun.gc(true)
const c0 = process.cpuUsage()
const t0 = performance.now()
for (let i = 0; i < N; i++) await run()
const cpu = process.cpuUsage(c0)
console.log(`${scenario}: ${(((performance.now() - t0) * 1000) / N).toFixed(0)} µs wall, ${((cpu.user + cpu.system) / N).toFixed(0)} µs CPU per request (${N})`)
rmSync(dir, { recursive: true, force: true })
