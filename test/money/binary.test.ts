import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { type RunningServer, runBinary, startBinary, tempDir } from '../helpers/binary'
import { expectedDocument } from './oracle'

// The whole money flow as an integrator sees it: the built binary, real HTTP, a key from `init`.
let server: RunningServer
let key: string
beforeAll(async () => {
  const dir = tempDir()
  const env = { CREWBASE_DB: join(dir, 'db.sqlite') }
  const init = runBinary(['init', '--org', 'Acme Plumbing', '--email', 'owner@example.com', '--password', 'password1', '--json'], env)
  expect(init.code).toBe(0)
  key = JSON.parse(init.stdout).api_key.key
  server = await startBinary({ CREWBASE_RATE_LIMIT: '1000' }, env.CREWBASE_DB)
})
afterAll(async () => {
  await server?.stop()
})

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as any }
}

describe('money over real HTTP against the built binary', () => {
  test('an estimate with mixed-tax fractional lines becomes a job and an invoice that is part-paid, paid, with its events', async () => {
    const client = await api('POST', '/clients', { name: 'Dana Homeowner' })
    expect(client.status).toBe(201)
    const labour = await api('POST', '/pricebook', { name: 'Plumber, per hour', kind: 'service', unit_price_cents: 9500, tax_rate_bps: 0 })
    const lines = [
      { pricebook_item_id: labour.body.data.id, quantity: 2.5 },
      { description: 'Water heater, 40 gal', quantity: 1, unit_price_cents: 64999, tax_rate_bps: 825 },
      { description: 'Copper pipe (m)', quantity: 3.333, unit_price_cents: 1005, tax_rate_bps: 725 },
    ]
    const estimate = await api('POST', '/estimates', { client_id: client.body.data.id, title: 'Replace water heater', line_items: lines })
    expect(estimate.status).toBe(201)
    const expected = expectedDocument([
      { quantity: '2.5', unit_price_cents: 9500, tax_rate_bps: 0 },
      { quantity: '1', unit_price_cents: 64999, tax_rate_bps: 825 },
      { quantity: '3.333', unit_price_cents: 1005, tax_rate_bps: 725 },
    ])
    const { subtotal_cents, tax_cents, total_cents } = estimate.body.data
    expect({ subtotal_cents, tax_cents, total_cents }).toEqual(expected)

    const id = estimate.body.data.id
    expect((await api('POST', `/estimates/${id}/approve`)).status).toBe(409)
    expect((await api('POST', `/estimates/${id}/send`)).body.data.status).toBe('sent')
    expect((await api('POST', `/estimates/${id}/approve`)).body.data.status).toBe('approved')
    const converted = await api('POST', `/estimates/${id}/convert`, { create: ['job', 'invoice'] })
    expect(converted.status).toBe(200)
    expect(converted.body.data.status).toBe('converted')
    const job = await api('GET', `/jobs/${converted.body.data.job_id}`)
    expect(job.body.data).toMatchObject({ title: 'Replace water heater', client_id: client.body.data.id })
    const invoiceId = converted.body.data.invoice_id
    const invoice = await api('GET', `/invoices/${invoiceId}`)
    expect(invoice.body.data).toMatchObject({ status: 'draft', job_id: job.body.data.id, total_cents: expected.total_cents, line_items: [{ quantity: 2.5 }, { quantity: 1 }, { quantity: 3.333 }] })

    expect((await api('POST', '/payments', { invoice_id: invoiceId, amount_cents: 100, method: 'cash' })).status).toBe(409)
    expect((await api('POST', `/invoices/${invoiceId}/send`)).body.data.status).toBe('sent')
    const part = await api('POST', '/payments', { invoice_id: invoiceId, amount_cents: 20_000, method: 'check', reference: '#1042' })
    expect(part.status).toBe(201)
    expect((await api('GET', `/invoices/${invoiceId}`)).body.data).toMatchObject({ status: 'partially_paid', balance_cents: expected.total_cents - 20_000 })
    expect((await api('POST', `/invoices/${invoiceId}/void`)).status).toBe(409)
    const over = await api('POST', '/payments', { invoice_id: invoiceId, amount_cents: expected.total_cents, method: 'card' })
    expect(over.status).toBe(400)
    const rest = await api('POST', '/payments', { invoice_id: invoiceId, amount_cents: expected.total_cents - 20_000, method: 'card' })
    expect(rest.status).toBe(201)
    expect((await api('GET', `/invoices/${invoiceId}`)).body.data).toMatchObject({ status: 'paid', balance_cents: 0 })

    const events = await api('GET', '/events?per_page=100')
    const types = events.body.data.map((e: any) => e.type).reverse()
    expect(types).toEqual([
      'client.created',
      'estimate.created',
      'estimate.approved',
      'job.created',
      'invoice.created',
      'invoice.sent',
      'payment.received',
      'payment.received',
      'invoice.paid',
    ])
  })

  test('concurrent payments over HTTP never over-collect', async () => {
    const client = await api('POST', '/clients', { name: 'Concurrent Co' })
    const invoice = await api('POST', '/invoices', { client_id: client.body.data.id, line_items: [{ description: 'Service', unit_price_cents: 5_000 }] })
    const id = invoice.body.data.id
    await api('POST', `/invoices/${id}/send`)
    const results = await Promise.all(Array.from({ length: 30 }, () => api('POST', '/payments', { invoice_id: id, amount_cents: 700, method: 'card' })))
    expect(results.every((r) => [201, 400, 409].includes(r.status))).toBe(true)
    const ok = results.filter((r) => r.status === 201).length
    expect(ok).toBe(7) // 7 × 700 = 4900; an 8th would exceed 5000
    expect((await api('GET', `/invoices/${id}`)).body.data).toMatchObject({ amount_paid_cents: 4_900, balance_cents: 100, status: 'partially_paid' })
    expect((await api('POST', '/payments', { invoice_id: id, amount_cents: 100, method: 'cash' })).status).toBe(201)
    expect((await api('GET', `/invoices/${id}`)).body.data.status).toBe('paid')
  })
})
