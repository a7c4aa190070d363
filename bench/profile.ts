#!/usr/bin/env bun
/**
 * CPU profiles of the hot routes: `bun bench/profile.ts LABEL [list|create ...]`
 *
 * Serves the sources under `bun --cpu-prof` (the same code the binary bundles, with readable
 * names) on a copy of the seeded 10 k-job database, drives the route with wrk, stops the
 * server with SIGTERM (the profile is written on exit) and writes a summary — top frames by
 * self time, and self time by package — to bench/profiles/<scenario>-<LABEL>.md.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cpuSeconds, freePort, loadAverage, ROOT, spawn, waitFor } from './lib/processes'
import { ensureWrk, runWrk } from './lib/wrk'
import { seedJobs } from './seed'

const [label = 'now', ...scenarios] = process.argv.slice(2)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const log = (line: string) => process.stderr.write(`${line}\n`)
ensureWrk(log)
if (Bun.spawnSync([process.execPath, 'run', 'build'], { cwd: ROOT, stdout: 'ignore' }).exitCode !== 0) throw new Error('build failed')
const seeded = await seedJobs(join(ROOT, 'dist', 'crewbase'), 10_000, log)
const auth = { authorization: `Bearer ${seeded.key}` }

const SCENARIOS = {
  list: { title: 'GET /api/v1/jobs?per_page=50 @ 10 000 jobs', path: '/api/v1/jobs?per_page=50', post: false },
  create: { title: 'POST /api/v1/jobs (job + event), no endpoints', path: '/api/v1/jobs', post: true },
} as const

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native: bun, JavaScriptCore, SQLite)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1]
  if (pkg) return pkg
  if (url.includes('/src/')) return 'crewbase src/'
  if (url.startsWith('node:') || url.startsWith('bun:') || url.includes('[native code]')) return '(bun built-ins)'
  return url.replace(ROOT, '')
}

function summarize(profile: Profile, title: string, extra: string): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, { us: number; pkg: string }>()
  let total = 0
  let idle = 0
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0
    const frame = byId.get(id)!.callFrame
    if (frame.functionName === '(idle)') return void (idle += us)
    total += us
    const where = frame.url ? `${frame.url.replace(ROOT + '/', '')}:${frame.lineNumber + 1}` : ''
    const key = `${frame.functionName || '(anonymous)'}${where ? ` — ${where}` : ''}`
    const entry = self.get(key) ?? { us: 0, pkg: packageOf(frame.url, frame.functionName) }
    entry.us += us
    self.set(key, entry)
  })
  const pct = (us: number) => `${((us / total) * 100).toFixed(1)} %`
  const packages = new Map<string, number>()
  for (const { us, pkg } of self.values()) packages.set(pkg, (packages.get(pkg) ?? 0) + us)
  const top = [...self.entries()].sort((a, b) => b[1].us - a[1].us).slice(0, 25)
  return [
    `# Profile: ${title} (${label})`,
    '',
    extra,
    '',
    `Busy samples: ${(total / 1000).toFixed(0)} ms of JS thread time (idle ${(idle / 1000).toFixed(0)} ms left out).`,
    '',
    '## Self time by package',
    '',
    '| package | self |',
    '|---|---:|',
    ...[...packages.entries()].sort((a, b) => b[1] - a[1]).map(([pkg, us]) => `| ${pkg} | ${pct(us)} |`),
    '',
    '## Top 25 frames by self time',
    '',
    '| self | frame | package |',
    '|---:|---|---|',
    ...top.map(([key, { us, pkg }]) => `| ${pct(us)} | \`${key.replace(/\|/g, '\\|')}\` | ${pkg} |`),
    '',
  ].join('\n')
}

mkdirSync(join(ROOT, 'bench', 'profiles'), { recursive: true })
for (const name of (scenarios.length ? scenarios : Object.keys(SCENARIOS)) as Array<keyof typeof SCENARIOS>) {
  const scenario = SCENARIOS[name]
  if (!scenario) throw new Error(`unknown scenario ${name}; one of ${Object.keys(SCENARIOS).join(', ')}`)
  const dir = mkdtempSync(join(tmpdir(), 'crewbase-prof-'))
  const db = join(dir, 'db.sqlite')
  copyFileSync(seeded.path, db)
  const port = await freePort()
  const proc = spawn([process.execPath, '--cpu-prof', `--cpu-prof-dir=${dir}`, 'src/main.ts', 'serve'], {
    PORT: String(port),
    HOST: '127.0.0.1',
    CREWBASE_DB: db,
    CREWBASE_RATE_LIMIT: '1000000',
    CREWBASE_LOG_LEVEL: 'warn',
  })
  try {
    const url = `http://127.0.0.1:${port}${scenario.path}`
    await waitFor(`http://127.0.0.1:${port}/health`)
    const o = {
      url,
      connections: 32,
      seconds: SECONDS,
      ...(scenario.post
        ? { method: 'POST' as const, headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Profiled job', priority: 'high' }) }
        : { headers: auth }),
    }
    await runWrk({ ...o, seconds: 2 })
    const load = loadAverage().join(' ')
    const cpu0 = cpuSeconds(proc.pid)
    const result = await runWrk(o)
    const cpuUs = ((cpuSeconds(proc.pid) - cpu0) * 1e6) / result.requests
    proc.kill('SIGTERM')
    await proc.exited
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    if (!file) throw new Error('no .cpuprofile written')
    const profile = (await Bun.file(join(dir, file)).json()) as Profile
    const extra =
      `\`bun bench/profile.ts ${label} ${name}\` at ${new Date().toISOString().slice(0, 16)} UTC, load ${load}: ` +
      `wrk -t1 -c32 -d${SECONDS}s after 2 s of warm-up, ${result.requests} requests, ${result.rps.toFixed(0)} req/s under the profiler, ` +
      `${cpuUs.toFixed(0)} µs of server CPU per request (all threads, /proc). Profiled: \`bun --cpu-prof src/main.ts serve\` (1 ms sampling).`
    const out = join(ROOT, 'bench', 'profiles', `${name}-${label}.md`)
    await Bun.write(out, summarize(profile, scenario.title, extra))
    log(`wrote ${out.replace(ROOT + '/', '')}`)
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}
