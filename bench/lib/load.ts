/** A small closed-loop load generator: `concurrency` workers send requests back to back for `durationMs`. */
export interface LoadOptions {
  url: string | (() => string)
  method?: string
  headers?: Record<string, string>
  body?: () => string
  concurrency: number
  durationMs: number
  warmupMs?: number
}

export interface LoadResult {
  requests: number
  rps: number
  p50: number
  p99: number
  errors: number
  statuses: Record<number, number>
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const urlOf = typeof options.url === 'function' ? options.url : () => options.url as string
  const send = () =>
    fetch(urlOf(), { method: options.method ?? 'GET', headers: options.headers, body: options.body?.() }).then(async (r) => {
      await r.arrayBuffer()
      return r.status
    })
  if (options.warmupMs) {
    const until = performance.now() + options.warmupMs
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < until) await send().catch(() => 0)
      }),
    )
  }
  const latencies: number[] = []
  const statuses: Record<number, number> = {}
  let errors = 0
  const started = performance.now()
  const until = started + options.durationMs
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now()
        const status = await send().catch(() => 0)
        latencies.push(performance.now() - t0)
        statuses[status] = (statuses[status] ?? 0) + 1
        if (status === 0 || status >= 400) errors++
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  const sorted = Float64Array.from(latencies).sort()
  return {
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors,
    statuses,
  }
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–')
