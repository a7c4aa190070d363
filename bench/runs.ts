#!/usr/bin/env bun
/**
 * Every run of a day as a Markdown table, for BENCHMARKS.md: `bun bench/runs.ts [YYYY-MM-DD]`
 * (default today). Reads bench/results/<day>T*.json as `npm run bench` wrote them; a run
 * that measured only some scenarios (BENCH_ONLY) shows – for the others.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './lib/processes'

const day = process.argv[2] ?? new Date().toISOString().slice(0, 10)
const dir = join(ROOT, 'bench', 'results')
const files = readdirSync(dir).filter((f) => f.startsWith(`${day}T`) && f.endsWith('.json')).sort()

interface Side { rps: number; cpu_us_per_req: number }
interface Pair { name: string; ratio: number; route: Side; floor: Side }
const pct = (n: number) => `${Math.round(n * 100)} %`
const cell = (pair: Pair | undefined) =>
  pair ? `**${pct(pair.ratio)}** (${pair.route.rps} / ${pair.floor.rps}; ${pair.route.cpu_us_per_req} / ${pair.floor.cpu_us_per_req} µs)` : '–'

const rows = ['| run (UTC) | commit | load (1/5/15 min) | list @ 10 k | list @ 1 M | create | events/s e2e | commit → delivery p50 / p99 | start / idle RSS |', '|---|---|---|---|---|---|---:|---|---|']
for (const file of files) {
  const r = (await Bun.file(join(dir, file)).json()) as { at: string; commit?: string; pairs: Pair[]; extra: Record<string, any> }
  const find = (text: string) => r.pairs.find((p) => p.name.includes(text))
  const e2e = r.extra.events_end_to_end?.best
  const lat = r.extra.commit_to_delivery
  const start = r.extra.startup
  rows.push(
    [
      r.at.slice(11, 16),
      r.commit ?? '–',
      r.extra.load_at_start ?? '–',
      cell(find('@ 10,000')),
      cell(find('@ 1,000,000')),
      cell(find('POST')),
      e2e ? `${Math.round(e2e.deliveredPerS)} (${Math.round(e2e.cpuUsPerEvent)} µs)` : '–',
      lat ? `${lat.p50_ms.toFixed(2)} / ${lat.p99_ms.toFixed(1)} ms` : '–',
      start ? `${Math.round(start.route_start_ms_median)} ms (floor ${Math.round(start.floor_start_ms_median)}) / ${Math.round(start.route_idle_rss_mib_median)} MiB (floor ${Math.round(start.floor_idle_rss_mib_median)})` : '–',
    ].join(' | ').replace(/^/, '| ').replace(/$/, ' |'),
  )
}
console.log(rows.join('\n'))
console.log('\nRatio cells: route / floor req/s of each side\'s best round; then route / floor server CPU µs per request. e2e: best round, server CPU µs per event in brackets.')
