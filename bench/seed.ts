import { Database } from 'bun:sqlite'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { newId } from '../src/ids'
import { ROOT } from './lib/processes'

export interface SeededDb {
  path: string
  orgId: string
  key: string
}

const STATUSES = ['scheduled', 'in_progress', 'completed', 'delayed', 'archived']
const PRIORITIES = ['low', 'normal', 'high', 'urgent']

/**
 * A database with one organization and `jobs` jobs, made once per size and reused
 * (bench/.data/jobs-<n>.sqlite). The org and key come from the real `crewbase init`.
 */
export async function seedJobs(binary: string, jobs: number, progress: (line: string) => void): Promise<SeededDb> {
  const dir = join(ROOT, 'bench', '.data')
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `jobs-${jobs}.sqlite`)
  const meta = `${path}.json`
  if (existsSync(path) && existsSync(meta)) return { path, ...(await Bun.file(meta).json()) }
  const tmp = `${path}.tmp`
  rmSync(tmp, { force: true })
  const init = Bun.spawnSync([binary, 'init', '--org', 'Bench Co', '--email', `bench-${jobs}@example.com`, '--password', 'bench-password', '--json'], {
    env: { ...process.env, CREWBASE_DB: tmp },
  })
  if (init.exitCode !== 0) throw new Error(init.stderr.toString())
  const out = JSON.parse(init.stdout.toString())
  const db = new Database(tmp)
  db.run('PRAGMA journal_mode = WAL')
  db.run('PRAGMA synchronous = OFF')
  const insert = db.query(
    `INSERT INTO jobs (id, org_id, number, title, description, status, priority, scheduled_start, tags, metadata, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, '["bench"]', '{"source":"bench"}', 1, ?, ?)`,
  )
  const batch = 50_000
  const start = Date.now() - jobs * 1000
  for (let done = 0; done < jobs; done += batch) {
    db.transaction(() => {
      for (let i = done; i < Math.min(jobs, done + batch); i++) {
        const at = new Date(start + i * 1000).toISOString()
        insert.run(
          newId('job'),
          out.org.id,
          `JOB-${1001 + i}`,
          `Job ${i}: replace boiler valve`,
          'Seeded for the benchmark',
          STATUSES[i % STATUSES.length]!,
          PRIORITIES[i % PRIORITIES.length]!,
          at,
          at,
          at,
        )
      }
    })()
    progress(`seeding ${jobs} jobs: ${Math.min(jobs, done + batch)}`)
  }
  db.run(`INSERT OR REPLACE INTO counters (org_id, name, value) VALUES ('${out.org.id}', 'job', ${1000 + jobs})`)
  db.run('PRAGMA wal_checkpoint(TRUNCATE)')
  db.run('ANALYZE')
  db.close()
  renameSync(tmp, path)
  for (const suffix of ['-wal', '-shm']) rmSync(tmp + suffix, { force: true })
  const seeded = { orgId: out.org.id as string, key: out.api_key.key as string }
  await Bun.write(meta, JSON.stringify(seeded))
  return { path, ...seeded }
}
