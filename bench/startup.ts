#!/usr/bin/env bun
/**
 * Start → first answered /health of a binary on an existing database, N times:
 *   bun bench/startup.ts [binary=dist/crewbase] [n=10]
 * A quick check for start-up work; `npm run bench` measures it beside the floor.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, loadAverage, ROOT, rssMiB, spawn, waitFor } from './lib/processes'
import { seedJobs } from './seed'

const [binary = join(ROOT, 'dist', 'crewbase'), count = '10'] = process.argv.slice(2)
const seeded = await seedJobs(join(ROOT, 'dist', 'crewbase'), 10_000, () => {})
const dir = mkdtempSync(join(tmpdir(), 'crewbase-start-'))
const times: number[] = []
const rss: number[] = []
for (let i = 0; i < Number(count); i++) {
  const db = join(dir, `db-${i}.sqlite`)
  copyFileSync(seeded.path, db)
  const port = await freePort()
  const t0 = performance.now()
  const proc = spawn([binary, 'serve'], { PORT: String(port), HOST: '127.0.0.1', CREWBASE_DB: db, CREWBASE_LOG_LEVEL: 'warn', BENCH_ORG: seeded.orgId })
  try {
    await waitFor(`http://127.0.0.1:${port}/health`, 15_000, 1)
    times.push(performance.now() - t0)
    await Bun.sleep(500)
    rss.push(await rssMiB(proc.pid))
  } finally {
    proc.kill('SIGTERM')
    await proc.exited
  }
}
rmSync(dir, { recursive: true, force: true })
const sorted = [...times].sort((a, b) => a - b)
console.log(`${binary.replace(ROOT + '/', '')}: start → /health ${times.map((t) => t.toFixed(0)).join(' ')} ms (median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)}), idle RSS ${Math.max(...rss).toFixed(0)} MiB, load ${loadAverage().join(' ')}`)
