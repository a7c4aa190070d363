/**
 * HTTP load with `wrk` (C, one thread, Debian's package): a JavaScript generator on the same two
 * cores takes a large share of the CPU itself, slows server and floor down together and pushes
 * their ratio toward 100 %, hiding our cost. wrk on one thread leaves the other core to the server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface WrkOptions {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  connections: number
  seconds: number
}

export interface WrkResult {
  requests: number
  rps: number
  /** Latencies in ms (wrk's own histogram, closed loop: mostly queueing at 32 connections). */
  p50: number
  p99: number
  /** Socket errors, timeouts and answers that are not 2xx. */
  errors: number
}

/** Installs wrk from Debian when it is missing (the bench's own setup; needs root or sudo-less apt). */
export function ensureWrk(log: (line: string) => void) {
  if (Bun.which('wrk')) return
  log('wrk is missing: apt-get install -y wrk …')
  const install = Bun.spawnSync(['apt-get', 'install', '-y', 'wrk'], { stdout: 'ignore', stderr: 'pipe' })
  if (install.exitCode !== 0 || !Bun.which('wrk')) {
    throw new Error(`could not install wrk (apt-get install -y wrk): ${install.stderr.toString().trim()}`)
  }
}

const lua = (o: WrkOptions) => `
wrk.method = ${JSON.stringify(o.method ?? 'GET')}
${o.body === undefined ? '' : `wrk.body = ${JSON.stringify(o.body)}`}
${Object.entries(o.headers ?? {})
  .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
  .join('\n')}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\nWRK_JSON {"requests":%d,"duration_us":%d,"errors":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`

/** One wrk run; resolves when it ends. Bounded by `seconds` (wrk stops itself) and a kill after twice that. */
export async function runWrk(o: WrkOptions): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'crewbase-wrk-'))
  const script = join(dir, 'script.lua')
  writeFileSync(script, lua(o))
  try {
    const proc = Bun.spawn(['wrk', '-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--timeout', '5s', '-s', script, o.url], {
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const killer = setTimeout(() => proc.kill(), (o.seconds * 2 + 10) * 1000)
    const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
    clearTimeout(killer)
    const line = /WRK_JSON (\{.*\})/.exec(out)?.[1]
    if (!line) throw new Error(`wrk gave no result:\n${out}\n${err}`)
    const r = JSON.parse(line) as { requests: number; duration_us: number; errors: number; p50_us: number; p99_us: number }
    return { requests: r.requests, rps: r.requests / (r.duration_us / 1e6), p50: r.p50_us / 1000, p99: r.p99_us / 1000, errors: r.errors }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
