import { afterAll, describe, expect, test } from 'bun:test'
import { systemClock } from '../../src/clock'
import { parseRetryAfter, retryDelayMs } from '../../src/outbox/retry'
import { TestClock } from '../helpers/app'
import { startReceiver, webhookApp } from './helpers'

const receivers: Array<{ stop(): void }> = []
const receiver = (...args: Parameters<typeof startReceiver>) => {
  const r = startReceiver(...args)
  receivers.push(r)
  return r
}
afterAll(() => {
  for (const r of receivers) r.stop()
})

type App = Awaited<ReturnType<typeof webhookApp>>
const onlyDelivery = (app: App) => app.db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow()

describe('retries: 1 min, 5 min, 30 min after each failure, then failed', () => {
  test('exactly four attempts, each exactly on schedule, then failed with nothing more due', async () => {
    const clock = new TestClock()
    const r = receiver(() => new Response('down', { status: 500 }))
    const app = await webhookApp({ clock })
    const { id } = await app.createEndpoint({ url: r.url, events: ['*'] })
    await app.emit('job.created')
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(1)

    for (const [step, seconds] of [60, 300, 1800].entries()) {
      const delivery = await onlyDelivery(app)
      expect(delivery.status).toBe('pending')
      expect(Date.parse(delivery.next_attempt_at!) - clock.now().getTime()).toBe(seconds * 1000)
      clock.advance(seconds * 1000 - 1)
      await app.dispatcher.drain()
      expect(r.received).toHaveLength(step + 1) // not a millisecond early
      clock.advance(1)
      await app.dispatcher.drain()
      expect(r.received).toHaveLength(step + 2)
    }
    const delivery = await onlyDelivery(app)
    expect(delivery).toMatchObject({ status: 'failed', next_attempt_at: null, attempt_count: 4 })
    clock.advance(24 * 3600 * 1000)
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(4)
    // Every retry carries the same delivery id.
    expect(new Set(r.received.map((x) => x.headers['x-crewbase-delivery']))).toEqual(new Set([delivery.id]))
    const detail = await app.call('GET', `/api/v1/deliveries/${delivery.id}`, { token: app.key })
    expect(detail.body.data.attempts.map((a: { number: number; trigger: string }) => [a.number, a.trigger])).toEqual([
      [1, 'auto'],
      [2, 'auto'],
      [3, 'auto'],
      [4, 'auto'],
    ])
    const endpoint = await app.call('GET', `/api/v1/webhooks/${id}`, { token: app.key })
    expect(endpoint.body.data.health).toMatchObject({ success_rate: 0, consecutive_failures: 4, next_attempt_at: null })
  })

  test('with a short CREWBASE_WEBHOOK_RETRY_SCHEDULE the real dispatcher keeps the spacing', async () => {
    const r = receiver(() => new Response('no', { status: 503 }))
    const app = await webhookApp({ clock: systemClock, start: true, env: { CREWBASE_WEBHOOK_RETRY_SCHEDULE: '1,2' } })
    await app.createEndpoint({ url: r.url, events: ['*'] })
    await app.emit('job.created')
    await r.waitFor(3, 6000)
    const gaps = [r.received[1]!.at - r.received[0]!.at, r.received[2]!.at - r.received[1]!.at]
    expect(gaps[0]!).toBeGreaterThanOrEqual(990)
    expect(gaps[0]!).toBeLessThan(1800)
    expect(gaps[1]!).toBeGreaterThanOrEqual(1990)
    expect(gaps[1]!).toBeLessThan(2800)
    await Bun.sleep(300)
    expect((await onlyDelivery(app)).status).toBe('failed')
    expect(r.received).toHaveLength(3)
    await app.dispatcher.stop()
  })

  test('a success after failures ends the delivery and resets the endpoint’s failure count', async () => {
    const clock = new TestClock()
    let fail = true
    const r = receiver(() => new Response(fail ? 'no' : 'yes', { status: fail ? 500 : 204 }))
    const app = await webhookApp({ clock })
    const { id } = await app.createEndpoint({ url: r.url, events: ['*'] })
    await app.emit('job.created')
    await app.dispatcher.drain()
    fail = false
    clock.advance(60_000)
    await app.dispatcher.drain()
    expect(await onlyDelivery(app)).toMatchObject({ status: 'succeeded', attempt_count: 2, next_attempt_at: null })
    const endpoint = await app.call('GET', `/api/v1/webhooks/${id}`, { token: app.key })
    expect(endpoint.body.data.health).toMatchObject({ success_rate: 0.5, consecutive_failures: 0, failing_since: null })
  })
})

describe('Retry-After on 429 and 503 is honoured within bounds', () => {
  const cases: Array<{ name: string; status: number; retryAfter: string | null; expectSeconds: number }> = [
    { name: '503 asking for longer than the step waits that long', status: 503, retryAfter: '100', expectSeconds: 100 },
    { name: '429 asking for far longer is capped at twice the step', status: 429, retryAfter: '86400', expectSeconds: 120 },
    { name: '429 asking for less still waits the step', status: 429, retryAfter: '5', expectSeconds: 60 },
    { name: '503 with an HTTP date', status: 503, retryAfter: 'Sun, 22 Nov 2026 12:01:30 GMT', expectSeconds: 90 },
    { name: '503 with garbage waits the step', status: 503, retryAfter: 'soon', expectSeconds: 60 },
    { name: '500 with Retry-After ignores it', status: 500, retryAfter: '100', expectSeconds: 60 },
  ]
  for (const c of cases) {
    test(c.name, async () => {
      const clock = new TestClock(new Date('2026-11-22T12:00:00.000Z'))
      const r = receiver(() => new Response('wait', { status: c.status, headers: c.retryAfter ? { 'retry-after': c.retryAfter } : {} }))
      const app = await webhookApp({ clock })
      await app.createEndpoint({ url: r.url, events: ['*'] })
      await app.emit('job.created')
      await app.dispatcher.drain()
      const delivery = await onlyDelivery(app)
      expect(Date.parse(delivery.next_attempt_at!) - clock.now().getTime()).toBe(c.expectSeconds * 1000)
    })
  }

  test('the policy functions agree', () => {
    expect(retryDelayMs([60, 300, 1800], 1, null)).toBe(60_000)
    expect(retryDelayMs([60, 300, 1800], 3, 10_000_000)).toBe(3_600_000)
    expect(retryDelayMs([60, 300, 1800], 4, null)).toBeNull()
    expect(parseRetryAfter('  30 ', new Date())).toBe(30_000)
    expect(parseRetryAfter('-3', new Date())).toBeNull()
    expect(parseRetryAfter(null, new Date())).toBeNull()
  })
})

describe('endpoints that are gone or dead get disabled', () => {
  test('410 Gone disables the endpoint at once, stops what it had queued, and what comes next is kept as skipped, not sent', async () => {
    const clock = new TestClock()
    const r = receiver(() => new Response('gone', { status: 410 }))
    const app = await webhookApp({ clock })
    const { id } = await app.createEndpoint({ url: r.url, events: ['*'], debounce_seconds: 60 })
    await app.emit('job.updated') // waits out its debounce window, still queued
    await app.emit('job.created')
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(1)
    const endpoint = (await app.call('GET', `/api/v1/webhooks/${id}`, { token: app.key })).body.data
    expect(endpoint.enabled).toBe(false)
    expect(endpoint.disabled_reason).toContain('410')
    const statuses = async () => (await app.db.selectFrom('deliveries').select(['event_type', 'status']).orderBy('id').execute())
    // The one attempted (410) failed; the debounced one never went out, so it is kept as skipped.
    expect(await statuses()).toEqual([
      { event_type: 'job.updated', status: 'skipped' },
      { event_type: 'job.created', status: 'failed' },
    ])
    await app.emit('job.completed')
    expect((await statuses())[2]).toEqual({ event_type: 'job.completed', status: 'skipped' })
    clock.advance(3600_000)
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(1)
  })

  test('five days of nothing but failures disables the endpoint with the reason; enabling does not replay', async () => {
    const clock = new TestClock()
    let up = false
    const r = receiver(() => new Response(up ? 'ok' : 'down', { status: up ? 200 : 502 }))
    const app = await webhookApp({ clock, env: { CREWBASE_WEBHOOK_RETRY_SCHEDULE: '3600' } })
    const { id } = await app.createEndpoint({ url: r.url, events: ['*'] })
    const day = 24 * 3600_000
    for (let d = 0; d < 5; d++) {
      await app.emit('job.created')
      await app.dispatcher.drain()
      clock.advance(day / 2)
      await app.dispatcher.drain()
      clock.advance(day / 2)
    }
    let endpoint = (await app.call('GET', `/api/v1/webhooks/${id}`, { token: app.key })).body.data
    expect(endpoint.enabled).toBe(true)
    await app.emit('job.created')
    await app.dispatcher.drain()
    endpoint = (await app.call('GET', `/api/v1/webhooks/${id}`, { token: app.key })).body.data
    expect(endpoint.enabled).toBe(false)
    expect(endpoint.disabled_reason).toContain('5 days')
    expect(endpoint.disabled_reason).toContain('502')
    expect(endpoint.health.consecutive_failures).toBe(11)

    up = true
    const before = r.received.length
    const enabled = await app.call('PATCH', `/api/v1/webhooks/${id}`, { token: app.key, body: { enabled: true } })
    expect(enabled.body.data).toMatchObject({ enabled: true, disabled_reason: null })
    expect(enabled.body.data.health).toMatchObject({ consecutive_failures: 0, failing_since: null })
    clock.advance(day)
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(before)
  })

  test('one success inside the five days restarts the clock', async () => {
    const clock = new TestClock()
    let up = false
    const r = receiver(() => new Response('', { status: up ? 200 : 500 }))
    const app = await webhookApp({ clock, env: { CREWBASE_WEBHOOK_RETRY_SCHEDULE: '60' } })
    const { id } = await app.createEndpoint({ url: r.url, events: ['*'] })
    await app.emit('job.created')
    await app.dispatcher.drain()
    clock.advance(3 * 24 * 3600_000)
    up = true
    await app.emit('job.created')
    await app.dispatcher.drain()
    up = false
    clock.advance(3 * 24 * 3600_000)
    await app.emit('job.created')
    await app.dispatcher.drain()
    const endpoint = (await app.call('GET', `/api/v1/webhooks/${id}`, { token: app.key })).body.data
    expect(endpoint.enabled).toBe(true)
  })
})
