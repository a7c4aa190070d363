import { describe, expect, test } from 'bun:test'
import { systemClock } from '../../src/clock'
import { RATE_WINDOW_MS, RateGate } from '../../src/outbox/rate-gate'
import { type Received, startReceiver, webhookApp } from './helpers'

/** The most arrivals inside any one second (a window starting at each arrival), and per calendar second. */
function ceilings(received: Received[]) {
  const times = received.map((r) => r.at).sort((a, b) => a - b)
  let sliding = 0
  for (let i = 0; i < times.length; i++) {
    let j = i
    while (j < times.length && times[j]! < times[i]! + 1000) j++
    sliding = Math.max(sliding, j - i)
  }
  const perSecond = new Map<number, number>()
  for (const r of received) {
    const second = Math.floor((performance.timeOrigin + r.at) / 1000)
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1)
  }
  return { sliding, calendar: Math.max(...perSecond.values()) }
}

describe('rate gate', () => {
  test('lets `limit` start within a window, then reopens when the oldest leaves it', () => {
    const gate = new RateGate()
    expect(gate.free('wh_a', 3, 0)).toBe(3)
    const slots = [0, 10, 20].map((t) => gate.take('wh_a', 3, t))
    expect(gate.free('wh_a', 3, 30)).toBe(0)
    expect(gate.exhausted(30)).toEqual(['wh_a'])
    expect(gate.reopensAt(30)).toBe(RATE_WINDOW_MS)
    // The first request only left at 200 ms (a slow connection): its slot is held until 200 + window.
    gate.sent(slots[0]!, 200)
    expect(gate.reopensAt(30)).toBe(10 + RATE_WINDOW_MS)
    expect(gate.free('wh_a', 3, 10 + RATE_WINDOW_MS)).toBe(1)
    expect(gate.free('wh_a', 3, 200 + RATE_WINDOW_MS)).toBe(3)
    expect(gate.exhausted(RATE_WINDOW_MS + 10)).toEqual([])
    for (const t of [0, 10, 20]) gate.take('wh_a', 3, t)
    // A raised limit applies at once; no limit forgets the endpoint.
    expect(gate.free('wh_a', 10, 30)).toBe(7)
    expect(gate.free('wh_a', null, 30)).toBe(Number.POSITIVE_INFINITY)
    expect(gate.exhausted(30)).toEqual([])
  })
})

describe('rate_limit_per_second is enforced by the dispatcher', () => {
  test('a backlog drains at the ceiling, retries and recovers included, while another endpoint is not held up', async () => {
    const LIMIT = 4
    const COUNT = 14
    const limited = startReceiver()
    const free = startReceiver()
    // The first five arrivals fail, so retries (1 s later) compete with the backlog for the same slots.
    let failuresLeft = 5
    limited.reply(() => (failuresLeft-- > 0 ? new Response('busy', { status: 500 }) : new Response('ok')))
    const app = await webhookApp({ clock: systemClock, start: true, env: { CREWBASE_WEBHOOK_RETRY_SCHEDULE: '1,1,1' } })
    try {
      const slow = await app.createEndpoint({ url: limited.url, events: ['job.created'], rate_limit_per_second: LIMIT })
      await app.createEndpoint({ url: free.url, events: ['job.created'] })
      const started = performance.now()
      for (let i = 0; i < COUNT; i++) await app.emit('job.created', { n: i })

      // The unlimited endpoint gets everything at once, not after the limited one's backlog.
      await free.waitFor(COUNT, 3000)
      expect(free.received.at(-1)!.at - started).toBeLessThan(1500)

      await limited.waitFor(COUNT + 5, 15_000)
      const drained = limited.received.at(-1)!.at - started
      // 19 sends at 4 per window need at least four full windows after the first.
      expect(drained).toBeGreaterThanOrEqual(4 * 1000)
      const first = ceilings(limited.received)
      expect(first.sliding).toBeLessThanOrEqual(LIMIT)
      expect(first.calendar).toBeLessThanOrEqual(LIMIT)
      // And it did drain at that pace, not slower: about LIMIT a second.
      expect(drained).toBeLessThan(((COUNT + 5) / LIMIT) * 1000 + 2500)
      // Each record lands a few ms after its answer (batched): wait for the last ones.
      const statuses = () => app.db.selectFrom('deliveries').select('status').where('endpoint_id', '=', slow.id).execute()
      for (let i = 0; i < 100 && !(await statuses()).every((r) => r.status === 'succeeded'); i++) await Bun.sleep(20)
      expect((await statuses()).map((r) => r.status)).toEqual(Array(COUNT).fill('succeeded'))

      // Recover of many failed deliveries at once goes out at the same pace.
      await app.db.updateTable('deliveries').set({ status: 'failed', next_attempt_at: null }).where('endpoint_id', '=', slow.id).execute()
      const before = limited.received.length
      const recovered = await app.call('POST', `/api/v1/webhooks/${slow.id}/recover`, { token: app.key, body: { since: new Date(0).toISOString() } })
      expect(recovered.body.data.queued).toBe(COUNT)
      await limited.waitFor(before + COUNT, 10_000)
      const again = ceilings(limited.received.slice(before))
      expect(again.sliding).toBeLessThanOrEqual(LIMIT)
      expect(again.calendar).toBeLessThanOrEqual(LIMIT)
      expect(ceilings(limited.received).sliding).toBeLessThanOrEqual(LIMIT)
    } finally {
      await app.dispatcher.stop()
      limited.stop()
      free.stop()
      await app.close()
    }
  }, 40_000)
})
