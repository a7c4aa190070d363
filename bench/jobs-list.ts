// Job list latency at scale: seeds N jobs (default 1,000,000) straight into a SQLite file,
// then times GET /api/v1/jobs shapes through app.handle (no network, our cost only).
//   bun bench/jobs-list.ts [jobs=1000000] [requests per shape=200]
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../src/app'
import { loadConfig } from '../src/config'
import { openSqlite } from '../src/db/sqlite'
import { migrateToLatest } from '../src/db/migrate'
import { transaction } from '../src/db/transaction'
import { argon2idPasswords } from '../src/passwords'
import { RateLimiter } from '../src/http/rate-limit'
import { SecretBox } from '../src/secrets/box'
import { ALL_PERMISSIONS } from '../src/http/permissions'
import { newId } from '../src/ids'
import { silentLogger } from '../src/log'
import { createApiKey } from '../src/modules/api-keys/service'
import { createOrgWithOwner } from '../src/modules/orgs/service'
import { systemClock } from '../src/clock'

const JOBS = Number(process.argv[2] ?? 1_000_000)
const REQUESTS = Number(process.argv[3] ?? 200)
const path = join(tmpdir(), `crewbase-bench-${JOBS}.sqlite`)
const fresh = !existsSync(path)
const handle = openSqlite(path)
await migrateToLatest(handle.db)

const STATUSES = ['scheduled', 'in_progress', 'delayed', 'completed', 'archived']
const PRIORITIES = ['low', 'normal', 'high', 'urgent']
let orgId: string
if (fresh) {
  const started = performance.now()
  const { org, user } = await transaction(handle.db, async (trx) =>
    createOrgWithOwner(trx, { org: 'Bench', email: 'bench@example.com', passwordHash: await Bun.password.hash('bench password') }, systemClock),
  )
  orgId = org.id
  void user
  const s = handle.connection
  const now = new Date('2026-01-01T00:00:00Z').getTime()
  const clients: string[] = []
  const contractors: string[] = []
  s.run('BEGIN')
  const insertClient = s.prepare('insert into clients (id, org_id, name, metadata, version, created_at, updated_at) values (?, ?, ?, ?, 1, ?, ?)')
  for (let i = 0; i < 1000; i++) {
    const id = newId('cli')
    clients.push(id)
    insertClient.run(id, orgId, `Client ${i}`, '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
  }
  const insertCrew = s.prepare('insert into contractors (id, org_id, name, version, created_at, updated_at) values (?, ?, ?, 1, ?, ?)')
  for (let i = 0; i < 200; i++) {
    const id = newId('ctr')
    contractors.push(id)
    insertCrew.run(id, orgId, `Crew ${i}`, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
  }
  const insertJob = s.prepare(
    `insert into jobs (id, org_id, number, title, description, client_id, status, priority, scheduled_start, tags, metadata, deleted_at, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', '{}', ?, 1, ?, ?)`,
  )
  const insertAssignment = s.prepare(
    'insert into job_assignments (id, org_id, job_id, contractor_id, version, created_at) values (?, ?, ?, ?, 1, ?)',
  )
  for (let i = 0; i < JOBS; i++) {
    const id = newId('job')
    const at = new Date(now + i * 30_000).toISOString()
    insertJob.run(
      id,
      orgId,
      `JOB-${1001 + i}`,
      `Job ${i} ${i % 7 === 0 ? 'boiler' : 'tap'}`,
      null,
      clients[i % clients.length]!,
      STATUSES[i % 5]!,
      PRIORITIES[(i * 7) % 4]!,
      new Date(now + (i % 365) * 86_400_000).toISOString(),
      i % 100 === 99 ? at : null,
      at,
      at,
    )
    if (i % 10 === 0) insertAssignment.run(newId('jas'), orgId, id, contractors[i % contractors.length]!, at)
    if (i % 100_000 === 99_999) {
      s.run('COMMIT')
      s.run('BEGIN')
    }
  }
  s.run('COMMIT')
  s.run('ANALYZE')
  console.log(`seeded ${JOBS} jobs in ${((performance.now() - started) / 1000).toFixed(1)} s → ${path}`)
} else {
  orgId = (await handle.db.selectFrom('orgs').select('id').executeTakeFirstOrThrow()).id
}

const user = await handle.db.selectFrom('users').select('id').where('org_id', '=', orgId).executeTakeFirstOrThrow()
const key = (
  await transaction(handle.db, async (trx) =>
    createApiKey(trx, orgId, user.id, { label: `bench ${Date.now()}`, permissions: ALL_PERMISSIONS as never }, systemClock),
  )
).key
await handle.db.updateTable('api_keys').set({ revoked_at: null }).execute()
const app = createApp({
  db: handle.db,
  config: loadConfig({ CREWBASE_RATE_LIMIT: '1000000' }),
  clock: systemClock,
  logger: silentLogger,
  rateLimiter: new RateLimiter(),
  secrets: SecretBox.plain(),
  passwords: argon2idPasswords(),
})
const client = await handle.db.selectFrom('clients').select('id').limit(1).executeTakeFirstOrThrow()
const crew = await handle.db.selectFrom('contractors').select('id').limit(1).executeTakeFirstOrThrow()

const shapes: Record<string, string> = {
  'default (newest 50)': '/api/v1/jobs',
  'status=completed&priority=high&page=1&per_page=50': '/api/v1/jobs?status=completed&priority=high&page=1&per_page=50',
  'status=scheduled': '/api/v1/jobs?status=scheduled',
  'priority=urgent': '/api/v1/jobs?priority=urgent',
  client_id: `/api/v1/jobs?client_id=${client.id}`,
  contractor_id: `/api/v1/jobs?contractor_id=${crew.id}`,
  'scheduled window (1 week)': '/api/v1/jobs?scheduled_from=2026-03-01T00:00:00Z&scheduled_to=2026-03-08T00:00:00Z',
  'updated_since (last day)': `/api/v1/jobs?updated_since=${new Date(new Date('2026-01-01T00:00:00Z').getTime() + (JOBS - 2880) * 30_000).toISOString()}`,
  'q=boiler': '/api/v1/jobs?q=boiler',
  'page 1000 (offset 49,950)': '/api/v1/jobs?page=1000',
}

for (const [name, url] of Object.entries(shapes)) {
  const times: number[] = []
  let total = 0
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now()
    const res = await app.handle(new Request(`http://bench${url}`, { headers: { authorization: `Bearer ${key}` } }))
    const body = (await res.json()) as { pagination?: { total: number } }
    times.push(performance.now() - started)
    if (res.status !== 200) throw new Error(`${url} → ${res.status} ${JSON.stringify(body)}`)
    total = body.pagination!.total
    if (i === 2 && times.slice(0, 3).reduce((a, b) => a + b) > 3000) break // slow shape: a few samples are enough
  }
  // The first request of a shape counts its total; the rest reuse it until the jobs table is written.
  const first = times[0]!.toFixed(1)
  times.sort((a, b) => a - b)
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))]!.toFixed(1)
  console.log(`${name.padEnd(52)} total=${String(total).padStart(8)}  first=${first.padStart(6)} ms  p50=${pct(0.5)} ms  p95=${pct(0.95)} ms  (${times.length} req)`)
}
await handle.close()
