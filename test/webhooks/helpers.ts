import type { Clock } from '../../src/clock'
import { transaction } from '../../src/db/transaction'
import type { EventType } from '../../src/events/catalog'
import { recordEvent } from '../../src/events/record'
import { newId } from '../../src/ids'
import type { HostResolver } from '../../src/outbox/address'
import { Dispatcher } from '../../src/outbox/dispatcher'
import { createTestApp } from '../helpers/app'

export interface Received {
  method: string
  path: string
  headers: Record<string, string>
  body: string
  at: number
}

type Reply = (request: Received) => Response | Promise<Response>

/** A webhook receiver on loopback that records every request; `reply` decides each answer. */
export function startReceiver(reply: Reply = () => new Response('ok')) {
  const received: Received[] = []
  const waiters: Array<{ count: number; resolve: () => void }> = []
  let current = reply
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    idleTimeout: 30,
    async fetch(request) {
      const entry: Received = {
        method: request.method,
        path: new URL(request.url).pathname,
        headers: Object.fromEntries(request.headers),
        body: await request.text(),
        at: performance.now(),
      }
      received.push(entry)
      for (const waiter of [...waiters]) {
        if (received.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1)
          waiter.resolve()
        }
      }
      return current(entry)
    },
  })
  return {
    url: `http://127.0.0.1:${server.port}/hook`,
    port: server.port!,
    received,
    /** Changes how the receiver answers from now on. */
    reply(next: Reply) {
      current = next
    },
    /** Resolves once `count` requests have arrived in all; rejects after `timeoutMs`. */
    waitFor(count: number, timeoutMs = 5000): Promise<void> {
      if (received.length >= count) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver got ${received.length} of ${count} requests`)), timeoutMs)
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        })
      })
    },
    stop: () => server.stop(true),
  }
}

export type Receiver = ReturnType<typeof startReceiver>

/** A test app with a seeded org; `dispatcher` is started only when asked (a TestClock test drives it by hand). */
export async function webhookApp(options: { env?: Record<string, string>; clock?: Clock; resolveHost?: HostResolver; start?: boolean } = {}) {
  const ctx = await createTestApp({ env: options.env, clock: options.clock })
  if (options.resolveHost) ctx.deps.resolveHost = options.resolveHost
  const seeded = await ctx.seedOrg()
  const dispatcher = new Dispatcher(ctx.deps)
  ctx.database.onDeliveriesQueued(() => dispatcher.wake())
  if (options.start) dispatcher.start()
  /** Creates an endpoint through the API; fails the test on anything but 201. */
  async function createEndpoint(body: Record<string, unknown>) {
    const res = await ctx.call('POST', '/api/v1/webhooks', { token: seeded.key, body })
    if (res.status !== 201) throw new Error(`create webhook: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body.data as { id: string; secret: string } & Record<string, any>
  }
  /** Records an event the way a domain service does: inside a transaction of its own. */
  function emit(type: EventType, object: Record<string, unknown> = {}, previous?: Record<string, unknown>, orgId = seeded.org.id) {
    return transaction(ctx.db, (trx) =>
      recordEvent(trx, {
        orgId,
        type,
        object: { id: newId(type.slice(0, type.indexOf('.'))), version: 1, ...object } as { id: string },
        previous,
        at: ctx.deps.clock.now(),
      }),
    )
  }
  return { ...ctx, ...seeded, dispatcher, createEndpoint, emit }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
