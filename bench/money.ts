// bun bench/money.ts — the money hot paths on the built binary: a page of 50 invoices with
// 5 line items each (one query for all their lines), and recording payments on one invoice
// (serialized per invoice by design). Prints one line per scenario.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, ROOT, spawn, waitFor } from './lib/processes'
import { ensureWrk, runWrk } from './lib/wrk'

const BINARY = join(ROOT, 'dist', 'crewbase')
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16)
const fmt = (n: number, digits = 1) => n.toFixed(digits)
ensureWrk((line) => process.stderr.write(`${line}\n`))
const INVOICES = 500

const db = join(mkdtempSync(join(tmpdir(), 'crewbase-bench-money-')), 'db.sqlite')
const init = Bun.spawnSync([BINARY, 'init', '--org', 'Bench', '--email', 'b@example.com', '--password', 'bench-password', '--json'], {
  env: { ...process.env, CREWBASE_DB: db },
})
const key = JSON.parse(init.stdout.toString()).api_key.key as string
const port = await freePort()
const server = spawn([BINARY, 'serve'], { PORT: String(port), HOST: '127.0.0.1', CREWBASE_DB: db, CREWBASE_RATE_LIMIT: '1000000', CREWBASE_LOG_LEVEL: 'warn' })
const base = `http://127.0.0.1:${port}/api/v1`
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
const post = async (path: string, body: unknown) => (await (await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as any

try {
  await waitFor(`http://127.0.0.1:${port}/health`)
  const client = (await post('/clients', { name: 'Bench client' })).data.id
  const lines = [1.5, 2, 0.25, 3.333, 1].map((quantity, i) => ({ description: `Line ${i}`, quantity, unit_price_cents: 1999 + i, tax_rate_bps: 825 }))
  for (let i = 0; i < INVOICES; i++) await post('/invoices', { client_id: client, line_items: lines })
  const big = (await post('/invoices', { client_id: client, line_items: [{ description: 'Big', unit_price_cents: 10_000_000_000 }] })).data.id
  await post(`/invoices/${big}/send`, {})

  const listOptions = { url: `${base}/invoices?per_page=50&page=3`, headers, connections: CONNECTIONS, seconds: SECONDS }
  await runWrk({ ...listOptions, seconds: 1 })
  const list = await runWrk(listOptions)
  console.log(`GET /invoices?per_page=50 (250 lines/page): ${fmt(list.rps, 0)} req/s, p50 ${fmt(list.p50, 2)} ms, p99 ${fmt(list.p99, 2)} ms, errors ${list.errors}`)
  const pay = await runWrk({
    url: `${base}/payments`,
    method: 'POST',
    headers,
    body: JSON.stringify({ invoice_id: big, amount_cents: 1, method: 'card' }),
    connections: CONNECTIONS,
    seconds: SECONDS,
  })
  const paid = (await (await fetch(`${base}/invoices/${big}`, { headers })).json()) as any
  console.log(
    `POST /payments on one invoice: ${fmt(pay.rps, 0)} req/s, p50 ${fmt(pay.p50, 2)} ms, p99 ${fmt(pay.p99, 2)} ms, errors ${pay.errors}; ` +
      // wrk stops with up to CONNECTIONS requests in flight: the server may have applied those unacknowledged.
      `amount_paid_cents ${paid.data.amount_paid_cents}, acknowledged payments of 1 cent ${pay.requests - pay.errors} (+ up to ${CONNECTIONS} in flight at the stop)`,
  )
} finally {
  server.kill()
  await server.exited
}
