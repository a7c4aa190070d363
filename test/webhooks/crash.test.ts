import { Database } from 'bun:sqlite'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { ensureBinary, type RunningServer, runBinary, startBinary, tempDir } from '../helpers/binary'

// kill -9 of the real binary in the middle of a storm of writes: every write that was
// acknowledged must reach the subscriber at least once, and a re-send carries the same
// delivery id as the attempt the crash cut off.

const ENV = {
  CREWBASE_WEBHOOK_ALLOW_INSECURE: 'true',
  CREWBASE_WEBHOOK_TIMEOUT_MS: '1000', // leases run out 6 s after a claim
  CREWBASE_WEBHOOK_RETRY_SCHEDULE: '1,1,1,1,1',
  CREWBASE_RATE_LIMIT: '1000000',
  CREWBASE_LOG_LEVEL: 'error',
}

interface Arrival {
  deliveryId: string
  eventId: string
  jobId: string
}

beforeAll(() => {
  ensureBinary()
})

describe('crash safety of the built binary', () => {
  const arrivals: Arrival[] = []
  // A slow receiver keeps deliveries queued and in flight while the writes pour in.
  const receiver = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const body = JSON.parse(await request.text())
      arrivals.push({ deliveryId: request.headers.get('x-crewbase-delivery')!, eventId: body.id, jobId: body.data.object.id })
      await Bun.sleep(100)
      return new Response('ok')
    },
  })
  let server: RunningServer | null = null
  afterAll(async () => {
    await server?.stop('SIGKILL')
    receiver.stop(true)
  })

  test(
    'every acknowledged write is delivered after kill -9 and restart, re-sends keeping their delivery id',
    async () => {
      const dir = tempDir()
      const dbPath = join(dir, 'crewbase.sqlite')
      const init = runBinary(['init', '--org', 'Storm', '--email', 'storm@example.com', '--password', 'password1', '--json'], { CREWBASE_DB: dbPath })
      expect(init.code).toBe(0)
      const key = JSON.parse(init.stdout).api_key.key as string
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }

      server = await startBinary(ENV, dbPath)
      const endpoint = await fetch(`${server.url}/api/v1/webhooks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ url: `http://127.0.0.1:${receiver.port}/hook`, events: ['job.created'] }),
      })
      expect(endpoint.status).toBe(201)

      // The storm: eight writers creating jobs as fast as the server takes them.
      const acknowledged = new Set<string>()
      let killed = false
      const writer = async (w: number) => {
        for (let i = 0; !killed; i++) {
          const res = await fetch(`${server!.url}/api/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ title: `storm ${w}-${i}` }) }).catch(
            () => null,
          )
          if (res?.status === 201) acknowledged.add(((await res.json()) as { data: { id: string } }).data.id)
        }
      }
      const writers = Array.from({ length: 8 }, (_, w) => writer(w))
      while (acknowledged.size < 150) await Bun.sleep(5)
      await server.stop('SIGKILL')
      killed = true
      await Promise.all(writers)
      const deliveredBeforeRestart = new Set(arrivals.map((a) => a.jobId))

      // What the crash left behind: deliveries still queued or leased by the dead process.
      const db = new Database(dbPath, { readonly: true })
      const outstanding = db.query(`select count(*) as n from deliveries where status = 'pending'`).get() as { n: number }
      const inFlight = (db.query(`select id from deliveries where lease_token is not null`).all() as Array<{ id: string }>).map((r) => r.id)
      db.close()
      expect(outstanding.n).toBeGreaterThan(0)
      expect(inFlight.length).toBeGreaterThan(0)

      const restartedAt = arrivals.length
      server = await startBinary(ENV, dbPath)
      const deadline = Date.now() + 30_000
      const missing = () => [...acknowledged].filter((id) => !arrivals.some((a) => a.jobId === id))
      const notResent = () => {
        const resent = new Set(arrivals.slice(restartedAt).map((a) => a.deliveryId))
        return inFlight.filter((id) => !resent.has(id))
      }
      while ((missing().length > 0 || notResent().length > 0) && Date.now() < deadline) await Bun.sleep(100)
      expect(missing()).toEqual([])
      expect([...acknowledged].filter((id) => !deliveredBeforeRestart.has(id)).length).toBeGreaterThan(0)

      // Every re-send of a delivery carries the same event; a delivery id never changes its event.
      const eventOfDelivery = new Map<string, string>()
      for (const arrival of arrivals) {
        const seen = eventOfDelivery.get(arrival.deliveryId)
        if (seen) expect(seen).toBe(arrival.eventId)
        eventOfDelivery.set(arrival.deliveryId, arrival.eventId)
      }
      // One delivery per event: duplicates are re-sends under the same id, never a second delivery.
      const deliveriesPerEvent = new Map<string, Set<string>>()
      for (const arrival of arrivals) {
        const set = deliveriesPerEvent.get(arrival.eventId) ?? new Set()
        set.add(arrival.deliveryId)
        deliveriesPerEvent.set(arrival.eventId, set)
      }
      expect([...deliveriesPerEvent.values()].every((set) => set.size === 1)).toBe(true)
      // The attempts in flight at the crash went out again after restart (once their lease ran out), under the same ids.
      expect(notResent()).toEqual([])

      // Everything committed before the crash (acknowledged or not) drains, and SIGTERM is clean.
      const pending = () => {
        const reader = new Database(dbPath, { readonly: true })
        const row = reader.query(`select count(*) as n from deliveries where status != 'succeeded'`).get() as { n: number }
        reader.close()
        return row.n
      }
      while (pending() > 0 && Date.now() < deadline) await Bun.sleep(100)
      expect(pending()).toBe(0)
      expect(await server.stop('SIGTERM')).toBe(0)
      server = null
    },
    120_000,
  )
})
