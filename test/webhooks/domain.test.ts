import { afterAll, describe, expect, test } from 'bun:test'
import { systemClock } from '../../src/clock'
import { startReceiver, webhookApp } from './helpers'

const r = startReceiver()
afterAll(() => r.stop())

describe('real API changes reach subscribers', () => {
  test('creating, changing, starting and completing a job over the API delivers each event with the job as GET returns it', async () => {
    const app = await webhookApp({ clock: systemClock, start: true })
    await app.createEndpoint({ url: r.url, events: ['job.*'] })
    const created = await app.call('POST', '/api/v1/jobs', { token: app.key, body: { title: 'Replace boiler valve', priority: 'high' } })
    expect(created.status).toBe(201)
    const id = created.body.data.id
    await app.call('PATCH', `/api/v1/jobs/${id}`, { token: app.key, body: { title: 'Replace boiler valve and seal' } })
    await app.call('POST', `/api/v1/jobs/${id}/start`, { token: app.key })
    await app.call('POST', `/api/v1/jobs/${id}/complete`, { token: app.key, body: { outcome: 'success' } })
    // A client change is not a job event: this endpoint does not get it.
    await app.call('POST', '/api/v1/clients', { token: app.key, body: { name: 'Acme' } })
    await r.waitFor(4)
    await Bun.sleep(100)
    const bodies = r.received.map((x) => JSON.parse(x.body))
    expect(bodies.map((b) => b.type).sort()).toEqual(['job.completed', 'job.created', 'job.started', 'job.updated'])
    const updated = bodies.find((b) => b.type === 'job.updated')
    expect(updated.data.previous).toEqual({ title: 'Replace boiler valve' })
    const completed = bodies.find((b) => b.type === 'job.completed')
    const got = await app.call('GET', `/api/v1/jobs/${id}`, { token: app.key })
    expect(completed.data.object).toEqual(got.body.data)
    // Versions grow, so a receiver can drop an older update that arrives late.
    const versions = bodies.sort((a, b) => a.data.object.version - b.data.object.version).map((b) => b.type)
    expect(versions).toEqual(['job.created', 'job.updated', 'job.started', 'job.completed'])
    await app.dispatcher.stop()
  })
})
