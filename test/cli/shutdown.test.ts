import { Database } from 'bun:sqlite'
import { afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { ensureBinary, type RunningServer, runBinary, startBinary, tempDir } from '../helpers/binary'

// SIGTERM against the built binary: stop accepting, let what is in flight finish (requests
// and webhook attempts, bounded), give back the leases of what could not finish, exit 0.

const ENV = { CREWBASE_WEBHOOK_ALLOW_INSECURE: 'true', CREWBASE_RATE_LIMIT: '1000000', CREWBASE_LOG_LEVEL: 'info' }

beforeAll(() => {
  ensureBinary()
})

interface Hit {
  deliveryId: string
  type: string
}

/** A webhook receiver that holds each request `delayMs` before answering 200. */
function slowReceiver(delayMs: number) {
  const hits: Hit[] = []
  let arrived: (() => void) | null = null
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    idleTimeout: 30,
    async fetch(request) {
      const body = JSON.parse(await request.text())
      hits.push({ deliveryId: request.headers.get('x-crewbase-delivery')!, type: body.type })
      arrived?.()
      await Bun.sleep(delayMs)
      return new Response('ok')
    },
  })
  return {
    url: `http://127.0.0.1:${server.port}/hook`,
    hits,
    /** Resolves when the receiver holds its `count`-th request. */
    holding: (count: number) =>
      new Promise<void>((resolve) => {
        if (hits.length >= count) return resolve()
        arrived = () => {
          if (hits.length >= count) resolve()
        }
      }),
    stop: () => server.stop(true),
  }
}

async function setUp(receiverUrl: string, events: string[]) {
  const dbPath = join(tempDir(), 'crewbase.sqlite')
  const init = runBinary(['init', '--org', 'Quit', '--email', 'quit@example.com', '--password', 'password1', '--json'], { CREWBASE_DB: dbPath })
  expect(init.code).toBe(0)
  const headers = { authorization: `Bearer ${JSON.parse(init.stdout).api_key.key}`, 'content-type': 'application/json' }
  const server = await startBinary(ENV, dbPath)
  const created = await fetch(`${server.url}/api/v1/webhooks`, { method: 'POST', headers, body: JSON.stringify({ url: receiverUrl, events }) })
  expect(created.status).toBe(201)
  const endpointId = ((await created.json()) as { data: { id: string } }).data.id
  return { dbPath, headers, server, endpointId }
}

function deliveryRow(dbPath: string, id: string) {
  const db = new Database(dbPath, { readonly: true })
  const row = db.query('select status, lease_token, attempt_count from deliveries where id = ?').get(id) as {
    status: string
    lease_token: string | null
    attempt_count: number
  } | null
  db.close()
  return row
}

const refusesConnections = (port: number) =>
  Bun.connect({ hostname: '127.0.0.1', port, socket: { data() {} } }).then(
    (socket) => {
      socket.end()
      return false
    },
    () => true,
  )

describe('graceful shutdown of the built binary', () => {
  const cleanup: Array<() => unknown> = []
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step()
  })

  test('a request in flight when SIGTERM arrives still gets its answer, new connections are refused, and the exit code is 0', async () => {
    const receiver = slowReceiver(1000)
    cleanup.push(receiver.stop)
    const { server, headers, endpointId } = await setUp(receiver.url, ['job.created'])
    cleanup.push(() => server.stop('SIGKILL'))

    // The Test button answers only once its attempt is over: about a second from now.
    const answer = fetch(`${server.url}/api/v1/webhooks/${endpointId}/test`, { method: 'POST', headers })
    await receiver.holding(1)
    const signalledAt = performance.now()
    server.proc.kill('SIGTERM')
    await Bun.sleep(100)
    expect(await refusesConnections(server.port)).toBe(true)

    const res = await answer
    expect(res.status).toBe(200)
    const body = (await res.json()) as { data: { succeeded: boolean; attempt: { status_code: number } } }
    expect(body.data.succeeded).toBe(true)
    expect(body.data.attempt.status_code).toBe(200)
    expect(await server.proc.exited).toBe(0)
    expect(performance.now() - signalledAt).toBeLessThan(10_000)
    expect(server.stderr()).toContain('stopped')
  }, 30_000)

  test('a delivery in flight at SIGTERM finishes and is recorded before the process exits 0', async () => {
    const receiver = slowReceiver(1000)
    cleanup.push(receiver.stop)
    const { server, headers, dbPath } = await setUp(receiver.url, ['job.created'])
    cleanup.push(() => server.stop('SIGKILL'))

    const job = await fetch(`${server.url}/api/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ title: 'Quit mid-delivery' }) })
    expect(job.status).toBe(201)
    await receiver.holding(1)
    server.proc.kill('SIGTERM')
    expect(await server.proc.exited).toBe(0)

    const { deliveryId } = receiver.hits[0]!
    expect(deliveryRow(dbPath, deliveryId)).toEqual({ status: 'succeeded', lease_token: null, attempt_count: 1 })
  }, 30_000)

  test('a delivery whose receiver outlasts the shutdown bound gives its lease back and goes out with the same id on the next start', async () => {
    // Longer than the dispatcher's stop wait (5 s), shorter than the attempt timeout (10 s).
    const receiver = slowReceiver(8000)
    cleanup.push(receiver.stop)
    const { server, headers, dbPath } = await setUp(receiver.url, ['job.created'])
    cleanup.push(() => server.stop('SIGKILL'))

    const job = await fetch(`${server.url}/api/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ title: 'Quit while the receiver dawdles' }) })
    expect(job.status).toBe(201)
    await receiver.holding(1)
    const signalledAt = performance.now()
    server.proc.kill('SIGTERM')
    expect(await server.proc.exited).toBe(0)
    expect(performance.now() - signalledAt).toBeLessThan(10_000)

    const { deliveryId } = receiver.hits[0]!
    // Nothing recorded for the cut-off attempt, and no lease left for a dead process.
    expect(deliveryRow(dbPath, deliveryId)).toEqual({ status: 'pending', lease_token: null, attempt_count: 0 })

    const again = await startBinary(ENV, dbPath)
    cleanup.push(() => again.stop('SIGKILL'))
    await receiver.holding(2)
    expect(receiver.hits.map((hit) => hit.deliveryId)).toEqual([deliveryId, deliveryId])
  }, 60_000)
})
