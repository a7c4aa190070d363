import { beforeAll, describe, expect, test } from 'bun:test'
import { useHttpApp } from '../helpers/http'
import { listAll, MONEY_ENV, moneyApp, type MoneyApp, moneyCounts, eventsOf } from './setup'

// HTTP suites: in-process and against the binary (npm run test:binary), one app per file, one org per test.
const host = useHttpApp(MONEY_ENV)

async function sentInvoice(app: MoneyApp, totalCents: number) {
  const created = await app.api('POST', '/invoices', {
    client_id: app.clientId,
    line_items: [{ description: 'Job', unit_price_cents: totalCents }],
  })
  await app.api('POST', `/invoices/${created.body.data.id}/send`)
  return created.body.data.id as string
}

const pay = (app: MoneyApp, invoiceId: string, amount: number, extra: Record<string, unknown> = {}) =>
  app.api('POST', '/payments', { invoice_id: invoiceId, amount_cents: amount, method: 'ach', ...extra })

describe('concurrent payments on one invoice', () => {
  test('never over-collect: exactly the payments that fit succeed, and the invoice is paid once', async () => {
    const app = await moneyApp(host())
    const invoiceId = await sentInvoice(app, 10_000)
    const results = await Promise.all(Array.from({ length: 25 }, () => pay(app, invoiceId, 1_000)))
    const statuses = results.map((r) => r.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(10)
    // Once the balance is short, the rest are refused: overpaying (400) or paying a paid invoice (409).
    expect(statuses.every((s) => s === 201 || s === 400 || s === 409)).toBe(true)
    const invoice = (await app.api('GET', `/invoices/${invoiceId}`)).body.data
    expect(invoice).toMatchObject({ status: 'paid', amount_paid_cents: 10_000, balance_cents: 0 })
    const stored = await listAll(app, `/payments?invoice_id=${invoiceId}`)
    expect(stored.reduce((sum, p) => sum + p.amount_cents, 0)).toBe(10_000)
    expect(await eventsOf(app, 'payment.received')).toHaveLength(10)
    expect(await eventsOf(app, 'invoice.paid')).toHaveLength(1)
  })

  test('of uneven amounts never exceed the total either', async () => {
    const app = await moneyApp(host())
    const invoiceId = await sentInvoice(app, 9_999)
    const amounts = [5_000, 4_321, 3_333, 2_500, 1_234, 999, 17, 1, 3_333, 3_333]
    const results = await Promise.all(amounts.map((amount) => pay(app, invoiceId, amount)))
    expect(results.every((r) => r.status === 201 || r.status === 400 || r.status === 409)).toBe(true)
    const collected = amounts.filter((_, i) => results[i]!.status === 201).reduce((a, b) => a + b, 0)
    const invoice = (await app.api('GET', `/invoices/${invoiceId}`)).body.data
    expect(invoice.amount_paid_cents).toBe(collected)
    expect(collected).toBeLessThanOrEqual(9_999)
    expect(invoice.balance_cents).toBe(9_999 - collected)
  })
})

describe('recording a payment', () => {
  let app: MoneyApp
  beforeAll(async () => {
    app = await moneyApp(host())
  })

  test('more than the balance is 400 and records nothing', async () => {
    const invoiceId = await sentInvoice(app, 5_000)
    await pay(app, invoiceId, 4_000)
    const before = (await moneyCounts(app)).payments
    const res = await pay(app, invoiceId, 1_001)
    expect(res.status).toBe(400)
    expect(res.body.error.details).toEqual([{ field: '/amount_cents', message: 'exceeds the invoice balance of 1000' }])
    expect((await moneyCounts(app)).payments).toBe(before)
    expect((await app.api('GET', `/invoices/${invoiceId}`)).body.data.amount_paid_cents).toBe(4_000)
  })

  test('retried with the same Idempotency-Key is recorded once', async () => {
    const invoiceId = await sentInvoice(app, 5_000)
    const body = { invoice_id: invoiceId, amount_cents: 1_500, method: 'card' }
    const headers = { 'idempotency-key': `pay-${invoiceId}` }
    const first = await app.api('POST', '/payments', body, headers)
    const again = await app.api('POST', '/payments', body, headers)
    expect(again.status).toBe(201)
    expect(again.body.data.id).toBe(first.body.data.id)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect((await app.api('GET', `/invoices/${invoiceId}`)).body.data.amount_paid_cents).toBe(1_500)
    const changed = await app.api('POST', '/payments', { ...body, amount_cents: 1_600 }, headers)
    expect(changed.status).toBe(422)
  })

  test('on a draft invoice is 409', async () => {
    const created = await app.api('POST', '/invoices', { client_id: app.clientId, line_items: [{ description: 'x', unit_price_cents: 100 }] })
    const res = await pay(app, created.body.data.id, 50)
    expect(res.status).toBe(409)
    expect(res.body.error.message).toBe('Cannot record a payment on an invoice that is draft; only a sent or partially_paid invoice takes payments')
  })

  test('in another currency than the invoice is 400', async () => {
    const invoiceId = await sentInvoice(app, 5_000)
    const res = await pay(app, invoiceId, 100, { currency: 'EUR' })
    expect(res.status).toBe(400)
    expect(res.body.error.details[0].field).toBe('/currency')
    expect((await pay(app, invoiceId, 100, { currency: 'USD' })).status).toBe(201)
  })

  test('keeps received_at in UTC and refuses one in the future or without a zone', async () => {
    const invoiceId = await sentInvoice(app, 5_000)
    const ok = await pay(app, invoiceId, 100, { received_at: '2026-11-21T09:30:00+02:00' })
    expect(ok.body.data.received_at).toBe('2026-11-21T07:30:00.000Z')
    for (const received_at of [new Date(Date.now() + 3_600_000).toISOString(), '2026-11-21', '2026-11-21T09:30:00', 'yesterday']) {
      const res = await pay(app, invoiceId, 100, { received_at })
      expect(res.status).toBe(400)
      expect(res.body.error.details[0].field).toBe('/received_at')
    }
  })

  test('is readable by id and listed by invoice, client and method; another org sees none', async () => {
    const invoiceId = await sentInvoice(app, 5_000)
    const cash = await pay(app, invoiceId, 100, { method: 'cash' })
    const got = await app.api('GET', `/payments/${cash.body.data.id}`)
    expect(got.body.data).toEqual(cash.body.data)
    expect(got.headers.get('etag')).toBe('"v1"')
    const byInvoice = await app.api('GET', `/payments?invoice_id=${invoiceId}&method=cash`)
    expect(byInvoice.body.data.map((p: any) => p.id)).toEqual([cash.body.data.id])
    expect((await app.api('GET', `/payments?client_id=${app.clientId}`)).body.pagination.total).toBeGreaterThan(1)
    const other = await app.seedOrg('Elsewhere')
    expect((await app.call('GET', `/api/v1/payments/${cash.body.data.id}`, { token: other.key })).status).toBe(404)
    expect((await app.call('GET', '/api/v1/payments', { token: other.key })).body.data).toEqual([])
  })
})
