// Retention at scale: seeds N finished deliveries (default 1,000,000: 200,000 events 100 days old,
// five endpoints, one attempt each) plus recent and pending ones into a SQLite file, then runs the
// pruner while a client reads the delivery log back to back, and reports the pruner's duration,
// its longest transaction and the list's latency beside the same list with no pruner running.
//   bun bench/prune.ts [deliveries=1000000] [list requests before=300]
import { copyFileSync, existsSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../src/app'
import { systemClock } from '../src/clock'
import { loadConfig } from '../src/config'
import { openDatabase } from '../src/db/client'
import { openSqlite } from '../src/db/sqlite'
import { migrateToLatest } from '../src/db/migrate'
import { transaction } from '../src/db/transaction'
import { ALL_PERMISSIONS } from '../src/http/permissions'
import { RateLimiter } from '../src/http/rate-limit'
import { idFloor, newId } from '../src/ids'
import { silentLogger } from '../src/log'
import { pruneExpired } from '../src/maintenance/prune'
import { createApiKey } from '../src/modules/api-keys/service'
import { createOrgWithOwner } from '../src/modules/orgs/service'
import { argon2idPasswords } from '../src/passwords'
import { SecretBox } from '../src/secrets/box'

const DELIVERIES = Number(process.argv[2] ?? 1_000_000)
const BASELINE_REQUESTS = Number(process.argv[3] ?? 300)
const ENDPOINTS = 5
const DAY = 86_400_000
const template = join(tmpdir(), `crewbase-bench-prune-${DELIVERIES}.sqlite`)
const path = join(tmpdir(), `crewbase-bench-prune-run.sqlite`)

async function seed() {
  const handle = openSqlite(template)
  await migrateToLatest(handle.db)
  const started = performance.now()
  const passwordHash = await Bun.password.hash('bench password')
  const { org } = await transaction(handle.db, (trx) =>
    createOrgWithOwner(trx, { org: 'Bench', email: 'bench@example.com', passwordHash }, systemClock),
  )
  const s = handle.connection
  const now = Date.now()
  const stamp = (ms: number) => new Date(ms).toISOString()
  const endpoints: string[] = []
  const insertEndpoint = s.prepare(
    `insert into webhook_endpoints (id, org_id, url, events, headers, secret, debounce_seconds, enabled, consecutive_failures, version, created_at, updated_at)
     values (?, ?, ?, '["*"]', '{}', 'whsec_bench', 0, 1, 0, 1, ?, ?)`,
  )
  for (let i = 0; i < ENDPOINTS; i++) {
    const id = newId('whe')
    endpoints.push(id)
    insertEndpoint.run(id, org.id, `https://hooks.example.com/${i}`, stamp(now - 200 * DAY), stamp(now - 200 * DAY))
  }
  const insertEvent = s.prepare(
    `insert into events (id, org_id, type, resource_type, resource_id, data, created_at) values (?, ?, 'job.updated', 'job', ?, ?, ?)`,
  )
  const insertDelivery = s.prepare(
    `insert into deliveries (id, org_id, endpoint_id, event_id, event_type, status, next_trigger, attempt_count, failures, next_attempt_at, created_at, updated_at)
     values (?, ?, ?, ?, 'job.updated', ?, 'auto', 1, ?, ?, ?, ?)`,
  )
  const insertAttempt = s.prepare(
    `insert into delivery_attempts (org_id, delivery_id, endpoint_id, number, trigger, started_at, duration_ms, succeeded, status_code, response_excerpt)
     values (?, ?, ?, 1, 'auto', ?, 120, ?, ?, 'ok')`,
  )
  const body = JSON.stringify({ object: { id: 'job_bench', title: 'Replace the boiler valve', status: 'in_progress', version: 3 } })
  let serial = 0
  const idAt = (prefix: string, ms: number) => `${idFloor(prefix, new Date(ms))}${String(serial++).padStart(16, '0')}`
  /** `count` events at `ageDays`, each delivered to every endpoint with `status`. */
  const write = (events: number, ageDays: number, status: 'succeeded' | 'failed' | 'pending') => {
    s.run('BEGIN')
    for (let i = 0; i < events; i++) {
      const at = now - ageDays * DAY + i * 10
      const eventId = idAt('evt', at)
      insertEvent.run(eventId, org.id, 'job_bench', body, stamp(at))
      for (const endpoint of endpoints) {
        const id = idAt('dlv', at)
        insertDelivery.run(id, org.id, endpoint, eventId, status, status === 'failed' ? 1 : 0, status === 'pending' ? stamp(now + DAY) : null, stamp(at), stamp(at))
        insertAttempt.run(org.id, id, endpoint, stamp(at), status === 'succeeded' ? 1 : 0, status === 'succeeded' ? 200 : 503)
      }
      if (i % 20_000 === 19_999) {
        s.run('COMMIT')
        s.run('BEGIN')
      }
    }
    s.run('COMMIT')
  }
  write(DELIVERIES / ENDPOINTS, 100, 'succeeded')
  write(2_000, 100, 'pending') // old but still retrying: must survive, with their events
  write(20_000, 5, 'succeeded') // recent: the list the client reads
  s.run('ANALYZE')
  s.run('PRAGMA wal_checkpoint(TRUNCATE)')
  await handle.close()
  console.log(`seeded ${DELIVERIES} old deliveries in ${((performance.now() - started) / 1000).toFixed(1)} s → ${template}`)
}

if (!existsSync(template)) await seed()
for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
copyFileSync(template, path)
const handle = openDatabase(path)
await migrateToLatest(handle.db)
const org = await handle.db.selectFrom('orgs').select('id').executeTakeFirstOrThrow()
const user = await handle.db.selectFrom('users').select('id').executeTakeFirstOrThrow()
const endpoint = await handle.db.selectFrom('webhook_endpoints').select('id').orderBy('id').executeTakeFirstOrThrow()
const { key } = await transaction(handle.db, (trx) =>
  createApiKey(trx, org.id, user.id, { label: 'bench', permissions: ALL_PERMISSIONS }, systemClock),
)
const app = createApp({ db: handle.db, config: loadConfig({ CREWBASE_RATE_LIMIT: '1000000' }), clock: systemClock, logger: silentLogger, rateLimiter: new RateLimiter(), secrets: SecretBox.plain(), passwords: argon2idPasswords() })
const list = async () => {
  const started = performance.now()
  const res = await app.handle(new Request(`http://bench/api/v1/webhooks/${endpoint.id}/deliveries?per_page=50`, { headers: { authorization: `Bearer ${key}` } }))
  if (res.status !== 200) throw new Error(`list → ${res.status} ${await res.text()}`)
  await res.arrayBuffer()
  return performance.now() - started
}
const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!.toFixed(1)
  return `p50=${at(0.5)} ms  p99=${at(0.99)} ms  max=${sorted[sorted.length - 1]!.toFixed(1)} ms  (${times.length} requests)`
}

for (let i = 0; i < 20; i++) await list() // warm the statement cache and the page cache
const baseline: number[] = []
for (let i = 0; i < BASELINE_REQUESTS; i++) baseline.push(await list())

const during: number[] = []
let pruning = true
const reader = (async () => {
  // A client over the network arrives as a new task; yield like one, or the pruner's timer never runs.
  while (pruning) {
    during.push(await list())
    await new Promise((resolve) => setImmediate(resolve))
  }
})()
const batchMs: number[] = []
const result = await pruneExpired(handle.db, loadConfig({}), new Date(), {
  pause: async (ms) => {
    batchMs.push(ms)
    await Bun.sleep(Math.max(1, ms))
  },
})
pruning = false
await reader

const left = await handle.db
  .selectFrom('deliveries')
  .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>(eb.case().when('status', '=', 'pending').then(1).else(0).end()).as('pending')])
  .executeTakeFirstOrThrow()
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end`)
console.log(`pruner: ${result.ms} ms for ${JSON.stringify(result.deleted)} in ${result.batches} batches, longest transaction ${result.longestBatchMs} ms ${JSON.stringify(result.longestBatchMsByRule)}`)
console.log(`pruner transactions: ${summary(batchMs).replace('requests', 'batches')}`)
console.log(`left: ${left.n} deliveries, ${left.pending} of them pending (seeded ${2_000 * ENDPOINTS} old pending)`)
console.log(`delivery list, idle:          ${summary(baseline)}`)
console.log(`delivery list, while pruning: ${summary(during)}`)
await handle.close()
for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
