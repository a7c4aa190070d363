// The raw floor: bare Bun.serve + bun:sqlite doing the same work as our routes, with no
// framework, validation, auth or events machinery. Our route's throughput is reported
// as a ratio of this, measured in the same run on the same database file.
// Built by bench/run.ts into a binary (bench/.data/floor) exactly as `npm run build` builds ours,
// so start-up and memory compare like for like.
import { Database } from 'bun:sqlite'
import { SQLITE_PRAGMAS } from '../src/db/pragmas'
import { newId } from '../src/ids'

const db = new Database(process.env.CREWBASE_DB!, { create: false, strict: false })
// Our connection's own settings (WAL, synchronous, foreign keys, checkpoint interval), from the
// same list: at SQLite's default checkpoint interval, for one, the floor would stall on four
// times as many checkpoint fsyncs and lose writes/s for a setting, not for work.
for (const pragma of SQLITE_PRAGMAS) db.run(pragma)
const orgId = process.env.BENCH_ORG!

const list = db.query(
  'SELECT * FROM jobs WHERE org_id = ? AND deleted_at IS NULL ORDER BY id DESC LIMIT ?',
)
const count = db.query('SELECT count(*) AS total FROM jobs WHERE org_id = ? AND deleted_at IS NULL')
// The route remembers list totals until the jobs table is written (src/db/count-cache.ts), so
// the floor does the same minimal thing: count once, keep it until its own POST writes a job.
// Without this the floor recounts on every page (O(rows)) and the ratio says nothing about our overhead.
let cachedTotal: number | null = null
const total = () => (cachedTotal ??= (count.get(orgId) as { total: number }).total)
// No RETURNING: SQLite runs it through a temporary table, a file opened per statement (one
// openat/close per create under strace), which our insert does not pay; the floor builds the
// row it wrote, as our service does.
const insertJob = db.query(
  `INSERT INTO jobs (id, org_id, number, title, status, priority, tags, metadata, version, created_at, updated_at)
   VALUES (?, ?, ?, ?, 'scheduled', ?, '[]', '{}', 1, ?, ?)`,
)
const insertEvent = db.query(
  'INSERT INTO events (id, org_id, type, resource_type, resource_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
)
let n = 10_000_000
const create = db.transaction((title: string, priority: string) => {
  const now = new Date().toISOString()
  const job = { id: newId('job'), org_id: orgId, number: `FLOOR-${n++}`, title, status: 'scheduled', priority, tags: '[]', metadata: '{}', version: 1, created_at: now, updated_at: now }
  insertJob.run(job.id, orgId, job.number, title, priority, now, now)
  insertEvent.run(newId('evt'), orgId, 'job.created', 'job', job.id, JSON.stringify({ object: job }), now)
  cachedTotal = null
  return job
})

const server = Bun.serve({
  port: Number(process.env.PORT),
  hostname: '127.0.0.1',
  async fetch(request) {
    const url = new URL(request.url)
    if (url.pathname === '/health') return Response.json({ status: 'ok' })
    if (url.pathname === '/jobs' && request.method === 'GET') {
      const perPage = Number(url.searchParams.get('per_page') ?? 50)
      const rows = list.all(orgId, perPage)
      return Response.json({ data: rows, pagination: { page: 1, per_page: perPage, total: total() } })
    }
    if (url.pathname === '/jobs' && request.method === 'POST') {
      const body = (await request.json()) as { title: string; priority?: string }
      return Response.json({ data: create(body.title, body.priority ?? 'normal') }, { status: 201 })
    }
    return new Response('not found', { status: 404 })
  },
})
console.error(`floor listening on ${server.port}`)
