import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { TestClock } from '../helpers/app'
import { startReceiver, webhookApp } from './helpers'

type App = Awaited<ReturnType<typeof webhookApp>>

const deliveriesOf = (app: App, endpointId: string) =>
  app.db.selectFrom('deliveries').select(['event_id', 'event_type', 'status']).where('endpoint_id', '=', endpointId).orderBy('id').execute()

describe('payload filter on an endpoint: stored, shown, changed', () => {
  let app: App
  beforeAll(async () => {
    app = await webhookApp({ clock: new TestClock() })
  })

  test('create stores the filter, GET shows it, PATCH replaces it and null removes it', async () => {
    const filter = { 'data.object.status': { $in: ['paid', 'sent'] } }
    const created = await app.createEndpoint({ url: 'https://hooks.example.com/f', events: ['invoice.*'], filter })
    expect(created.filter).toEqual(filter)
    const got = await app.call('GET', `/api/v1/webhooks/${created.id}`, { token: app.key })
    expect(got.body.data.filter).toEqual(filter)
    const changed = await app.call('PATCH', `/api/v1/webhooks/${created.id}`, { token: app.key, body: { filter: { type: 'invoice.paid' } } })
    expect(changed.status).toBe(200)
    expect(changed.body.data.filter).toEqual({ type: 'invoice.paid' })
    const cleared = await app.call('PATCH', `/api/v1/webhooks/${created.id}`, { token: app.key, body: { filter: null } })
    expect(cleared.body.data.filter).toBeNull()
    const plain = await app.createEndpoint({ url: 'https://hooks.example.com/g', events: ['*'] })
    expect(plain.filter).toBeNull()
    expect(plain.rate_limit_per_second).toBeNull()
  })

  const bad: Array<[string, unknown, string, RegExp]> = [
    ['an unknown operator', { 'data.object.total_cents': { $regex: '^1' } }, '/filter/data.object.total_cents/$regex', /unknown operator/],
    ['$in without an array', { 'data.object.status': { $in: 'paid' } }, '/filter/data.object.status/$in', /array/],
    ['$or of non-filters', { $or: ['paid'] }, '/filter/$or/0', /JSON object/],
    ['an empty object', {}, '/filter', /empty/],
    ['a list instead of an object', [{ type: 'x' }], '/filter', /object/],
    ['a string', 'type == "x"', '/filter', /object/],
    ['33 conditions', Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, i])), '/filter', /32 conditions/],
    ['over 4 KB', { 'data.object.notes': 'x'.repeat(5000) }, '/filter', /4096 bytes/],
  ]
  for (const [name, filter, field, message] of bad) {
    test(`${name} → 400 naming ${field}, nothing stored`, async () => {
      const before = await app.db.selectFrom('webhook_endpoints').selectAll().orderBy('id').execute()
      const res = await app.call('POST', '/api/v1/webhooks', { token: app.key, body: { url: 'https://hooks.example.com/x', events: ['*'], filter } })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.details[0].field).toStartWith(field)
      if (field !== '/filter' || typeof filter === 'object') expect(res.body.error.details[0].message).toMatch(message)
      const [existing] = before
      const patched = await app.call('PATCH', `/api/v1/webhooks/${existing!.id}`, { token: app.key, body: { filter } })
      expect(patched.status).toBe(400)
      expect(patched.body.error.details[0].field).toStartWith(field)
      expect(await app.db.selectFrom('webhook_endpoints').selectAll().orderBy('id').execute()).toEqual(before)
    })
  }

  test('rate_limit_per_second takes 1–1000 or null; anything else is 400 naming it', async () => {
    const created = await app.createEndpoint({ url: 'https://hooks.example.com/r', events: ['*'], rate_limit_per_second: 5 })
    expect(created.rate_limit_per_second).toBe(5)
    for (const value of [0, 1001, 2.5, '5', -1]) {
      const res = await app.call('PATCH', `/api/v1/webhooks/${created.id}`, { token: app.key, body: { rate_limit_per_second: value } })
      expect(res.status).toBe(400)
      expect(res.body.error.details[0].field).toBe('/rate_limit_per_second')
      expect(res.body.error.details[0].message).toContain('1 to 1000')
    }
    const cleared = await app.call('PATCH', `/api/v1/webhooks/${created.id}`, { token: app.key, body: { rate_limit_per_second: null } })
    expect(cleared.body.data.rate_limit_per_second).toBeNull()
  })
})

describe('payload filter in the outbox: a non-matching event writes no delivery', () => {
  const receiver = startReceiver()
  afterAll(() => receiver.stop())

  // Each filter against the same three invoices; `expected` are the totals that get a delivery.
  const invoices = [
    { status: 'paid', total_cents: 50000, number: 'INV-1001', tags: ['vip'] },
    { status: 'sent', total_cents: 125000, number: 'INV-1002', tags: ['north', 'vip'], client_id: 'cli_7' },
    { status: 'draft', total_cents: 990000, number: 'EST-7', tags: [] },
  ]
  const cases: Array<[string, Record<string, unknown>, number[]]> = [
    ['plain equality', { 'data.object.status': 'paid' }, [50000]],
    ['array contains', { 'data.object.tags': 'north' }, [125000]],
    ['$eq', { 'data.object.total_cents': { $eq: 990000 } }, [990000]],
    ['$neq', { 'data.object.status': { $neq: 'draft' } }, [50000, 125000]],
    ['$gt', { 'data.object.total_cents': { $gt: 125000 } }, [990000]],
    ['$gte', { 'data.object.total_cents': { $gte: 125000 } }, [125000, 990000]],
    ['$lt', { 'data.object.total_cents': { $lt: 125000 } }, [50000]],
    ['$lte', { 'data.object.total_cents': { $lte: 125000 } }, [50000, 125000]],
    ['$in', { 'data.object.status': { $in: ['paid', 'draft'] } }, [50000, 990000]],
    ['$nin', { 'data.object.status': { $nin: ['paid', 'draft'] } }, [125000]],
    ['$exist', { 'data.object.client_id': { $exist: true } }, [125000]],
    ['$exist false', { 'data.object.client_id': { $exist: false } }, [50000, 990000]],
    ['$startsWith', { 'data.object.number': { $startsWith: 'INV-' } }, [50000, 125000]],
    ['$endsWith', { 'data.object.number': { $endsWith: '-7' } }, [990000]],
    ['$and', { $and: [{ 'data.object.tags': 'vip' }, { 'data.object.total_cents': { $gt: 60000 } }] }, [125000]],
    ['$or', { $or: [{ 'data.object.status': 'draft' }, { 'data.object.total_cents': { $lt: 60000 } }] }, [50000, 990000]],
    ['$not', { $not: { 'data.object.tags': 'vip' } }, [990000]],
    ['type and path together', { type: 'invoice.created', 'data.object.status': 'sent' }, [125000]],
  ]

  for (const [name, filter, expected] of cases) {
    test(`${name}: delivered exactly ${JSON.stringify(expected)}`, async () => {
      const app = await webhookApp()
      try {
        const all = await app.createEndpoint({ url: receiver.url, events: ['invoice.created'] })
        const filtered = await app.createEndpoint({ url: `${receiver.url}/${name.replace(/\W/g, '-')}`, events: ['invoice.created'], filter })
        const events = []
        for (const invoice of invoices) events.push(await app.emit('invoice.created', invoice))
        // Rows are written in the event's own transaction: check them before anything is sent.
        expect(await deliveriesOf(app, all.id)).toHaveLength(3)
        const rows = await deliveriesOf(app, filtered.id)
        const wanted = events.filter((e) => expected.includes(e.data.object.total_cents as number))
        expect(rows.map((r) => r.event_id)).toEqual(wanted.map((e) => e.id))
        expect(rows.every((r) => r.status === 'pending')).toBe(true)
        await app.dispatcher.drain()
        const path = new URL(`${receiver.url}/${name.replace(/\W/g, '-')}`).pathname
        const got = receiver.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body).data.object.total_cents)
        expect(got.sort()).toEqual([...expected].sort())
      } finally {
        await app.close()
      }
    })
  }
})

describe('POST /webhooks/:id/test reports whether a sample event would pass', () => {
  const receiver = startReceiver()
  let app: App
  beforeAll(async () => {
    app = await webhookApp()
  })
  afterAll(() => receiver.stop())

  test('a sample that matches, one that does not, one of a type not subscribed, and the default test event', async () => {
    const { id } = await app.createEndpoint({
      url: receiver.url,
      events: ['invoice.*'],
      filter: { 'data.object.total_cents': { $gte: 100000 } },
    })
    const sample = (total: number, type = 'invoice.paid') => ({ sample: { type, data: { object: { id: 'inv_1', total_cents: total } } } })
    const pass = await app.call('POST', `/api/v1/webhooks/${id}/test`, { token: app.key, body: sample(150000) })
    expect(pass.status).toBe(200)
    expect(pass.body.data.sample).toEqual({ event_type: 'invoice.paid', subscribed: true, filter_matched: true, would_deliver: true })
    expect(pass.body.data.succeeded).toBe(true)
    const fail = await app.call('POST', `/api/v1/webhooks/${id}/test`, { token: app.key, body: sample(500) })
    expect(fail.body.data.sample).toEqual({ event_type: 'invoice.paid', subscribed: true, filter_matched: false, would_deliver: false })
    const other = await app.call('POST', `/api/v1/webhooks/${id}/test`, { token: app.key, body: sample(150000, 'job.created') })
    expect(other.body.data.sample).toMatchObject({ subscribed: false, filter_matched: true, would_deliver: false })
    // Without a sample the webhook.test event itself is judged; it is sent either way.
    const plain = await app.call('POST', `/api/v1/webhooks/${id}/test`, { token: app.key })
    expect(plain.status).toBe(200)
    expect(plain.body.data.sample).toEqual({ event_type: 'webhook.test', subscribed: false, filter_matched: false, would_deliver: false })
    expect(receiver.received.filter((r) => r.headers['x-crewbase-event'] === 'webhook.test')).toHaveLength(4)
    const bad = await app.call('POST', `/api/v1/webhooks/${id}/test`, { token: app.key, body: { sample: { data: {} } } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.details[0].field).toBe('/sample/type')
  })
})

describe('skipped deliveries: nothing dropped while an endpoint is disabled', () => {
  test('a disabled endpoint keeps its matching events as skipped, counts them, and recover sends them once enabled', async () => {
    const receiver = startReceiver()
    const clock = new TestClock()
    const app = await webhookApp({ clock })
    try {
      const { id } = await app.createEndpoint({ url: receiver.url, events: ['job.*'], filter: { 'data.object.priority': 'urgent' } })
      const since = clock.now().toISOString()
      await app.call('PATCH', `/api/v1/webhooks/${id}`, { token: app.key, body: { enabled: false } })
      const urgent = await app.emit('job.created', { priority: 'urgent' })
      await app.emit('job.created', { priority: 'low' }) // filtered out: not even skipped
      await app.emit('invoice.paid', {}) // not subscribed
      expect(await deliveriesOf(app, id)).toEqual([{ event_id: urgent.id, event_type: 'job.created', status: 'skipped' }])
      await app.dispatcher.drain()
      expect(receiver.received).toHaveLength(0)

      const log = await app.call('GET', `/api/v1/webhooks/${id}/deliveries?status=skipped`, { token: app.key })
      expect(log.body.data).toHaveLength(1)
      expect(log.body.data[0]).toMatchObject({ status: 'skipped', event_id: urgent.id, next_attempt_at: null })
      const endpoint = await app.call('GET', `/api/v1/webhooks/${id}`, { token: app.key })
      expect(endpoint.body.data.health.skipped).toBe(1)

      // Recover refuses while disabled, then sends the skipped one after enabling.
      expect((await app.call('POST', `/api/v1/webhooks/${id}/recover`, { token: app.key, body: { since } })).status).toBe(409)
      await app.call('PATCH', `/api/v1/webhooks/${id}`, { token: app.key, body: { enabled: true } })
      await app.dispatcher.drain()
      expect(receiver.received).toHaveLength(0)
      const recovered = await app.call('POST', `/api/v1/webhooks/${id}/recover`, { token: app.key, body: { since } })
      expect(recovered.body.data.queued).toBe(1)
      await app.dispatcher.drain()
      expect(receiver.received.map((r) => JSON.parse(r.body).id)).toEqual([urgent.id])
      expect((await deliveriesOf(app, id))[0]!.status).toBe('succeeded')
      expect((await app.call('GET', `/api/v1/webhooks/${id}`, { token: app.key })).body.data.health.skipped).toBe(0)
    } finally {
      receiver.stop()
      await app.close()
    }
  })
})
