import { afterAll, describe, expect, test } from 'bun:test'
import { systemClock } from '../../src/clock'
import { systemResolver } from '../../src/outbox/address'
import { claimDueDeliveries } from '../../src/outbox/claim'
import { LEASE_MARGIN_MS } from '../../src/outbox/deliver'
import { Dispatcher, MAX_IN_FLIGHT_PER_ENDPOINT } from '../../src/outbox/dispatcher'
import { buildWebhook } from '../../src/outbox/prepare'
import { sendWebhook } from '../../src/outbox/send'
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

describe('leases: at least once, and never twice while a lease is live', () => {
  test('two dispatchers over one database send each delivery exactly once', async () => {
    const r = receiver(async () => {
      await Bun.sleep(50)
      return new Response('ok')
    })
    const app = await webhookApp({ clock: systemClock, start: true })
    const second = new Dispatcher(app.deps)
    second.start()
    await app.createEndpoint({ url: r.url, events: ['*'] })
    await Promise.all(Array.from({ length: 60 }, () => app.emit('job.updated')))
    await r.waitFor(60)
    await Bun.sleep(300)
    expect(r.received).toHaveLength(60)
    expect(new Set(r.received.map((x) => x.headers['x-crewbase-delivery'])).size).toBe(60)
    await Promise.all([app.dispatcher.stop(), second.stop()])
  })

  test('an attempt cut off by a crash is sent again, with the same delivery id, once its lease runs out', async () => {
    const clock = new TestClock()
    const r = receiver()
    const app = await webhookApp({ clock, env: { CREWBASE_WEBHOOK_TIMEOUT_MS: '1000' } })
    await app.createEndpoint({ url: r.url, events: ['*'] })
    await app.emit('job.created')

    // The process that dies: claims, sends, and never gets to record.
    const leaseMs = 1000 + LEASE_MARGIN_MS
    const { claimed } = await claimDueDeliveries(app.db, { now: clock.now(), leaseMs, limit: 10, inFlightByEndpoint: new Map(), perEndpoint: 10 })
    expect(claimed).toHaveLength(1)
    const webhook = buildWebhook({ ...claimed[0]!, body: claimed[0]!.body! }, clock.now())
    await sendWebhook(webhook, { timeoutMs: 1000, allowInsecure: true, resolve: systemResolver, now: clock.now() })
    expect(r.received).toHaveLength(1)

    // The restarted process leaves it alone while the dead one's lease is live…
    clock.advance(leaseMs - 1)
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(1)
    // …and sends it again, same id, once it has run out.
    clock.advance(1)
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(2)
    expect(r.received[1]!.headers['x-crewbase-delivery']).toBe(r.received[0]!.headers['x-crewbase-delivery']!)
    const row = await app.db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'succeeded', lease_token: null, attempt_count: 1 })
  })
})

describe('graceful stop', () => {
  test('stop() lets an attempt in flight finish and records it', async () => {
    let started!: () => void
    const inFlight = new Promise<void>((resolve) => (started = resolve))
    const r = receiver(async () => {
      started()
      await Bun.sleep(300)
      return new Response('done')
    })
    const app = await webhookApp({ clock: systemClock, start: true })
    await app.createEndpoint({ url: r.url, events: ['*'] })
    await app.emit('job.created')
    await inFlight
    await app.dispatcher.stop()
    const row = await app.db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'succeeded', attempt_count: 1, lease_token: null })
  })

  test('an attempt that outlasts the stop bound is aborted, unrecorded, its lease released for the next start', async () => {
    let hang = true
    const r = receiver(async () => {
      if (hang) await Bun.sleep(5000)
      return new Response('ok')
    })
    const app = await webhookApp({ clock: systemClock })
    const dispatcher = new Dispatcher(app.deps, { stopWaitMs: 200 })
    dispatcher.start()
    await app.createEndpoint({ url: r.url, events: ['*'] })
    await app.emit('job.created')
    await r.waitFor(1)
    const before = performance.now()
    await dispatcher.stop()
    expect(performance.now() - before).toBeLessThan(2500)
    const row = await app.db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'pending', attempt_count: 0, lease_until: null, lease_token: null })
    expect(Date.parse(row.next_attempt_at!)).toBeLessThanOrEqual(Date.now())
    expect(await app.db.selectFrom('delivery_attempts').selectAll().execute()).toHaveLength(0)

    hang = false
    const next = new Dispatcher(app.deps)
    next.start()
    await r.waitFor(2)
    expect(r.received[1]!.headers['x-crewbase-delivery']).toBe(row.id)
    await next.stop()
  })
})

describe('an endpoint deleted while its attempt is in flight', () => {
  test('leaves nothing behind and does not disturb the records of other endpoints', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const r = receiver(async () => {
      await gate
      return new Response('ok')
    })
    const app = await webhookApp({ clock: systemClock, start: true })
    const doomed = await app.createEndpoint({ url: `${r.url}/doomed`, events: ['*'] })
    const kept = await app.createEndpoint({ url: `${r.url}/kept`, events: ['*'] })
    await app.emit('job.created')
    await r.waitFor(2)
    expect((await app.call('DELETE', `/api/v1/webhooks/${doomed.id}`, { token: app.key })).status).toBe(204)
    release()
    await app.dispatcher.stop()
    const rows = await app.db.selectFrom('deliveries').selectAll().execute()
    expect(rows.map((row) => [row.endpoint_id, row.status])).toEqual([[kept.id, 'succeeded']])
    expect(await app.db.selectFrom('delivery_attempts').select('endpoint_id').execute()).toEqual([{ endpoint_id: kept.id }])
  })
})

describe('fairness between endpoints', () => {
  test('a slow endpoint with a backlog holds at most its share of slots and hides nobody else’s deliveries', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const slow = receiver(async () => {
      await gate
      return new Response('ok')
    })
    const fast = receiver()
    const app = await webhookApp({ clock: systemClock, start: true })
    await app.createEndpoint({ url: slow.url, events: ['job.*'] })
    await app.createEndpoint({ url: fast.url, events: ['client.*'] })
    // More queued for the slow one than there are free slots in all.
    for (let i = 0; i < 120; i++) await app.emit('job.updated')
    await slow.waitFor(MAX_IN_FLIGHT_PER_ENDPOINT)
    await app.emit('client.created')
    await fast.waitFor(1, 2000)
    expect(slow.received).toHaveLength(MAX_IN_FLIGHT_PER_ENDPOINT)
    release()
    await slow.waitFor(120)
    await app.dispatcher.stop()
  })
})
