import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { version } from '../../package.json'
import { systemClock } from '../../src/clock'
import { type Received, startReceiver, webhookApp } from './helpers'

// 1. The verifier printed in PRODUCT.md §3, unchanged.
function verify(body: string, header: string, secret: string) {
  const fields = Object.fromEntries(header.split(',').map((kv) => kv.split('=')))
  const mac = createHmac('sha256', secret).update(fields.t + '.' + body).digest('hex')
  return fields.v1 === mac
}

// 2. The standardwebhooks npm library.
function verifyStandard(received: Received, secret: string): boolean {
  try {
    new Webhook(secret).verify(received.body, received.headers)
    return true
  } catch {
    return false
  }
}

// 3. Stripe's `webhooks.constructEvent` algorithm as its library implements it: every `v1`
//    entry is a candidate, compared in constant time, with a 300 s timestamp tolerance.
function constructStripeEvent(payload: string, header: string, secret: string, toleranceSeconds = 300) {
  const details = header.split(',').reduce(
    (accum, item) => {
      const kv = item.split('=')
      if (kv[0] === 't') accum.timestamp = Number.parseInt(kv[1]!, 10)
      if (kv[0] === 'v1') accum.signatures.push(kv[1]!)
      return accum
    },
    { timestamp: -1, signatures: [] as string[] },
  )
  if (details.timestamp === -1 || details.signatures.length === 0) throw new Error('Unable to extract timestamp and signatures from header')
  const expected = Buffer.from(createHmac('sha256', secret).update(`${details.timestamp}.${payload}`, 'utf8').digest('hex'))
  const match = details.signatures.some((sig) => sig.length === expected.length && timingSafeEqual(Buffer.from(sig), expected))
  if (!match) throw new Error('No signatures found matching the expected signature for payload')
  if (Math.floor(Date.now() / 1000) - details.timestamp > toleranceSeconds) throw new Error('Timestamp outside the tolerance zone')
  return JSON.parse(payload)
}
const stripeAccepts = (r: Received, secret: string) => {
  try {
    constructStripeEvent(r.body, r.headers['x-crewbase-signature']!, secret)
    return true
  } catch {
    return false
  }
}

describe('every delivery is signed so three independent verifiers accept it', () => {
  const receiver = startReceiver()
  let app: Awaited<ReturnType<typeof webhookApp>>
  let endpoint: { id: string; secret: string }
  beforeAll(async () => {
    app = await webhookApp({ clock: systemClock, start: true })
    endpoint = await app.createEndpoint({ url: receiver.url, events: ['*'], headers: { Authorization: 'Bearer receiver-token', 'X-Tenant': 't1' } })
  })
  afterAll(async () => {
    await app.dispatcher.stop()
    receiver.stop()
  })

  test('an event with odd Unicode, quotes and HTML verifies with all three', async () => {
    await app.emit('job.created', { title: 'Boiler "repair" <b>now</b> – ünïcödé 🔧', note: 'line\nbreak\u2028sep' })
    await receiver.waitFor(1)
    const delivery = receiver.received[0]!
    expect(verify(delivery.body, delivery.headers['x-crewbase-signature']!, endpoint.secret)).toBe(true)
    expect(verifyStandard(delivery, endpoint.secret)).toBe(true)
    expect(stripeAccepts(delivery, endpoint.secret)).toBe(true)
  })

  test('a tampered body or another secret fails all three', async () => {
    const delivery = receiver.received[0]!
    const tampered = { ...delivery, body: delivery.body.replace('Boiler', 'Boiled') }
    expect(verify(tampered.body, delivery.headers['x-crewbase-signature']!, endpoint.secret)).toBe(false)
    expect(verifyStandard(tampered, endpoint.secret)).toBe(false)
    expect(stripeAccepts(tampered, endpoint.secret)).toBe(false)
    const other = 'whsec_' + Buffer.alloc(32, 7).toString('base64')
    expect(verify(delivery.body, delivery.headers['x-crewbase-signature']!, other)).toBe(false)
    expect(verifyStandard(delivery, other)).toBe(false)
    expect(stripeAccepts(delivery, other)).toBe(false)
  })

  test('the body is exactly {id, type, created_at, org_id, data:{object}}', async () => {
    const body = JSON.parse(receiver.received[0]!.body)
    expect(Object.keys(body)).toEqual(['id', 'type', 'created_at', 'org_id', 'data'])
    expect(body.id).toMatch(/^evt_/)
    expect(body.type).toBe('job.created')
    expect(body.org_id).toBe(app.org.id)
    expect(new Date(body.created_at).toISOString()).toBe(body.created_at)
    expect(Object.keys(body.data)).toEqual(['object'])
    expect(body.data.object.title).toBe('Boiler "repair" <b>now</b> – ünïcödé 🔧')
  })

  test('*.updated carries previous with the changed fields', async () => {
    await app.emit('client.updated', { name: 'New name' }, { name: 'Old name' })
    await receiver.waitFor(2)
    const body = JSON.parse(receiver.received[1]!.body)
    expect(body.data).toEqual({ object: expect.objectContaining({ name: 'New name' }), previous: { name: 'Old name' } })
  })

  test('headers: event, delivery id, timestamps, user agent, content type, custom headers', async () => {
    const { headers, body } = receiver.received[0]!
    const parsed = JSON.parse(body)
    expect(headers['x-crewbase-event']).toBe('job.created')
    expect(headers['x-crewbase-delivery']).toMatch(/^dlv_/)
    expect(headers['webhook-id']).toBe(headers['x-crewbase-delivery']!)
    expect(headers['x-crewbase-timestamp']).toBe(headers['webhook-timestamp']!)
    expect(Math.abs(Number(headers['x-crewbase-timestamp']) - Date.now() / 1000)).toBeLessThan(5)
    expect(headers['x-crewbase-signature']).toMatch(new RegExp(`^t=${headers['x-crewbase-timestamp']},v1=[0-9a-f]{64}$`))
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/)
    expect(headers['user-agent']).toBe(`Crewbase-Webhooks/${version}`)
    expect(headers['content-type']).toBe('application/json')
    expect(headers.authorization).toBe('Bearer receiver-token')
    expect(headers['x-tenant']).toBe('t1')
    expect(parsed.id).not.toBe(headers['x-crewbase-delivery'])
  })

  test('custom headers can never override ours, even if one got stored', async () => {
    await app.db
      .updateTable('webhook_endpoints')
      .set({ headers: JSON.stringify({ 'X-Crewbase-Event': 'forged', 'User-Agent': 'forged', 'webhook-signature': 'v1,forged', 'X-Kept': 'yes' }) })
      .where('id', '=', endpoint.id)
      .execute()
    await app.emit('job.started')
    await receiver.waitFor(3)
    const { headers } = receiver.received[2]!
    expect(headers['x-crewbase-event']).toBe('job.started')
    expect(headers['user-agent']).toBe(`Crewbase-Webhooks/${version}`)
    expect(headers['webhook-signature']).not.toContain('forged')
    expect(headers['x-kept']).toBe('yes')
    await app.db.updateTable('webhook_endpoints').set({ headers: '{}' }).where('id', '=', endpoint.id).execute()
  })
})

describe('rotate-secret: the old secret keeps signing beside the new one for 24 hours', () => {
  const receiver = startReceiver()
  let app: Awaited<ReturnType<typeof webhookApp>>
  beforeAll(async () => {
    app = await webhookApp({ clock: systemClock, start: true })
  })
  afterAll(async () => {
    await app.dispatcher.stop()
    receiver.stop()
  })

  test('during the overlap both secrets verify; the old one is the second v1= / v1, entry', async () => {
    const { id, secret: oldSecret } = await app.createEndpoint({ url: receiver.url, events: ['job.*'] })
    const rotated = await app.call('POST', `/api/v1/webhooks/${id}/rotate-secret`, { token: app.key })
    const newSecret = rotated.body.data.secret as string
    await app.emit('job.created')
    await receiver.waitFor(1)
    const delivery = receiver.received[0]!
    const crewbase = delivery.headers['x-crewbase-signature']!.split(',')
    expect(crewbase).toHaveLength(3)
    expect(crewbase[1]).toBe(`v1=${createHmac('sha256', newSecret).update(`${crewbase[0]!.slice(2)}.${delivery.body}`).digest('hex')}`)
    expect(crewbase[2]).toBe(`v1=${createHmac('sha256', oldSecret).update(`${crewbase[0]!.slice(2)}.${delivery.body}`).digest('hex')}`)
    expect(delivery.headers['webhook-signature']!.split(' ')).toHaveLength(2)
    for (const secret of [newSecret, oldSecret]) {
      expect(verifyStandard(delivery, secret)).toBe(true)
      expect(stripeAccepts(delivery, secret)).toBe(true)
    }
    // The seed verifier reads one v1 (the last): a receiver still on the old secret keeps working.
    expect(verify(delivery.body, delivery.headers['x-crewbase-signature']!, oldSecret)).toBe(true)

    // After the overlap only the new secret signs, and every verifier accepts it.
    await app.db
      .updateTable('webhook_endpoints')
      .set({ previous_secret_expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', id)
      .execute()
    await app.emit('job.completed')
    await receiver.waitFor(2)
    const later = receiver.received[1]!
    expect(later.headers['x-crewbase-signature']!.split(',')).toHaveLength(2)
    expect(verify(later.body, later.headers['x-crewbase-signature']!, newSecret)).toBe(true)
    expect(verifyStandard(later, newSecret)).toBe(true)
    expect(stripeAccepts(later, newSecret)).toBe(true)
    expect(verifyStandard(later, oldSecret)).toBe(false)
    expect(stripeAccepts(later, oldSecret)).toBe(false)
  })
})
