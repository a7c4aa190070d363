import { afterAll, describe, expect, test } from 'bun:test'
import { Webhook } from 'standardwebhooks'
import { systemClock } from '../../src/clock'
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

describe('the Test button', () => {
  test('sends a signed webhook.test through the real pipeline and returns the attempt', async () => {
    const r = receiver(() => new Response('{"received":true}', { status: 200 }))
    const bystander = receiver()
    const app = await webhookApp({ clock: systemClock })
    const endpoint = await app.createEndpoint({ url: r.url, events: ['job.created'] })
    await app.createEndpoint({ url: bystander.url, events: ['*'] })
    const res = await app.call('POST', `/api/v1/webhooks/${endpoint.id}/test`, { token: app.key })
    expect(res.status).toBe(200)
    expect(res.body.data).toMatchObject({ succeeded: true, attempt: { number: 1, trigger: 'test', status_code: 200, error: null, response_excerpt: '{"received":true}' } })
    expect(res.body.data.attempt.duration_ms).toBeGreaterThanOrEqual(0)
    expect(r.received).toHaveLength(1)
    const delivery = r.received[0]!
    expect(delivery.headers['x-crewbase-event']).toBe('webhook.test')
    expect(delivery.headers['x-crewbase-delivery']).toBe(res.body.data.delivery_id)
    expect(() => new Webhook(endpoint.secret).verify(delivery.body, delivery.headers)).not.toThrow()
    const body = JSON.parse(delivery.body)
    expect(body).toMatchObject({ id: res.body.data.event_id, type: 'webhook.test', org_id: app.org.id, data: { object: { id: endpoint.id, url: r.url } } })
    expect(delivery.body).not.toContain(endpoint.secret)
    // It goes to that endpoint only and is not part of the organization's event log.
    await Bun.sleep(50)
    expect(bystander.received).toHaveLength(0)
    expect(await app.db.selectFrom('events').selectAll().execute()).toHaveLength(0)
    const log = await app.call('GET', `/api/v1/webhooks/${endpoint.id}/deliveries`, { token: app.key })
    expect(log.body.data).toHaveLength(1)
    expect(log.body.data[0]).toMatchObject({ event_type: 'webhook.test', status: 'succeeded', attempt_count: 1 })
  })

  test('a failing endpoint shows status code, error and excerpt, and is not retried', async () => {
    const r = receiver(() => new Response('Internal trouble', { status: 500 }))
    const clock = new TestClock()
    const app = await webhookApp({ clock })
    const endpoint = await app.createEndpoint({ url: r.url, events: ['*'] })
    const res = await app.call('POST', `/api/v1/webhooks/${endpoint.id}/test`, { token: app.key })
    expect(res.body.data).toMatchObject({ succeeded: false, attempt: { status_code: 500, error: 'http', response_excerpt: 'Internal trouble' } })
    clock.advance(3600_000)
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(1)
    const delivery = await app.call('GET', `/api/v1/deliveries/${res.body.data.delivery_id}`, { token: app.key })
    expect(delivery.body.data.status).toBe('failed')
  })

  test('a closed port answers with the connect error, not a 5xx', async () => {
    const app = await webhookApp({ clock: new TestClock() })
    const endpoint = await app.createEndpoint({ url: 'http://127.0.0.1:9/', events: ['*'] })
    const res = await app.call('POST', `/api/v1/webhooks/${endpoint.id}/test`, { token: app.key })
    expect(res.status).toBe(200)
    expect(res.body.data).toMatchObject({ succeeded: false, attempt: { status_code: null, error: 'connect' } })
  })
})

describe('the delivery log', () => {
  test('lists an endpoint’s deliveries newest first, filtered by status; bad filters are 400', async () => {
    let status = 200
    const r = receiver(() => new Response('', { status }))
    const clock = new TestClock()
    const app = await webhookApp({ clock, env: { CREWBASE_WEBHOOK_RETRY_SCHEDULE: '1' } })
    const { id } = await app.createEndpoint({ url: r.url, events: ['*'] })
    const ok = await app.emit('job.created')
    await app.dispatcher.drain()
    status = 500
    const bad = await app.emit('job.completed')
    await app.dispatcher.drain()
    clock.advance(1000)
    await app.dispatcher.drain()
    const all = await app.call('GET', `/api/v1/webhooks/${id}/deliveries`, { token: app.key })
    expect(all.body.data.map((d: { event_id: string }) => d.event_id)).toEqual([bad.id, ok.id])
    const failed = await app.call('GET', `/api/v1/webhooks/${id}/deliveries?status=failed`, { token: app.key })
    expect(failed.body.data.map((d: { event_id: string }) => d.event_id)).toEqual([bad.id])
    const succeeded = await app.call('GET', `/api/v1/webhooks/${id}/deliveries?status=succeeded&per_page=1`, { token: app.key })
    expect(succeeded.body.pagination).toMatchObject({ total: 1, per_page: 1 })
    for (const query of ['status=exploded', 'per_page=0', 'page=-1', 'status=']) {
      const res = await app.call('GET', `/api/v1/webhooks/${id}/deliveries?${query}`, { token: app.key })
      expect([query, res.status]).toEqual([query, 400])
    }
  })

  test('GET /deliveries/:id shows the body as sent and every attempt', async () => {
    const r = receiver(() => new Response('x'.repeat(5000), { status: 502 }))
    const app = await webhookApp({ clock: new TestClock() })
    await app.createEndpoint({ url: r.url, events: ['*'] })
    const event = await app.emit('client.updated', { name: 'N' }, { name: 'O' })
    await app.dispatcher.drain()
    const [row] = await app.db.selectFrom('deliveries').selectAll().execute()
    const res = await app.call('GET', `/api/v1/deliveries/${row!.id}`, { token: app.key })
    expect(res.status).toBe(200)
    expect(res.body.data).toMatchObject({ id: row!.id, event_id: event.id, event_type: 'client.updated', status: 'pending', attempt_count: 1, last_status_code: 502 })
    expect(res.body.data.event).toEqual({ id: event.id, type: 'client.updated', created_at: event.created_at, org_id: app.org.id, data: event.data })
    expect(res.body.data.event).toEqual(JSON.parse(r.received[0]!.body))
    const [attempt] = res.body.data.attempts
    expect(Object.keys(attempt).sort()).toEqual(['duration_ms', 'error', 'error_message', 'number', 'response_excerpt', 'started_at', 'status_code', 'succeeded', 'trigger'])
    expect(attempt.response_excerpt).toHaveLength(2048)
    expect((await app.call('GET', '/api/v1/deliveries/dlv_01m81px0xscgztbg7h3m83m6xh', { token: app.key })).status).toBe(404)
    const other = await app.seedOrg('Other')
    expect((await app.call('GET', `/api/v1/deliveries/${row!.id}`, { token: other.key })).status).toBe(404)
    expect((await app.call('POST', `/api/v1/deliveries/${row!.id}/redeliver`, { token: other.key })).status).toBe(404)
  })
})

describe('redeliver and recover', () => {
  test('redeliver sends a failed delivery again now, with the same id, as a manual attempt', async () => {
    let status = 500
    const r = receiver(() => new Response('', { status }))
    const clock = new TestClock()
    const app = await webhookApp({ clock, env: { CREWBASE_WEBHOOK_RETRY_SCHEDULE: '60' } })
    await app.createEndpoint({ url: r.url, events: ['*'] })
    await app.emit('job.created')
    await app.dispatcher.drain()
    clock.advance(60_000)
    await app.dispatcher.drain()
    const [row] = await app.db.selectFrom('deliveries').selectAll().execute()
    expect(row!.status).toBe('failed')

    // A manual attempt on a spent delivery is one-shot: failing again leaves it failed.
    const again = await app.call('POST', `/api/v1/deliveries/${row!.id}/redeliver`, { token: app.key })
    expect(again.status).toBe(200)
    expect(again.body.data).toMatchObject({ status: 'pending', next_attempt_at: clock.now().toISOString() })
    await app.dispatcher.drain()
    expect((await app.db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow()).status).toBe('failed')
    clock.advance(3600_000)
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(3)

    status = 200
    await app.call('POST', `/api/v1/deliveries/${row!.id}/redeliver`, { token: app.key })
    await app.dispatcher.drain()
    const detail = await app.call('GET', `/api/v1/deliveries/${row!.id}`, { token: app.key })
    expect(detail.body.data.status).toBe('succeeded')
    expect(detail.body.data.attempts.map((a: { trigger: string }) => a.trigger)).toEqual(['auto', 'auto', 'manual', 'manual'])
    expect(new Set(r.received.map((x) => x.headers['x-crewbase-delivery']))).toEqual(new Set([row!.id]))
  })

  test('redeliver is refused while an attempt is in flight or the endpoint is disabled, changing nothing', async () => {
    const clock = new TestClock()
    const app = await webhookApp({ clock })
    const { id } = await app.createEndpoint({ url: 'http://127.0.0.1:9/', events: ['*'] })
    await app.emit('job.created')
    const [row] = await app.db.selectFrom('deliveries').selectAll().execute()
    const leaseUntil = new Date(clock.now().getTime() + 10_000).toISOString()
    await app.db.updateTable('deliveries').set({ lease_until: leaseUntil, lease_token: 'someone', next_attempt_at: leaseUntil }).execute()
    const inFlight = await app.call('POST', `/api/v1/deliveries/${row!.id}/redeliver`, { token: app.key })
    expect(inFlight.status).toBe(409)
    expect((await app.db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow()).lease_token).toBe('someone')
    await app.call('PATCH', `/api/v1/webhooks/${id}`, { token: app.key, body: { enabled: false } })
    const disabled = await app.call('POST', `/api/v1/deliveries/${row!.id}/redeliver`, { token: app.key })
    expect(disabled.status).toBe(409)
  })

  test('recover queues every failed delivery since a time, and only those', async () => {
    let status = 500
    const r = receiver(() => new Response('', { status }))
    const clock = new TestClock(new Date('2026-11-22T12:00:00.000Z'))
    const app = await webhookApp({ clock, env: { CREWBASE_WEBHOOK_RETRY_SCHEDULE: '1' } })
    const { id } = await app.createEndpoint({ url: r.url, events: ['*'] })
    const failFully = async () => {
      await app.dispatcher.drain()
      clock.advance(1000)
      await app.dispatcher.drain()
    }
    await app.emit('job.created') // 12:00, fails
    await failFully()
    clock.advance(3600_000)
    const recent = [await app.emit('job.started'), await app.emit('job.completed')] // 13:00, fail
    await failFully()
    status = 200
    await app.emit('job.archived') // 13:00, succeeds
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(7)

    const res = await app.call('POST', `/api/v1/webhooks/${id}/recover`, { token: app.key, body: { since: '2026-11-22T12:30:00Z' } })
    expect(res.status).toBe(200)
    expect(res.body.data).toEqual({ queued: 2 })
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(9)
    expect(r.received.slice(7).map((x) => JSON.parse(x.body).id).sort()).toEqual(recent.map((e) => e.id).sort())
    const failed = await app.call('GET', `/api/v1/webhooks/${id}/deliveries?status=failed`, { token: app.key })
    expect(failed.body.data).toHaveLength(1)

    for (const body of [{ since: 'yesterday' }, {}, { since: '2026-11-22T12:30:00Z', extra: 1 }]) {
      const bad = await app.call('POST', `/api/v1/webhooks/${id}/recover`, { token: app.key, body })
      expect(bad.status).toBe(400)
    }
    await app.call('PATCH', `/api/v1/webhooks/${id}`, { token: app.key, body: { enabled: false } })
    const disabled = await app.call('POST', `/api/v1/webhooks/${id}/recover`, { token: app.key, body: { since: '2026-01-01T00:00:00Z' } })
    expect(disabled.status).toBe(409)
  })

  test('disabling an endpoint keeps what it had queued as skipped; enabling again does not replay it', async () => {
    const clock = new TestClock()
    const r = receiver()
    const app = await webhookApp({ clock })
    const { id } = await app.createEndpoint({ url: r.url, events: ['*'] })
    await app.emit('job.created')
    await app.call('PATCH', `/api/v1/webhooks/${id}`, { token: app.key, body: { enabled: false } })
    const [row] = await app.db.selectFrom('deliveries').selectAll().execute()
    expect(row).toMatchObject({ status: 'skipped', last_error: 'endpoint disabled: Disabled through the API' })
    await app.call('PATCH', `/api/v1/webhooks/${id}`, { token: app.key, body: { enabled: true } })
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(0)
    await app.call('POST', `/api/v1/deliveries/${row!.id}/redeliver`, { token: app.key })
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(1)
  })
})

describe('list totals follow the outbox', () => {
  test('pagination.total of the delivery log grows with each delivery written by the outbox', async () => {
    const app = await webhookApp({ clock: new TestClock() })
    const { id } = await app.createEndpoint({ url: 'http://127.0.0.1:9/', events: ['*'] })
    const totals: number[] = []
    for (let i = 0; i < 3; i++) {
      await app.emit('job.created')
      const list = await app.call('GET', `/api/v1/webhooks/${id}/deliveries?status=pending`, { token: app.key })
      totals.push(list.body.pagination.total)
    }
    await app.dispatcher.drain()
    const pending = await app.call('GET', `/api/v1/webhooks/${id}/deliveries?status=pending`, { token: app.key })
    const all = await app.call('GET', `/api/v1/webhooks/${id}/deliveries`, { token: app.key })
    expect(totals).toEqual([1, 2, 3])
    expect([pending.body.pagination.total, all.body.pagination.total]).toEqual([3, 3])
  })
})
