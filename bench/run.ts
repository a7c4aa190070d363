// npm run bench — our routes beside a raw Bun.serve + bun:sqlite floor, same run, same data.
// Writes bench/results/latest.json and the chart docs/bench.svg; BENCHMARKS.md quotes them.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { fmt, type LoadResult, runLoad } from './lib/load'
import { freePort, ROOT, rssMiB, spawn, waitFor } from './lib/processes'
import { seedJobs } from './seed'
import { renderChart } from './chart'

const BINARY = join(ROOT, 'dist', 'crewbase')
const DURATION = Number(process.env.BENCH_SECONDS ?? 5) * 1000
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32)
const SIZES = (process.env.BENCH_SIZES ?? '10000,1000000').split(',').map(Number)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const log = (line: string) => process.stderr.write(`${line}\n`)

// Always from the current sources (about a second): a stale binary would measure old code.
log('building dist/crewbase …')
if (Bun.spawnSync([process.execPath, 'run', 'build'], { cwd: ROOT }).exitCode !== 0) throw new Error('build failed')

async function startRoute(dbPath: string) {
  const port = await freePort()
  const proc = spawn([BINARY, 'serve'], {
    PORT: String(port),
    HOST: '127.0.0.1',
    CREWBASE_DB: dbPath,
    CREWBASE_RATE_LIMIT: '1000000',
    CREWBASE_LOG_LEVEL: 'warn',
  })
  await waitFor(`http://127.0.0.1:${port}/health`)
  return { proc, base: `http://127.0.0.1:${port}` }
}

async function startFloor(dbPath: string, orgId: string) {
  const port = await freePort()
  const proc = spawn([process.execPath, 'bench/floor.ts'], { PORT: String(port), CREWBASE_DB: dbPath, BENCH_ORG: orgId })
  await waitFor(`http://127.0.0.1:${port}/health`)
  return { proc, base: `http://127.0.0.1:${port}` }
}

/**
 * The cost the total cache hides: the first list after a write must count again. One POST,
 * then one timed GET, `n` times, one request at a time (route and floor alike: both keep
 * their total until they write a job).
 */
async function coldList(base: string, listPath: string, postPath: string, headers: Record<string, string>, n = 15) {
  const times: number[] = []
  const warm: number[] = []
  for (let i = 0; i < n; i++) {
    const write = await fetch(`${base}${postPath}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Cold count ${i}` }),
    })
    if (write.status !== 201) throw new Error(`POST ${postPath} answered ${write.status}`)
    await write.arrayBuffer()
    const t0 = performance.now()
    const list = await fetch(`${base}${listPath}`, { headers })
    await list.arrayBuffer()
    times.push(performance.now() - t0)
    // The same request again, total now cached, for contrast.
    const t1 = performance.now()
    await (await fetch(`${base}${listPath}`, { headers })).arrayBuffer()
    warm.push(performance.now() - t1)
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  return { p50: median(times), max: Math.max(...times), warmP50: median(warm) }
}

interface Pair {
  name: string
  /** The aim, as a share of the floor's req/s. */
  aim: number
  route: LoadResult
  floor: LoadResult
  ratio: number
}

/**
 * Alternates route and floor ROUNDS times and keeps each one's best round, so neither is
 * favoured by warm-up, and a neighbour's burst on a shared machine costs a round, not the result.
 */
async function compare(name: string, aim: number, route: () => Promise<LoadResult>, floor: () => Promise<LoadResult>): Promise<Pair> {
  const best = (a: LoadResult | undefined, b: LoadResult) => (!a || b.rps > a.rps ? b : a)
  let r: LoadResult | undefined
  let f: LoadResult | undefined
  for (let round = 0; round < ROUNDS; round++) {
    r = best(r, await route())
    f = best(f, await floor())
  }
  const pair = { name, aim, route: r!, floor: f!, ratio: r!.rps / f!.rps }
  log(
    `${name}: route ${fmt(pair.route.rps, 0)} req/s (p50 ${fmt(pair.route.p50, 2)} ms, p99 ${fmt(pair.route.p99, 2)} ms, errors ${pair.route.errors})` +
      ` | floor ${fmt(pair.floor.rps, 0)} req/s (p50 ${fmt(pair.floor.p50, 2)} ms, p99 ${fmt(pair.floor.p99, 2)} ms) | ratio ${fmt(pair.ratio * 100, 0)}%`,
  )
  return pair
}

const pairs: Pair[] = []
const extra: Record<string, number> = {}

for (const size of SIZES) {
  const seeded = await seedJobs(BINARY, size, log)
  const dbPath = join(ROOT, 'bench', '.data', `run-${size}.sqlite`)
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true })
  copyFileSync(seeded.path, dbPath)
  const route = await startRoute(dbPath)
  const floor = await startFloor(dbPath, seeded.orgId)
  const auth = { authorization: `Bearer ${seeded.key}` }
  const load = (url: string, more: Partial<Parameters<typeof runLoad>[0]> = {}) => () =>
    runLoad({ url, headers: auth, concurrency: CONCURRENCY, durationMs: DURATION, warmupMs: 500, ...more })

  const check = await fetch(`${route.base}/api/v1/jobs?per_page=50`, { headers: auth })
  if (check.status !== 200) throw new Error(`GET /api/v1/jobs answered ${check.status}: ${await check.text()}`)
  pairs.push(
    await compare(`GET /api/v1/jobs?per_page=50 @ ${size.toLocaleString('en')} jobs`, 0.6, load(`${route.base}/api/v1/jobs?per_page=50`), load(`${floor.base}/jobs?per_page=50`)),
  )
  {
    const routeCold = await coldList(route.base, '/api/v1/jobs?per_page=50', '/api/v1/jobs', auth)
    const floorCold = await coldList(floor.base, '/jobs?per_page=50', '/jobs', auth)
    extra[`cold_list_route_p50_ms_${size}`] = routeCold.p50
    extra[`cold_list_route_max_ms_${size}`] = routeCold.max
    extra[`cold_list_floor_p50_ms_${size}`] = floorCold.p50
    extra[`warm_list_route_p50_ms_${size}`] = routeCold.warmP50
    extra[`warm_list_floor_p50_ms_${size}`] = floorCold.warmP50
    log(
      `first GET /api/v1/jobs after a write @ ${size.toLocaleString('en')} jobs (count(*) again), one at a time:` +
        ` route p50 ${fmt(routeCold.p50, 1)} ms (max ${fmt(routeCold.max, 1)}, next one ${fmt(routeCold.warmP50, 1)} ms)` +
        ` | floor p50 ${fmt(floorCold.p50, 1)} ms (max ${fmt(floorCold.max, 1)}, next one ${fmt(floorCold.warmP50, 1)} ms)`,
    )
  }
  if (size === SIZES[0]) {
    let i = 0
    const post = (base: string) =>
      load(base, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: () => JSON.stringify({ title: `Bench job ${i++}`, priority: 'high' }),
      })
    pairs.push(await compare('POST /api/v1/jobs (with outbox rows)', 0.5, post(`${route.base}/api/v1/jobs`), post(`${floor.base}/jobs`)))
    extra.rss_after_load_mib = await rssMiB(route.proc.pid)
  }
  route.proc.kill()
  floor.proc.kill()
  await Promise.all([route.proc.exited, floor.proc.exited])
}

// Start-up: spawn → first answered request, and idle RSS, on a fresh database.
{
  const startups: number[] = []
  const rss: number[] = []
  for (let i = 0; i < 5; i++) {
    const dir = join(ROOT, 'bench', '.data', `startup-${i}`)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    const port = await freePort()
    const t0 = performance.now()
    const proc = spawn([BINARY, 'serve'], { PORT: String(port), HOST: '127.0.0.1', CREWBASE_DB: join(dir, 'db.sqlite'), CREWBASE_LOG_LEVEL: 'warn' })
    await waitFor(`http://127.0.0.1:${port}/health`)
    startups.push(performance.now() - t0)
    await Bun.sleep(1000)
    rss.push(await rssMiB(proc.pid))
    proc.kill()
    await proc.exited
  }
  startups.sort((a, b) => a - b)
  extra.startup_ms_median = startups[2]!
  extra.idle_rss_mib_median = rss.sort((a, b) => a - b)[2]!
  log(`start → first answered request: median ${fmt(extra.startup_ms_median, 0)} ms; idle RSS ${fmt(extra.idle_rss_mib_median, 0)} MiB`)
}

const listSmall = pairs.find((p) => p.name.includes(`@ ${SIZES[0]!.toLocaleString('en')}`))
const listLarge = pairs.find((p) => SIZES.length > 1 && p.name.includes(`@ ${SIZES[SIZES.length - 1]!.toLocaleString('en')}`))
if (listSmall && listLarge) {
  extra.list_p50_large_over_small = listLarge.route.p50 / listSmall.route.p50
  log(`list p50 at ${SIZES[SIZES.length - 1]} vs ${SIZES[0]}: ${fmt(extra.list_p50_large_over_small, 2)}×`)
}

const results = {
  at: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, bun ${Bun.version}`,
  settings: { duration_s: DURATION / 1000, rounds: ROUNDS, concurrency: CONCURRENCY, sizes: SIZES },
  pairs: pairs.map((p) => ({
    name: p.name,
    ratio: Number(p.ratio.toFixed(3)),
    aim: p.aim,
    route: { rps: Math.round(p.route.rps), p50_ms: Number(p.route.p50.toFixed(2)), p99_ms: Number(p.route.p99.toFixed(2)), errors: p.route.errors },
    floor: { rps: Math.round(p.floor.rps), p50_ms: Number(p.floor.p50.toFixed(2)), p99_ms: Number(p.floor.p99.toFixed(2)), errors: p.floor.errors },
  })),
  extra,
}
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true })
await Bun.write(join(ROOT, 'bench', 'results', 'latest.json'), JSON.stringify(results, null, 2) + '\n')
await Bun.write(
  join(ROOT, 'docs', 'bench.svg'),
  renderChart(
    results.pairs,
    `npm run bench, ${results.at.slice(0, 16).replace('T', ' ')} UTC, ${results.machine}: ${CONCURRENCY} clients on loopback, best of ${ROUNDS} alternating ${DURATION / 1000} s rounds`,
  ),
)
log('wrote bench/results/latest.json and docs/bench.svg')
