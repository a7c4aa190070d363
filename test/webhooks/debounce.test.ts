import { afterAll, describe, expect, test } from 'bun:test'
import { systemClock } from '../../src/clock'
import { TestClock } from '../helpers/app'
import { startReceiver, webhookApp } from './helpers'

const r = startReceiver()
afterAll(() => r.stop())

const JOB = 'job_01m81px0xq62wr47hxjmns4cd5'
const CLIENT = 'cli_01m81px0xq62wr47hxjmns4cd5'

describe('debounce_seconds coalesces *.updated of one resource into one delivery with the latest state', () => {
  test('three updates of a job inside the window leave as one delivery carrying the third', async () => {
    r.received.length = 0
    const clock = new TestClock()
    const app = await webhookApp({ clock })
    await app.createEndpoint({ url: r.url, events: ['*'], debounce_seconds: 10 })
    const v1 = await app.emit('job.updated', { id: JOB, version: 2, title: 'a' }, { title: 'x' })
    clock.advance(3000)
    await app.emit('job.updated', { id: JOB, version: 3, title: 'b' }, { title: 'a' })
    await app.emit('client.updated', { id: CLIENT, version: 5, name: 'c' }, { name: 'd' })
    await app.emit('job.completed', { id: JOB, version: 4 })
    clock.advance(3000)
    const latest = await app.emit('job.updated', { id: JOB, version: 5, title: 'c' }, { title: 'b' })
    await app.dispatcher.drain()
    // Only what is not an update left at once.
    expect(r.received.map((x) => x.headers['x-crewbase-event'])).toEqual(['job.completed'])

    clock.advance(10_000 - 6000 - 1)
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(1)
    clock.advance(1)
    await app.dispatcher.drain()
    // Each resource has its own window: the job's opened at 0 s, the client's at 3 s.
    expect(r.received.map((x) => x.headers['x-crewbase-event'])).toEqual(['job.completed', 'job.updated'])
    clock.advance(3000)
    await app.dispatcher.drain()
    const updates = r.received.slice(1).map((x) => JSON.parse(x.body))
    expect(updates.map((u) => u.type)).toEqual(['job.updated', 'client.updated'])
    const job = updates[0]
    expect(job.id).toBe(latest.id)
    expect(job.id).not.toBe(v1.id)
    expect(job.data).toEqual({ object: { id: JOB, version: 5, title: 'c' }, previous: { title: 'b' } })
    expect(await app.db.selectFrom('deliveries').selectAll().execute()).toHaveLength(3)
  })

  test('an update after the window closed starts a new window and a new delivery', async () => {
    r.received.length = 0
    const clock = new TestClock()
    const app = await webhookApp({ clock })
    await app.createEndpoint({ url: r.url, events: ['job.updated'], debounce_seconds: 5 })
    await app.emit('job.updated', { id: JOB, version: 2 })
    clock.advance(5000)
    await app.dispatcher.drain()
    await app.emit('job.updated', { id: JOB, version: 3 })
    await app.dispatcher.drain()
    expect(r.received).toHaveLength(1)
    clock.advance(5000)
    await app.dispatcher.drain()
    expect(r.received.map((x) => JSON.parse(x.body).data.object.version)).toEqual([2, 3])
  })

  test('without debounce every update is its own delivery, and other endpoints are not debounced by one that is', async () => {
    r.received.length = 0
    const clock = new TestClock()
    const app = await webhookApp({ clock })
    await app.createEndpoint({ url: `${r.url}/now`, events: ['*'] })
    await app.createEndpoint({ url: `${r.url}/later`, events: ['*'], debounce_seconds: 300 })
    for (let v = 2; v <= 4; v++) await app.emit('job.updated', { id: JOB, version: v })
    await app.dispatcher.drain()
    expect(r.received.filter((x) => x.path === '/hook/now')).toHaveLength(3)
    expect(r.received.filter((x) => x.path === '/hook/later')).toHaveLength(0)
    clock.advance(300_000)
    await app.dispatcher.drain()
    const later = r.received.filter((x) => x.path === '/hook/later')
    expect(later.map((x) => JSON.parse(x.body).data.object.version)).toEqual([4])
  })

  test('with the real dispatcher the coalesced delivery leaves when the window closes', async () => {
    r.received.length = 0
    const app = await webhookApp({ clock: systemClock, start: true })
    await app.createEndpoint({ url: r.url, events: ['job.updated'], debounce_seconds: 1 })
    const started = performance.now()
    for (let v = 2; v <= 6; v++) await app.emit('job.updated', { id: JOB, version: v })
    await r.waitFor(1, 3000)
    expect(r.received[0]!.at - started).toBeGreaterThanOrEqual(990)
    await Bun.sleep(200)
    expect(r.received.map((x) => JSON.parse(x.body).data.object.version)).toEqual([6])
    await app.dispatcher.stop()
  })
})
