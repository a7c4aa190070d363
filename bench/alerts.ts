// bun bench/alerts.ts — how long one alert evaluator pass takes over a busy organization:
// the first pass (fires every alert, delays every late job) and a steady-state pass
// (nothing new: what runs every minute). BENCH_JOBS sets the number of jobs (default 10 000).
import { openDatabase } from '../src/db/client'
import { migrateToLatest } from '../src/db/migrate'
import { transaction } from '../src/db/transaction'
import { newId } from '../src/ids'
import { ALL_PERMISSIONS } from '../src/http/permissions'
import { createApiKey } from '../src/modules/api-keys/service'
import { evaluateAlerts } from '../src/modules/alerts/evaluate'
import { createOrgWithOwner } from '../src/modules/orgs/service'
import { systemClock } from '../src/clock'

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000)
const { db } = openDatabase(':memory:')
await migrateToLatest(db)
const { org } = await transaction(db, async (trx) => {
  const made = await createOrgWithOwner(trx, { org: 'Bench', email: 'bench@example.com', passwordHash: await Bun.password.hash('password123') }, systemClock)
  await createApiKey(trx, made.org.id, made.user.id, { label: 'b', permissions: ALL_PERMISSIONS as never }, systemClock)
  return made
})
const now = Date.now()
const iso = (offsetMin: number) => new Date(now + offsetMin * 60_000).toISOString()
const crew = Array.from({ length: 50 }, (_, i) => ({
  id: newId('ctr'), org_id: org.id, user_id: null, name: `Crew ${i}`, email: null, phone: null, trade: null,
  active: 1, rating_average: null, rating_count: 0, version: 1, created_at: iso(0), updated_at: iso(0),
}))
await db.insertInto('contractors').values(crew).execute()
// A quarter of the jobs late, a quarter in progress past their end, half in the future; one crew member each.
for (let offset = 0; offset < JOBS; offset += 500) {
  const jobs = []
  const assignments = []
  for (let i = offset; i < Math.min(JOBS, offset + 500); i++) {
    const kind = i % 4
    const start = kind === 0 ? iso(-30) : kind === 1 ? iso(-240) : iso(60 + i)
    jobs.push({
      id: newId('job'), org_id: org.id, number: `JOB-${1001 + i}`, title: `Job ${i}`, description: null, client_id: null,
      property_id: null, status: kind === 1 ? 'in_progress' : 'scheduled', priority: 'normal', scheduled_start: start,
      scheduled_end: kind === 1 ? iso(-120) : null, started_at: kind === 1 ? start : null, completed_at: null, outcome: null,
      completion_note: null, delay_reason: null, tags: '[]', metadata: '{}', deleted_at: null, version: 1, created_at: iso(0), updated_at: iso(0),
    } as const)
    assignments.push({ id: newId('jas'), org_id: org.id, job_id: jobs[jobs.length - 1]!.id, phase_id: null, contractor_id: crew[i % 50]!.id, role: null, version: 1, created_at: iso(0) })
  }
  await db.insertInto('jobs').values(jobs).execute()
  await db.insertInto('job_assignments').values(assignments).execute()
}
for (const [type, minutes] of [['job_late_start', 10], ['no_check_in', 15], ['no_check_out', 120], ['job_overrun', 30]] as const) {
  await db.insertInto('alert_rules').values({
    id: newId('alr'), org_id: org.id, type, title: type, description: null, minutes, priority: null, client_id: null,
    contractor_id: null, place_id: null, enabled: 1, version: 1, created_at: iso(0), updated_at: iso(0),
  }).execute()
}
const timed = async (label: string) => {
  const started = performance.now()
  const result = await evaluateAlerts({ db, clock: systemClock })
  console.log(`${label}: ${(performance.now() - started).toFixed(0)} ms`, result)
}
console.log(`${JOBS} jobs, 50 crew, 4 time rules`)
await timed('first pass (fires everything)')
await timed('steady pass (nothing new)')
await timed('steady pass (nothing new)')
