import { Database } from 'bun:sqlite'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { newId } from '../../src/ids'
import { ensureBinary, type RunningServer, runBinary, startBinary, tempDir } from '../helpers/binary'

// `crewbase backup FILE` while a storm of writes runs against the live server: the copy is
// one consistent snapshot (every change with its event and its number), passes
// integrity_check, holds everything acknowledged before it started, and serves.

const SEEDED_JOBS = 20_000

beforeAll(() => {
  ensureBinary()
})

/** Bulk rows straight into the file before the server starts, so the copy takes long enough to overlap many writes. */
function seedJobs(dbPath: string, orgId: string) {
  const db = new Database(dbPath)
  db.run('PRAGMA journal_mode = WAL')
  const insert = db.query(
    `INSERT INTO jobs (id, org_id, number, title, description, status, priority, tags, metadata, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'scheduled', 'normal', '[]', '{}', 1, ?, ?)`,
  )
  const at = '2026-01-01T00:00:00.000Z'
  db.transaction(() => {
    for (let i = 0; i < SEEDED_JOBS; i++) insert.run(newId('job'), orgId, `SEED-${i}`, `Seeded ${i}`, 'x'.repeat(800), at, at)
  })()
  db.run('PRAGMA wal_checkpoint(TRUNCATE)')
  db.close()
}

/** `crewbase backup FILE` without blocking this process, so the storm keeps running meanwhile. */
async function backupAsync(dbPath: string, target: string) {
  const proc = Bun.spawn([ensureBinary(), 'backup', target], { env: { ...process.env, CREWBASE_DB: dbPath }, stdout: 'pipe', stderr: 'pipe' })
  const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()])
  return { code, stdout, stderr }
}

describe('backup of the built binary under a write storm', () => {
  let server: RunningServer | null = null
  let restored: RunningServer | null = null
  afterAll(async () => {
    await server?.stop('SIGKILL')
    await restored?.stop('SIGKILL')
  })

  test('a backup taken while writes pour in is consistent, complete up to its start, and serves', async () => {
    const dir = tempDir()
    const dbPath = join(dir, 'live.sqlite')
    const init = runBinary(['init', '--org', 'Busy', '--email', 'busy@example.com', '--password', 'password1', '--json'], { CREWBASE_DB: dbPath })
    expect(init.code).toBe(0)
    const created = JSON.parse(init.stdout)
    const headers = { authorization: `Bearer ${created.api_key.key}`, 'content-type': 'application/json' }
    seedJobs(dbPath, created.org.id)
    server = await startBinary({ CREWBASE_RATE_LIMIT: '1000000', CREWBASE_LOG_LEVEL: 'error' }, dbPath)

    // The storm: creates and updates from six writers until told to stop.
    const acknowledged: Array<{ id: string; at: number }> = []
    let stop = false
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const res = await fetch(`${server!.url}/api/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ title: `storm ${w}-${i}` }) })
        expect(res.status).toBe(201)
        const job = ((await res.json()) as { data: { id: string } }).data
        acknowledged.push({ id: job.id, at: performance.now() })
        const patched = await fetch(`${server!.url}/api/v1/jobs/${job.id}`, { method: 'PATCH', headers, body: JSON.stringify({ priority: 'high' }) })
        expect(patched.status).toBe(200)
      }
    }
    const writers = Array.from({ length: 6 }, (_, w) => writer(w))
    while (acknowledged.length < 100) await Bun.sleep(5)

    const target = join(dir, 'backup', 'copy.sqlite')
    const startedAt = performance.now()
    const beforeStart = acknowledged.map((a) => a.id)
    const result = await backupAsync(dbPath, target)
    const endedAt = performance.now()
    stop = true
    await Promise.all(writers)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('integrity ok')
    // The copy really ran under writes: some were acknowledged while it was being taken.
    expect(acknowledged.filter((a) => a.at > startedAt && a.at < endedAt).length).toBeGreaterThan(10)

    const copy = new Database(target, { readonly: true })
    expect(copy.query('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' })
    expect(copy.query('PRAGMA foreign_key_check').all()).toEqual([])
    // Everything acknowledged before the backup began is in it.
    const present = new Set((copy.query(`select id from jobs where title like 'storm %'`).all() as Array<{ id: string }>).map((r) => r.id))
    expect(beforeStart.filter((id) => !present.has(id))).toEqual([])
    expect(copy.query('select count(*) as n from jobs').get()).toEqual({ n: SEEDED_JOBS + present.size })
    // One snapshot: each job came with its job.created event, and the number counter matches the last job handed out.
    const withoutEvent = copy
      .query(`select count(*) as n from jobs j where j.title like 'storm %' and not exists (select 1 from events e where e.resource_id = j.id and e.type = 'job.created')`)
      .get()
    expect(withoutEvent).toEqual({ n: 0 })
    const counter = copy.query(`select value from counters where name = 'job'`).get() as { value: number }
    const lastNumber = copy.query(`select max(cast(substr(number, 5) as integer)) as n from jobs where number like 'JOB-%'`).get() as { n: number }
    expect(counter.value).toBe(lastNumber.n)
    const liveTotal = present.size
    copy.close()

    // Restore = start the server on the copy: it answers with exactly what the copy holds, and takes writes.
    await server.stop('SIGTERM')
    server = null
    restored = await startBinary({ CREWBASE_RATE_LIMIT: '1000000' }, target)
    const list = await fetch(`${restored.url}/api/v1/jobs?per_page=1`, { headers })
    expect(list.status).toBe(200)
    expect(((await list.json()) as { pagination: { total: number } }).pagination.total).toBe(SEEDED_JOBS + liveTotal)
    const one = await fetch(`${restored.url}/api/v1/jobs/${beforeStart[0]}`, { headers })
    expect(one.status).toBe(200)
    const write = await fetch(`${restored.url}/api/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ title: 'after restore' }) })
    expect(write.status).toBe(201)
    expect(((await write.json()) as { data: { number: string } }).data.number).toBe(`JOB-${counter.value + 1}`)
    expect(await restored.stop('SIGTERM')).toBe(0)
    restored = null
  }, 120_000)
})
