import { afterAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { systemClock } from '../../src/clock'
import { transaction } from '../../src/db/transaction'
import { recordEvent } from '../../src/events/record'
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

async function attemptsOf(app: Awaited<ReturnType<typeof webhookApp>>, endpointId: string) {
  const list = await app.call('GET', `/api/v1/webhooks/${endpointId}/deliveries`, { token: app.key })
  const [delivery] = list.body.data
  const detail = await app.call('GET', `/api/v1/deliveries/${delivery.id}`, { token: app.key })
  return detail.body.data as { status: string; attempts: Array<Record<string, any>> } & Record<string, any>
}

describe('the outbox: deliveries are written with the change and sent right after commit', () => {
  test('each endpoint gets exactly the events it subscribed to', async () => {
    const r = receiver()
    const app = await webhookApp({ clock: systemClock, start: true })
    await app.createEndpoint({ url: `${r.url}/all`, events: ['*'] })
    await app.createEndpoint({ url: `${r.url}/jobs`, events: ['job.*'] })
    await app.createEndpoint({ url: `${r.url}/some`, events: ['invoice.paid', 'client.created'] })
    await app.createEndpoint({ url: `${r.url}/off`, events: ['*'], enabled: false })
    for (const type of ['job.created', 'job.completed', 'invoice.paid', 'client.updated'] as const) await app.emit(type)
    await r.waitFor(4 + 2 + 1)
    await Bun.sleep(100)
    const byPath = (path: string) => r.received.filter((x) => x.path === `/hook${path}`).map((x) => x.headers['x-crewbase-event']).sort()
    expect(byPath('/all')).toEqual(['client.updated', 'invoice.paid', 'job.completed', 'job.created'])
    expect(byPath('/jobs')).toEqual(['job.completed', 'job.created'])
    expect(byPath('/some')).toEqual(['invoice.paid'])
    expect(byPath('/off')).toEqual([])
    await app.dispatcher.stop()
  })

  test('a rolled-back change has neither event nor delivery; nothing is sent', async () => {
    const r = receiver()
    const app = await webhookApp({ clock: systemClock, start: true })
    await app.createEndpoint({ url: r.url, events: ['*'] })
    await expect(
      transaction(app.db, async (trx) => {
        await recordEvent(trx, { orgId: app.org.id, type: 'job.created', object: { id: 'job_rolledback' }, at: new Date() })
        throw new Error('the change failed after its event')
      }),
    ).rejects.toThrow('the change failed')
    await Bun.sleep(150)
    expect(r.received).toHaveLength(0)
    expect(await app.db.selectFrom('deliveries').selectAll().execute()).toHaveLength(0)
    expect(await app.db.selectFrom('events').selectAll().execute()).toHaveLength(0)
    await app.dispatcher.stop()
  })

  test('the first attempt leaves within milliseconds of the commit, not at the next sweep', async () => {
    const r = receiver()
    // A sweep only once a minute: anything fast must come from the commit's wake-up.
    const app = await webhookApp({ clock: systemClock, start: true, env: { CREWBASE_DISPATCH_CRON: '0 * * * * *' } })
    await app.createEndpoint({ url: r.url, events: ['*'] })
    const latencies: number[] = []
    for (let i = 0; i < 20; i++) {
      const before = performance.now()
      await app.emit('job.updated', { n: i })
      await r.waitFor(i + 1)
      latencies.push(r.received[i]!.at - before)
    }
    latencies.sort((a, b) => a - b)
    // A sweep would take up to a minute; the wake-up takes milliseconds (bounds leave room for a busy CI box).
    expect(latencies[10]!).toBeLessThan(100)
    await app.dispatcher.stop()
  })

  test('every recorded event is delivered once when nothing fails (100 events, 2 endpoints)', async () => {
    const r = receiver()
    const app = await webhookApp({ clock: systemClock, start: true })
    await app.createEndpoint({ url: `${r.url}/a`, events: ['*'] })
    await app.createEndpoint({ url: `${r.url}/b`, events: ['job.*'] })
    const ids = await Promise.all(Array.from({ length: 100 }, (_, i) => app.emit(i % 2 ? 'job.updated' : 'client.updated').then((e) => e.id)))
    await r.waitFor(150)
    await Bun.sleep(100)
    expect(r.received).toHaveLength(150)
    const deliveryIds = new Set(r.received.map((x) => x.headers['x-crewbase-delivery']))
    expect(deliveryIds.size).toBe(150)
    const eventIds = new Set(r.received.filter((x) => x.path === '/hook/a').map((x) => JSON.parse(x.body).id))
    expect([...eventIds].sort()).toEqual([...ids].sort())
    await app.dispatcher.stop()
  })
})

describe('an attempt succeeds only on a complete 2xx in time', () => {
  test('non-2xx fails with class http, status code and the first 2 KB of the body', async () => {
    const r = receiver(() => new Response('é'.repeat(3000), { status: 500 }))
    const app = await webhookApp({ clock: new TestClock() })
    const { id } = await app.createEndpoint({ url: r.url, events: ['*'] })
    await app.emit('job.created')
    await app.dispatcher.drain()
    const delivery = await attemptsOf(app, id)
    expect(delivery.status).toBe('pending')
    const [attempt] = delivery.attempts
    expect(attempt).toMatchObject({ number: 1, trigger: 'auto', succeeded: false, status_code: 500, error: 'http' })
    // 2048 bytes of a two-byte character: 1024 of them, none cut in half.
    expect(attempt!.response_excerpt).toBe('é'.repeat(1024))
  })

  test('a redirect is a failure and is never followed', async () => {
    const target = receiver()
    const r = receiver(() => new Response(null, { status: 302, headers: { location: target.url } }))
    const app = await webhookApp({ clock: new TestClock() })
    const { id } = await app.createEndpoint({ url: r.url, events: ['*'] })
    await app.emit('job.created')
    await app.dispatcher.drain()
    const [attempt] = (await attemptsOf(app, id)).attempts
    expect(attempt).toMatchObject({ succeeded: false, status_code: 302, error: 'http' })
    expect(attempt!.error_message).toContain('not followed')
    expect(r.received).toHaveLength(1)
    expect(target.received).toHaveLength(0)
  })

  test('no answer within CREWBASE_WEBHOOK_TIMEOUT_MS is a timeout', async () => {
    const r = receiver(async () => {
      await Bun.sleep(1500)
      return new Response('too late')
    })
    const app = await webhookApp({ clock: new TestClock(), env: { CREWBASE_WEBHOOK_TIMEOUT_MS: '200' } })
    const { id } = await app.createEndpoint({ url: r.url, events: ['*'] })
    await app.emit('job.created')
    const started = performance.now()
    await app.dispatcher.drain()
    expect(performance.now() - started).toBeLessThan(1400)
    const [attempt] = (await attemptsOf(app, id)).attempts
    expect(attempt).toMatchObject({ succeeded: false, status_code: null, error: 'timeout', response_excerpt: null })
    expect(attempt!.duration_ms).toBeGreaterThanOrEqual(190)
    expect(attempt!.duration_ms).toBeLessThan(1200)
  })

  test('a 200 whose body does not finish in time is a timeout too', async () => {
    const r = receiver(
      () =>
        new Response(
          new ReadableStream({
            async start(controller) {
              controller.enqueue(new TextEncoder().encode('partial…'))
              await Bun.sleep(1500)
              controller.close()
            },
          }),
          { status: 200 },
        ),
    )
    const app = await webhookApp({ clock: new TestClock(), env: { CREWBASE_WEBHOOK_TIMEOUT_MS: '300' } })
    const { id } = await app.createEndpoint({ url: r.url, events: ['*'] })
    await app.emit('job.created')
    await app.dispatcher.drain()
    const delivery = await attemptsOf(app, id)
    expect(delivery.attempts[0]).toMatchObject({ succeeded: false, error: 'timeout' })
    expect(delivery.status).toBe('pending')
  })

  test('a closed port is a connect error', async () => {
    const app = await webhookApp({ clock: new TestClock() })
    const { id } = await app.createEndpoint({ url: 'http://127.0.0.1:9/closed', events: ['*'] })
    await app.emit('job.created')
    await app.dispatcher.drain()
    expect((await attemptsOf(app, id)).attempts[0]).toMatchObject({ succeeded: false, status_code: null, error: 'connect' })
  })

  test('a certificate that does not verify for the hostname is a tls error', async () => {
    const fixtures = join(import.meta.dir, 'fixtures')
    // A throwaway self-signed certificate for hook.test (test fixture, not a secret).
    const tls = { cert: Bun.file(join(fixtures, 'self-signed.crt')), key: Bun.file(join(fixtures, 'self-signed.key')) }
    const server = Bun.serve({ port: 0, hostname: '127.0.0.1', tls, fetch: () => new Response('ok') })
    receivers.push({ stop: () => server.stop(true) })
    const app = await webhookApp({
      clock: new TestClock(),
      resolveHost: async () => [{ address: '127.0.0.1', family: 4 }],
    })
    const { id } = await app.createEndpoint({ url: `https://hook.test:${server.port}/hook`, events: ['*'] })
    await app.emit('job.created')
    await app.dispatcher.drain()
    expect((await attemptsOf(app, id)).attempts[0]).toMatchObject({ succeeded: false, status_code: null, error: 'tls' })
  })

  test('a name that does not resolve is a dns error', async () => {
    const app = await webhookApp({
      clock: new TestClock(),
      resolveHost: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })
      },
    })
    const { id } = await app.createEndpoint({ url: 'http://nowhere.invalid/hook', events: ['*'] })
    await app.emit('job.created')
    await app.dispatcher.drain()
    const [attempt] = (await attemptsOf(app, id)).attempts
    expect(attempt).toMatchObject({ succeeded: false, error: 'dns' })
    expect(attempt!.error_message).toContain('ENOTFOUND')
  })
})

describe('no DNS rebinding: the address is checked on every attempt and the connection goes to it', () => {
  test('the connection goes to the resolved address, with the hostname as Host', async () => {
    const r = receiver()
    let lookups = 0
    const app = await webhookApp({
      clock: systemClock,
      start: true,
      resolveHost: async (host) => {
        lookups++
        if (host !== 'pinned.invalid') throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' })
        return [{ address: '127.0.0.1', family: 4 }]
      },
    })
    await app.createEndpoint({ url: `http://pinned.invalid:${r.port}/hook`, events: ['*'] })
    await app.emit('job.created')
    await app.emit('job.updated')
    await r.waitFor(2)
    expect(r.received[0]!.headers.host).toBe(`pinned.invalid:${r.port}`)
    expect(lookups).toBe(2)
    await app.dispatcher.stop()
  })

  test('a name that passed at create but now resolves to a private address is refused at send', async () => {
    const r = receiver()
    let answer = '93.184.215.14'
    const app = await webhookApp({
      clock: new TestClock(),
      env: { CREWBASE_WEBHOOK_ALLOW_INSECURE: 'false' },
      resolveHost: async () => [{ address: answer, family: 4 }],
    })
    const { id } = await app.createEndpoint({ url: `https://rebind.example.com:${r.port}/hook`, events: ['*'] })
    answer = '127.0.0.1'
    await app.emit('job.created')
    await app.dispatcher.drain()
    const [attempt] = (await attemptsOf(app, id)).attempts
    expect(attempt).toMatchObject({ succeeded: false, status_code: null, error: 'connect' })
    expect(attempt!.error_message).toContain('127.0.0.1')
    expect(r.received).toHaveLength(0)
  })

  test('an http URL stored while insecure was allowed is refused once it no longer is', async () => {
    const r = receiver()
    const loose = await webhookApp({ clock: new TestClock() })
    const { id } = await loose.createEndpoint({ url: r.url, events: ['*'] })
    // The server restarts without CREWBASE_WEBHOOK_ALLOW_INSECURE.
    loose.deps.config = { ...loose.deps.config, webhookAllowInsecure: false }
    await loose.emit('job.created')
    await loose.dispatcher.drain()
    expect((await attemptsOf(loose, id)).attempts[0]).toMatchObject({ succeeded: false, error: 'connect' })
    expect(r.received).toHaveLength(0)
  })
})
