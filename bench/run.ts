// npm run bench — the built binary beside a raw Bun.serve + bun:sqlite floor binary, same run,
// same data, driven by wrk. Writes bench/results/<time>.json and latest.json, and the chart
// docs/bench.svg; BENCHMARKS.md quotes every run. The fairness rules are in BENCHMARKS.md.
//
//   BENCH_SECONDS (5)  BENCH_ROUNDS (3)  BENCH_CONNECTIONS (32)  BENCH_SIZES (10000,1000000)
//   BENCH_ONLY=list,create,events,latency,start (all)
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { renderChart } from './chart'
import { cpuSeconds, freePort, loadAverage, ROOT, rssMiB, spawn, waitFor } from './lib/processes'
import { startReceiver } from './lib/receiver'
import { ensureWrk, runWrk, type WrkOptions, type WrkResult } from './lib/wrk'
import { seedJobs } from './seed'

const BINARY = join(ROOT, 'dist', 'crewbase')
const FLOOR = join(ROOT, 'bench', '.data', 'floor')
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const SIZES = (process.env.BENCH_SIZES ?? '10000,1000000').split(',').map(Number)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const ONLY = new Set((process.env.BENCH_ONLY ?? 'list,create,events,latency,start').split(','))
const log = (line: string) => process.stderr.write(`${line}\n`)
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–')
const load = () => loadAverage().join(' ')

ensureWrk(log)
// Always from the current sources (about a second each): a stale binary would measure old code.
log('building dist/crewbase and the floor binary …')
mkdirSync(join(ROOT, 'bench', '.data'), { recursive: true })
for (const cmd of [
  [process.execPath, 'run', 'build'],
  [process.execPath, 'build', 'bench/floor.ts', '--compile', '--minify', '--outfile', FLOOR],
]) {
  const built = Bun.spawnSync(cmd, { cwd: ROOT, stdout: 'ignore', stderr: 'pipe' })
  if (built.exitCode !== 0) throw new Error(`${cmd.join(' ')} failed:\n${built.stderr.toString()}`)
}

type Proc = ReturnType<typeof spawn>
interface Server {
  proc: Proc
  base: string
  stop(): Promise<void>
}

async function startServer(cmd: string[], env: Record<string, string>): Promise<Server> {
  const port = await freePort()
  const proc = spawn(cmd, { PORT: String(port), HOST: '127.0.0.1', CREWBASE_LOG_LEVEL: 'warn', ...env })
  const base = `http://127.0.0.1:${port}`
  await waitFor(`${base}/health`)
  return {
    proc,
    base,
    async stop() {
      proc.kill('SIGTERM')
      const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(12_000).then(() => false)])
      if (!exited) proc.kill('SIGKILL')
      await proc.exited
    },
  }
}

const startRoute = (db: string, env: Record<string, string> = {}) =>
  startServer([BINARY, 'serve'], { CREWBASE_DB: db, CREWBASE_RATE_LIMIT: '1000000', ...env })
const startFloor = (db: string, orgId: string) => startServer([FLOOR], { CREWBASE_DB: db, BENCH_ORG: orgId })

/** A fresh copy of a seeded database, so every scenario starts from the same file. */
function copyDb(seeded: string, name: string) {
  const path = join(ROOT, 'bench', '.data', `${name}.sqlite`)
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
  copyFileSync(seeded, path)
  return path
}

interface Side extends WrkResult {
  /** Server CPU (user + system, every thread) per request, µs. */
  cpuUs: number
}

/** One wrk run against `server`, with the server's CPU time read from /proc before and after. */
async function measure(server: Server, o: WrkOptions): Promise<Side> {
  const cpu0 = cpuSeconds(server.proc.pid)
  const result = await runWrk(o)
  const cpu = cpuSeconds(server.proc.pid) - cpu0
  return { ...result, cpuUs: (cpu * 1e6) / Math.max(1, result.requests) }
}

interface Pair {
  name: string
  /** The aim, as a share of the floor's req/s. */
  aim: number
  rounds: Array<{ route: Side; floor: Side; load: string }>
  route: Side
  floor: Side
  ratio: number
}

/**
 * Route and floor alternate ROUNDS times (after a 2 s warm-up each); the ratio is of each
 * side's best round, so a neighbour's burst on a shared machine costs a round, not the result.
 * Every round is kept in the results.
 */
async function compare(name: string, aim: number, route: [Server, WrkOptions], floor: [Server, WrkOptions]): Promise<Pair> {
  await runWrk({ ...route[1], seconds: 2 })
  await runWrk({ ...floor[1], seconds: 2 })
  const rounds: Pair['rounds'] = []
  for (let round = 0; round < ROUNDS; round++) {
    const l = load()
    const r = await measure(...route)
    const f = await measure(...floor)
    rounds.push({ route: r, floor: f, load: l })
    log(`  round ${round + 1} (load ${l}): route ${fmt(r.rps, 0)} req/s ${fmt(r.cpuUs, 0)} µs CPU/req | floor ${fmt(f.rps, 0)} req/s ${fmt(f.cpuUs, 0)} µs CPU/req | ${fmt((r.rps / f.rps) * 100, 0)}%`)
  }
  const best = (side: 'route' | 'floor') => rounds.map((x) => x[side]).reduce((a, b) => (b.rps > a.rps ? b : a))
  const pair = { name, aim, rounds, route: best('route'), floor: best('floor'), ratio: best('route').rps / best('floor').rps }
  log(
    `${name}: route ${fmt(pair.route.rps, 0)} req/s (p50 ${fmt(pair.route.p50, 2)} ms, p99 ${fmt(pair.route.p99, 2)} ms, ${fmt(pair.route.cpuUs, 0)} µs CPU/req, errors ${pair.route.errors})` +
      ` | floor ${fmt(pair.floor.rps, 0)} req/s (p50 ${fmt(pair.floor.p50, 2)} ms, ${fmt(pair.floor.cpuUs, 0)} µs CPU/req) | ratio ${fmt(pair.ratio * 100, 0)}%`,
  )
  return pair
}

/**
 * The cost the total cache hides: the first list after a write must count again. One POST,
 * then one timed GET, `n` times, one request at a time (route and floor alike: both keep
 * their total until they write a job). Sequential, so the JS client is fine here.
 */
async function coldList(base: string, listPath: string, postPath: string, headers: Record<string, string>, n = 15) {
  const cold: number[] = []
  const warm: number[] = []
  for (let i = 0; i < n; i++) {
    const write = await fetch(`${base}${postPath}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ title: `Cold count ${i}` }) })
    if (write.status !== 201) throw new Error(`POST ${postPath} answered ${write.status}`)
    await write.arrayBuffer()
    for (const into of [cold, warm]) {
      const t0 = performance.now()
      await (await fetch(`${base}${listPath}`, { headers })).arrayBuffer()
      into.push(performance.now() - t0)
    }
  }
  return { p50: median(cold), max: Math.max(...cold), warmP50: median(warm) }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

const pairs: Pair[] = []
const extra: Record<string, unknown> = {}
const JOB_BODY = JSON.stringify({ title: 'Bench job: replace boiler valve', priority: 'high' })
const jsonPost = (headers: Record<string, string>) => ({ method: 'POST' as const, headers: { ...headers, 'content-type': 'application/json' }, body: JOB_BODY })

log(`load at start: ${load()}`)
extra.load_at_start = load()
const first = await seedJobs(BINARY, SIZES[0]!, log)

for (const size of ONLY.has('list') || ONLY.has('create') ? SIZES : []) {
  const seeded = await seedJobs(BINARY, size, log)
  const db = copyDb(seeded.path, `run-${size}`)
  const route = await startRoute(db)
  const floor = await startFloor(db, seeded.orgId)
  try {
    const auth = { authorization: `Bearer ${seeded.key}` }
    const check = await fetch(`${route.base}/api/v1/jobs?per_page=50`, { headers: auth })
    if (check.status !== 200) throw new Error(`GET /api/v1/jobs answered ${check.status}: ${await check.text()}`)
    const wrk = (url: string, more: Partial<WrkOptions> = {}): WrkOptions => ({ url, headers: auth, connections: CONNECTIONS, seconds: SECONDS, ...more })
    if (ONLY.has('list')) {
      pairs.push(
        await compare(
          `GET /api/v1/jobs?per_page=50 @ ${size.toLocaleString('en')} jobs`,
          0.7,
          [route, wrk(`${route.base}/api/v1/jobs?per_page=50`)],
          [floor, wrk(`${floor.base}/jobs?per_page=50`)],
        ),
      )
      const routeCold = await coldList(route.base, '/api/v1/jobs?per_page=50', '/api/v1/jobs', auth)
      const floorCold = await coldList(floor.base, '/jobs?per_page=50', '/jobs', auth)
      extra[`cold_list_${size}`] = { route: routeCold, floor: floorCold }
      log(
        `first GET after a write @ ${size.toLocaleString('en')} jobs (count again), one at a time: route p50 ${fmt(routeCold.p50)} ms (max ${fmt(routeCold.max)}, next ${fmt(routeCold.warmP50)})` +
          ` | floor p50 ${fmt(floorCold.p50)} ms (max ${fmt(floorCold.max)}, next ${fmt(floorCold.warmP50)})`,
      )
    }
    if (ONLY.has('create') && size === SIZES[0]) {
      pairs.push(
        await compare(
          'POST /api/v1/jobs (job + event), no endpoints',
          0.6,
          [route, wrk(`${route.base}/api/v1/jobs`, jsonPost(auth))],
          [floor, wrk(`${floor.base}/jobs`, jsonPost(auth))],
        ),
      )
      extra.rss_after_load_mib = { route: await rssMiB(route.proc.pid), floor: await rssMiB(floor.proc.pid) }
    }
  } finally {
    await route.stop()
    await floor.stop()
  }
}

// Webhooks end to end, against the binary: one endpoint on a loopback receiver (in this process).
if (ONLY.has('events') || ONLY.has('latency')) {
  const receiver = startReceiver()
  const db = copyDb(first.path, 'run-webhooks')
  const route = await startRoute(db, { CREWBASE_WEBHOOK_ALLOW_INSECURE: 'true' })
  try {
    const auth = { authorization: `Bearer ${first.key}`, 'content-type': 'application/json' }
    const made = await fetch(`${route.base}/api/v1/webhooks`, { method: 'POST', headers: auth, body: JSON.stringify({ url: receiver.url, events: ['*'] }) })
    if (made.status !== 201) throw new Error(`POST /api/v1/webhooks answered ${made.status}: ${await made.text()}`)
    const post = () => fetch(`${route.base}/api/v1/jobs`, { method: 'POST', headers: auth, body: JOB_BODY })

    if (ONLY.has('latency')) {
      // Commit → first delivery, one job at a time: from sending the POST (so the figure also
      // holds the request's own work before its commit: an upper bound) to the receiver having it.
      // wrk cannot tie a request to a webhook, so this one is the JS client, sequential.
      const latencies: number[] = []
      const answers: number[] = []
      const l = load()
      for (let i = 0; i < 320; i++) {
        const arrived = receiver.next()
        const t0 = performance.now()
        const response = await post()
        if (response.status !== 201) throw new Error(`POST /api/v1/jobs answered ${response.status}`)
        await response.arrayBuffer()
        const answered = performance.now()
        const at = await Promise.race([arrived, Bun.sleep(5000).then(() => Number.NaN)])
        if (Number.isNaN(at)) throw new Error('a delivery did not arrive within 5 s')
        if (i >= 20) {
          latencies.push(at - t0)
          answers.push(answered - t0)
        }
      }
      extra.commit_to_delivery = { p50_ms: percentile(latencies, 50), p99_ms: percentile(latencies, 99), max_ms: Math.max(...latencies), post_p50_ms: percentile(answers, 50), n: latencies.length, load: l }
      log(`POST sent → webhook received, ${latencies.length} one at a time (load ${l}): p50 ${fmt(percentile(latencies, 50), 2)} ms, p99 ${fmt(percentile(latencies, 99), 2)} ms (the POST's own answer: p50 ${fmt(percentile(answers, 50), 2)} ms)`)
    }

    if (ONLY.has('events')) {
      // Events created and delivered end to end: wrk creates jobs (one job.created each) for
      // SECONDS; the figure is events delivered over the time from the first POST to the last delivery.
      const rounds: Array<{ created: number; createdPerS: number; deliveredPerS: number; cpuUsPerEvent: number; load: string }> = []
      for (let round = 0; round < ROUNDS; round++) {
        const l = load()
        const start = receiver.count
        const cpu0 = cpuSeconds(route.proc.pid)
        const t0 = performance.now()
        const result = await runWrk({ url: `${route.base}/api/v1/jobs`, ...jsonPost({ authorization: auth.authorization }), connections: CONNECTIONS, seconds: SECONDS })
        const created = result.requests - result.errors
        const drained = await receiver.waitForCount(start + created, 60_000)
        const elapsed = (drained - t0) / 1000
        const cpu = cpuSeconds(route.proc.pid) - cpu0
        rounds.push({ created, createdPerS: result.rps, deliveredPerS: created / elapsed, cpuUsPerEvent: (cpu * 1e6) / created, load: l })
        log(`  events round ${round + 1} (load ${l}): ${created} created at ${fmt(result.rps, 0)}/s, all delivered at ${fmt(created / elapsed, 0)}/s end to end, ${fmt((cpu * 1e6) / created, 0)} µs server CPU per event`)
        await Bun.sleep(500)
      }
      const best = rounds.reduce((a, b) => (b.deliveredPerS > a.deliveredPerS ? b : a))
      extra.events_end_to_end = { best, rounds }
      log(`events created and delivered end to end, one endpoint: best ${fmt(best.deliveredPerS, 0)}/s`)
    }
  } finally {
    await route.stop()
    receiver.stop()
  }
}

// Start-up (spawn → first answered /health, then the first list) and idle RSS, on an existing
// database (the seeded 10 k jobs, migrated): our binary and the floor binary, alternately.
if (ONLY.has('start')) {
  const runs: Array<{ route: { startMs: number; firstListMs: number; rssMiB: number }; floor: { startMs: number; rssMiB: number }; load: string }> = []
  for (let i = 0; i < 5; i++) {
    const l = load()
    const one = async (cmd: string[], env: Record<string, string>, listPath: string) => {
      const db = copyDb(first.path, 'run-start')
      const port = await freePort()
      const base = `http://127.0.0.1:${port}`
      const t0 = performance.now()
      const proc = spawn(cmd, { PORT: String(port), HOST: '127.0.0.1', CREWBASE_DB: db, CREWBASE_LOG_LEVEL: 'warn', ...env })
      try {
        await waitFor(`${base}/health`, 15_000, 1)
        const startMs = performance.now() - t0
        const t1 = performance.now()
        const list = await fetch(`${base}${listPath}`, { headers: { authorization: `Bearer ${first.key}` } })
        await list.arrayBuffer()
        const firstListMs = performance.now() - t1
        await Bun.sleep(1000)
        return { startMs, firstListMs, rssMiB: await rssMiB(proc.pid) }
      } finally {
        proc.kill('SIGTERM')
        await proc.exited
      }
    }
    const route = await one([BINARY, 'serve'], {}, '/api/v1/jobs?per_page=50')
    const floor = await one([FLOOR], { BENCH_ORG: first.orgId }, '/jobs?per_page=50')
    runs.push({ route, floor: { startMs: floor.startMs, rssMiB: floor.rssMiB }, load: l })
    log(`  start ${i + 1} (load ${l}): route ${fmt(route.startMs, 0)} ms, first list ${fmt(route.firstListMs, 1)} ms, idle RSS ${fmt(route.rssMiB, 0)} MiB | floor ${fmt(floor.startMs, 0)} ms, ${fmt(floor.rssMiB, 0)} MiB`)
  }
  const m = (f: (r: (typeof runs)[number]) => number) => median(runs.map(f))
  extra.startup = {
    route_start_ms_median: m((r) => r.route.startMs),
    route_first_list_ms_median: m((r) => r.route.firstListMs),
    route_idle_rss_mib_median: m((r) => r.route.rssMiB),
    floor_start_ms_median: m((r) => r.floor.startMs),
    floor_idle_rss_mib_median: m((r) => r.floor.rssMiB),
    runs,
  }
  log(
    `start → first answer (existing database): median ${fmt(m((r) => r.route.startMs), 0)} ms (floor ${fmt(m((r) => r.floor.startMs), 0)} ms); ` +
      `idle RSS ${fmt(m((r) => r.route.rssMiB), 0)} MiB (floor ${fmt(m((r) => r.floor.rssMiB), 0)} MiB)`,
  )
}

extra.load_at_end = load()
const round = (n: number, d = 2) => Number(n.toFixed(d))
const side = (s: Side) => ({ rps: Math.round(s.rps), p50_ms: round(s.p50), p99_ms: round(s.p99), cpu_us_per_req: Math.round(s.cpuUs), errors: s.errors })
const git = (args: string[]) => Bun.spawnSync(['git', ...args], { cwd: ROOT }).stdout.toString().trim()
const results = {
  at: new Date().toISOString(),
  // What was measured: the commit, and whether the tree had changes on top of it.
  commit: `${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--', 'src', 'db', 'package.json']) ? '+changes' : ''}`,
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, bun ${Bun.version}, wrk -t1 -c${CONNECTIONS}`,
  settings: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, sizes: SIZES, only: [...ONLY] },
  pairs: pairs.map((p) => ({
    name: p.name,
    ratio: round(p.ratio, 3),
    aim: p.aim,
    route: side(p.route),
    floor: side(p.floor),
    rounds: p.rounds.map((r) => ({ load: r.load, route: side(r.route), floor: side(r.floor) })),
  })),
  extra,
}
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true })
const json = JSON.stringify(results, null, 2) + '\n'
await Bun.write(join(ROOT, 'bench', 'results', `${results.at.slice(0, 16).replace(':', '')}.json`), json)
await Bun.write(join(ROOT, 'bench', 'results', 'latest.json'), json)
if (pairs.length > 0) {
  await Bun.write(
    join(ROOT, 'docs', 'bench.svg'),
    renderChart(
      results.pairs,
      `npm run bench, ${results.at.slice(0, 16).replace('T', ' ')} UTC, ${results.machine}, loopback; best of ${ROUNDS} alternating ${SECONDS} s rounds; load ${extra.load_at_start}`,
    ),
  )
}
log(`load at end: ${extra.load_at_end}`)
log('wrote bench/results/latest.json' + (pairs.length > 0 ? ' and docs/bench.svg' : ''))
