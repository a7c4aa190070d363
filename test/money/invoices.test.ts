import { beforeAll, describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { useHttpApp } from '../helpers/http'
import { createClient, createJob, MONEY_ENV, moneyApp, type MoneyApp, moneyCounts, eventsOf, expectJustNow } from './setup'
import { expectedDocument } from './oracle'

// HTTP suites: in-process and against the binary (npm run test:binary), one app per file, one org per test.
const host = useHttpApp(MONEY_ENV)

const lines = [
  { description: 'Service call', quantity: 1, unit_price_cents: 8900, tax_rate_bps: 0 },
  { description: 'Labour', quantity: 2.75, unit_price_cents: 9500, tax_rate_bps: 825 },
  { description: 'Fittings', quantity: 7, unit_price_cents: 149, tax_rate_bps: 1025 },
]

async function newInvoice(app: MoneyApp, body: Record<string, unknown> = {}) {
  const res = await app.api('POST', '/invoices', { client_id: app.clientId, line_items: lines, due_date: '2026-12-22', ...body })
  expect(res.status).toBe(201)
  return res.body.data
}

const pay = (app: MoneyApp, invoiceId: string, amount: number, extra: Record<string, unknown> = {}) =>
  app.api('POST', '/payments', { invoice_id: invoiceId, amount_cents: amount, method: 'card', ...extra })

describe('an invoice from draft to paid', () => {
  test('is sent, part-paid and fully paid, with its status and events in step', async () => {
    const app = await moneyApp(host())
    const invoice = await newInvoice(app)
    expect(invoice).toMatchObject({ number: 'INV-1001', status: 'draft', amount_paid_cents: 0, due_date: '2026-12-22' })
    // 8900 + 26125 (+2155.3125→2155) + 1043 (+106.9075→107)
    expect([invoice.subtotal_cents, invoice.tax_cents, invoice.total_cents, invoice.balance_cents]).toEqual([36068, 2262, 38330, 38330])

    const sent = await app.api('POST', `/invoices/${invoice.id}/send`)
    expect(sent.body.data.status).toBe('sent')
    expectJustNow(sent.body.data.sent_at)

    const first = await pay(app, invoice.id, 10000, { method: 'check', reference: 'Check #1042' })
    expect(first.status).toBe(201)
    expect(first.body.data).toMatchObject({ invoice_id: invoice.id, client_id: app.clientId, amount_cents: 10000, currency: 'USD', method: 'check', reference: 'Check #1042' })
    const part = (await app.api('GET', `/invoices/${invoice.id}`)).body.data
    expect(part).toMatchObject({ status: 'partially_paid', amount_paid_cents: 10000, balance_cents: 28330, paid_at: null })

    const rest = await pay(app, invoice.id, 28330)
    expect(rest.status).toBe(201)
    const paid = (await app.api('GET', `/invoices/${invoice.id}`)).body.data
    expect(paid).toMatchObject({ status: 'paid', amount_paid_cents: 38330, balance_cents: 0 })
    expectJustNow(paid.paid_at)

    const events = await eventsOf(app)
    expect(events.map((e) => e.type)).toEqual(['invoice.created', 'invoice.sent', 'payment.received', 'payment.received', 'invoice.paid'])
    expect(events[4]!.data.object).toEqual(paid)
    expect(events[3]!.data.object).toEqual(rest.body.data)
    const payments = await app.api('GET', `/payments?invoice_id=${invoice.id}`)
    expect(payments.body.data.map((p: any) => p.amount_cents)).toEqual([28330, 10000])

    // Paid is final: no more payments, no voiding, no new lines.
    expect((await pay(app, invoice.id, 1)).status).toBe(409)
    expect((await app.api('POST', `/invoices/${invoice.id}/void`)).status).toBe(409)
    expect((await app.api('PATCH', `/invoices/${invoice.id}`, { line_items: [] })).status).toBe(409)
  })

  test('a zero-total invoice is paid the moment it is sent', async () => {
    const app = await moneyApp(host())
    const invoice = await newInvoice(app, { line_items: [{ description: 'Warranty visit', unit_price_cents: 0 }] })
    const sent = await app.api('POST', `/invoices/${invoice.id}/send`)
    expect(sent.body.data).toMatchObject({ status: 'paid', balance_cents: 0 })
    expect((await eventsOf(app)).map((e) => e.type)).toEqual(['invoice.created', 'invoice.sent', 'invoice.paid'])
  })
})

describe('voiding', () => {
  let app: MoneyApp
  beforeAll(async () => {
    app = await moneyApp(host())
  })

  test('a draft and a sent invoice can be voided, with a reason', async () => {
    const draft = await newInvoice(app)
    const voided = await app.api('POST', `/invoices/${draft.id}/void`, { reason: 'Duplicate' })
    expect(voided.body.data).toMatchObject({ status: 'void', void_reason: 'Duplicate' })
    expectJustNow(voided.body.data.voided_at)
    const sent = await newInvoice(app)
    await app.api('POST', `/invoices/${sent.id}/send`)
    expect((await app.api('POST', `/invoices/${sent.id}/void`)).body.data.status).toBe('void')
  })

  test('a partially paid, paid or void invoice cannot be voided, and nothing changes', async () => {
    const part = await newInvoice(app)
    await app.api('POST', `/invoices/${part.id}/send`)
    await pay(app, part.id, 100)
    const full = await newInvoice(app)
    await app.api('POST', `/invoices/${full.id}/send`)
    await pay(app, full.id, full.total_cents)
    const gone = await newInvoice(app)
    await app.api('POST', `/invoices/${gone.id}/void`)
    for (const invoice of [part, full, gone]) {
      const before = (await app.api('GET', `/invoices/${invoice.id}`)).body.data
      const res = await app.api('POST', `/invoices/${invoice.id}/void`)
      expect(res.status).toBe(409)
      expect(res.body.error.message).toContain('only an invoice that is draft or sent can be')
      expect((await app.api('GET', `/invoices/${invoice.id}`)).body.data).toEqual(before)
    }
  })

  test('a void invoice takes no payment, edit or send', async () => {
    const invoice = await newInvoice(app)
    await app.api('POST', `/invoices/${invoice.id}/void`)
    expect((await pay(app, invoice.id, 1)).status).toBe(409)
    expect((await app.api('POST', `/invoices/${invoice.id}/send`)).status).toBe(409)
    expect((await app.api('PATCH', `/invoices/${invoice.id}`, { notes: 'x' })).status).toBe(409)
  })
})

describe('invoice totals', () => {
  let app: MoneyApp
  beforeAll(async () => {
    app = await moneyApp(host())
  })

  test('match an independent calculation for random documents', async () => {
    const line = fc.record({
      description: fc.constant('Line'),
      thousandths: fc.integer({ min: 1, max: 5_000_000 }),
      unit_price_cents: fc.integer({ min: 0, max: 10_000_000 }),
      tax_rate_bps: fc.oneof(fc.constantFrom(0, 50, 500, 725, 825, 1000, 2000), fc.integer({ min: 0, max: 10_000 })),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 12 }), async (drawn) => {
        const text = (t: number) => `${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}`
        const body = drawn.map((l) => ({ description: l.description, quantity: Number(text(l.thousandths)), unit_price_cents: l.unit_price_cents, tax_rate_bps: l.tax_rate_bps }))
        const res = await app.api('POST', '/invoices', { client_id: app.clientId, line_items: body })
        expect(res.status).toBe(201)
        const expected = expectedDocument(drawn.map((l) => ({ quantity: text(l.thousandths), unit_price_cents: l.unit_price_cents, tax_rate_bps: l.tax_rate_bps })))
        const { subtotal_cents, tax_cents, total_cents } = res.body.data
        expect({ subtotal_cents, tax_cents, total_cents }).toEqual(expected)
        expect(res.body.data.line_items.reduce((sum: number, l: any) => sum + l.total_cents, 0)).toBe(total_cents)
      }),
      { numRuns: 40 },
    )
  }, 60_000)

  test('are rounded per line: three half-cent taxes make three cents, not two', async () => {
    const res = await app.api('POST', '/invoices', {
      client_id: app.clientId,
      line_items: [1, 2, 3].map((n) => ({ description: `Part ${n}`, unit_price_cents: 100, tax_rate_bps: 50 })),
    })
    expect(res.body.data.line_items.map((l: any) => l.tax_cents)).toEqual([1, 1, 1])
    expect(res.body.data.tax_cents).toBe(3)
  })
})

describe('listing invoices', () => {
  test('embeds line items, filters by status, client_id and job_id, and pages by cursor', async () => {
    const app = await moneyApp(host())
    const other = await createClient(app, 'Other client')
    const job = await createJob(app, other)
    const a = await newInvoice(app)
    const b = await newInvoice(app, { client_id: other, job_id: job, line_items: [lines[0]] })
    const c = await newInvoice(app)
    await app.api('POST', `/invoices/${c.id}/send`)
    const list = await app.api('GET', '/invoices')
    expect(list.body.data.map((i: any) => [i.id, i.line_items.length])).toEqual([[c.id, 3], [b.id, 1], [a.id, 3]])
    expect(list.body.data[0].line_items[1]).toMatchObject({ position: 2, description: 'Labour', quantity: 2.75 })
    const ids = async (query: string) => (await app.api('GET', `/invoices?${query}`)).body.data.map((i: any) => i.id)
    expect(await ids('status=sent')).toEqual([c.id])
    expect(await ids('status=draft')).toEqual([b.id, a.id])
    expect(await ids(`client_id=${other}`)).toEqual([b.id])
    expect(await ids(`job_id=${job}`)).toEqual([b.id])
    const first = await app.api('GET', '/invoices?per_page=2')
    const next = await app.api('GET', `/invoices?per_page=2&cursor=${first.body.pagination.next_cursor}`)
    expect(next.body.data.map((i: any) => i.id)).toEqual([a.id])
    expect(next.body.data[0].line_items).toHaveLength(3)
  })
})

describe('invoices across organizations', () => {
  test('another org’s invoice is 404 to read, change, send, void or pay', async () => {
    const app = await moneyApp(host())
    const invoice = await newInvoice(app)
    const other = await app.seedOrg('Other Org')
    const as = (method: string, path: string, body?: unknown) => app.call(method, `/api/v1${path}`, { token: other.key, body })
    expect((await as('GET', `/invoices/${invoice.id}`)).status).toBe(404)
    expect((await as('PATCH', `/invoices/${invoice.id}`, { notes: 'x' })).status).toBe(404)
    expect((await as('POST', `/invoices/${invoice.id}/send`)).status).toBe(404)
    expect((await as('POST', `/invoices/${invoice.id}/void`)).status).toBe(404)
    const payment = await as('POST', '/payments', { invoice_id: invoice.id, amount_cents: 1, method: 'cash' })
    expect(payment.status).toBe(400)
    expect(payment.body.error.details[0].field).toBe('/invoice_id')
    expect((await moneyCounts(app)).payments).toBe(0)
    expect((await app.api('GET', `/invoices/${invoice.id}`)).body.data.version).toBe(1)
  })
})

describe('changing a draft’s currency', () => {
  test('needs line_items priced in the new currency; alone it is 400 and nothing changes', async () => {
    const app = await moneyApp(host())
    const invoice = await newInvoice(app)
    const refused = await app.api('PATCH', `/invoices/${invoice.id}`, { currency: 'JPY' })
    expect(refused.status).toBe(400)
    expect(refused.body.error.details[0].field).toBe('/currency')
    const unchanged = (await app.api('GET', `/invoices/${invoice.id}`)).body.data
    expect(unchanged.currency).toBe(invoice.currency)
    expect(unchanged.total_cents).toBe(invoice.total_cents)
    const repriced = await app.api('PATCH', `/invoices/${invoice.id}`, {
      currency: 'JPY',
      line_items: [{ description: 'Call-out', quantity: 1, unit_price_cents: 12000 }],
    })
    expect(repriced.status).toBe(200)
    expect(repriced.body.data).toMatchObject({ currency: 'JPY', total_cents: 12000 })
  })
})

describe('a job with money documents', () => {
  test('cannot be deleted while an invoice points at it (409, the job stays)', async () => {
    const app = await moneyApp(host())
    const job = await app.api('POST', '/jobs', { title: 'Boiler', client_id: app.clientId })
    await newInvoice(app, { job_id: job.body.data.id })
    const refused = await app.api('DELETE', `/jobs/${job.body.data.id}`)
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toContain('1 invoice')
    expect((await app.api('GET', `/jobs/${job.body.data.id}`)).status).toBe(200)
    const free = await app.api('POST', '/jobs', { title: 'No paperwork' })
    expect((await app.api('DELETE', `/jobs/${free.body.data.id}`)).status).toBe(204)
  })
})
