import { beforeAll, describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { useHttpApp } from '../helpers/http'
import { MONEY_ENV, type MoneyApp, moneyApp, moneyCounts } from './setup'

// HTTP suites: in-process and against the binary (npm run test:binary), one app per file, one org per test.
const host = useHttpApp(MONEY_ENV)

let app: MoneyApp
let sentInvoiceId: string
beforeAll(async () => {
  app = await moneyApp(host())
  const invoice = await app.api('POST', '/invoices', { client_id: app.clientId, line_items: [{ description: 'x', unit_price_cents: 10_000 }] })
  sentInvoiceId = invoice.body.data.id
  await app.api('POST', `/invoices/${sentInvoiceId}/send`)
})

const line = (extra: Record<string, unknown>) => ({ description: 'Line', unit_price_cents: 100, ...extra })

describe('bad input is a 400 naming the field and writes nothing', () => {
  const cases: Array<{ name: string; path: string; body: () => unknown; field: string }> = [
    { name: 'a negative unit price', path: '/invoices', body: () => ({ client_id: app.clientId, line_items: [line({ unit_price_cents: -1 })] }), field: '/line_items/0/unit_price_cents' },
    { name: 'a fractional cent', path: '/invoices', body: () => ({ client_id: app.clientId, line_items: [line({ unit_price_cents: 10.5 })] }), field: '/line_items/0/unit_price_cents' },
    { name: 'a huge unit price', path: '/invoices', body: () => ({ client_id: app.clientId, line_items: [line({ unit_price_cents: 1e20 })] }), field: '/line_items/0/unit_price_cents' },
    { name: 'a price in words', path: '/estimates', body: () => ({ client_id: app.clientId, line_items: [line({ unit_price_cents: 'one hundred' })] }), field: '/line_items/0/unit_price_cents' },
    { name: 'a fractional price as a string', path: '/estimates', body: () => ({ client_id: app.clientId, line_items: [line({ unit_price_cents: '10.5' })] }), field: '/line_items/0/unit_price_cents' },
    { name: 'a quantity as a string', path: '/estimates', body: () => ({ client_id: app.clientId, line_items: [line({ quantity: '1.5' })] }), field: '/line_items/0/quantity' },
    { name: 'line items as an object', path: '/invoices', body: () => ({ client_id: app.clientId, line_items: { description: 'x' } }), field: '/line_items' },
    { name: 'a zero quantity', path: '/invoices', body: () => ({ client_id: app.clientId, line_items: [line({ quantity: 0 })] }), field: '/line_items/0/quantity' },
    { name: 'a negative quantity', path: '/invoices', body: () => ({ client_id: app.clientId, line_items: [line({ quantity: -2 })] }), field: '/line_items/0/quantity' },
    { name: 'a quantity with four decimals', path: '/invoices', body: () => ({ client_id: app.clientId, line_items: [line({ quantity: 1.0005 })] }), field: '/line_items/0/quantity' },
    { name: 'a huge quantity', path: '/invoices', body: () => ({ client_id: app.clientId, line_items: [line({ quantity: 1e300 })] }), field: '/line_items/0/quantity' },
    { name: 'a line over the amount limit', path: '/invoices', body: () => ({ client_id: app.clientId, line_items: [line({ quantity: 1_000_000, unit_price_cents: 100_000_000_000 })] }), field: '/line_items/0/quantity' },
    { name: 'a document over the amount limit', path: '/invoices', body: () => ({ client_id: app.clientId, line_items: Array.from({ length: 3 }, () => line({ quantity: 1_000_000, unit_price_cents: 50_000_000 })) }), field: '/line_items' },
    { name: 'a tax rate over 100 %', path: '/invoices', body: () => ({ client_id: app.clientId, line_items: [line({ tax_rate_bps: 10_001 })] }), field: '/line_items/0/tax_rate_bps' },
    { name: 'a line without description', path: '/estimates', body: () => ({ client_id: app.clientId, line_items: [{ unit_price_cents: 1 }] }), field: '/line_items/0/description' },
    { name: 'a line without price', path: '/estimates', body: () => ({ client_id: app.clientId, line_items: [{ description: 'x' }] }), field: '/line_items/0/unit_price_cents' },
    { name: 'an unknown line field', path: '/invoices', body: () => ({ client_id: app.clientId, line_items: [line({ discount: 5 })] }), field: '/line_items/0/discount' },
    { name: 'an unknown document field', path: '/estimates', body: () => ({ client_id: app.clientId, total_cents: 5 }), field: '/total_cents' },
    { name: 'a lower-case currency', path: '/invoices', body: () => ({ client_id: app.clientId, currency: 'usd' }), field: '/currency' },
    { name: 'an unknown currency', path: '/estimates', body: () => ({ client_id: app.clientId, currency: 'XYZ' }), field: '/currency' },
    { name: 'a test currency', path: '/invoices', body: () => ({ client_id: app.clientId, currency: 'XXX' }), field: '/currency' },
    { name: 'a four-letter currency', path: '/pricebook', body: () => ({ name: 'x', kind: 'service', unit_price_cents: 1, currency: 'USDT' }), field: '/currency' },
    { name: 'a missing client', path: '/invoices', body: () => ({ line_items: [] }), field: '/client_id' },
    { name: 'an unknown client', path: '/invoices', body: () => ({ client_id: 'cli_nope' }), field: '/client_id' },
    { name: 'an unknown job', path: '/estimates', body: () => ({ client_id: app.clientId, job_id: 'job_nope' }), field: '/job_id' },
    { name: 'a due date that does not exist', path: '/invoices', body: () => ({ client_id: app.clientId, due_date: '2026-02-30' }), field: '/due_date' },
    { name: 'a due date with a time', path: '/invoices', body: () => ({ client_id: app.clientId, due_date: '2026-02-01T00:00:00Z' }), field: '/due_date' },
    { name: 'an HTML-laden oversize title', path: '/estimates', body: () => ({ client_id: app.clientId, title: `<script>${'x'.repeat(300)}</script>` }), field: '/title' },
    { name: 'a negative price in the pricebook', path: '/pricebook', body: () => ({ name: 'x', kind: 'service', unit_price_cents: -5 }), field: '/unit_price_cents' },
    { name: 'an unknown pricebook kind', path: '/pricebook', body: () => ({ name: 'x', kind: 'subscription', unit_price_cents: 5 }), field: '/kind' },
    { name: 'a negative payment', path: '/payments', body: () => ({ invoice_id: sentInvoiceId, amount_cents: -100, method: 'cash' }), field: '/amount_cents' },
    { name: 'a zero payment', path: '/payments', body: () => ({ invoice_id: sentInvoiceId, amount_cents: 0, method: 'cash' }), field: '/amount_cents' },
    { name: 'a huge payment', path: '/payments', body: () => ({ invoice_id: sentInvoiceId, amount_cents: 9007199254740993, method: 'cash' }), field: '/amount_cents' },
    { name: 'a payment as a float', path: '/payments', body: () => ({ invoice_id: sentInvoiceId, amount_cents: 10.01, method: 'cash' }), field: '/amount_cents' },
    { name: 'an unknown payment method', path: '/payments', body: () => ({ invoice_id: sentInvoiceId, amount_cents: 1, method: 'bitcoin' }), field: '/method' },
    { name: 'an unknown payment field', path: '/payments', body: () => ({ invoice_id: sentInvoiceId, amount_cents: 1, method: 'cash', tip_cents: 5 }), field: '/tip_cents' },
    { name: 'a payment in a made-up currency', path: '/payments', body: () => ({ invoice_id: sentInvoiceId, amount_cents: 1, method: 'cash', currency: 'ABC' }), field: '/currency' },
    { name: 'a conversion to nothing', path: '/estimates/est_x/convert', body: () => ({ create: [] }), field: '/create' },
    { name: 'a conversion to a contract', path: '/estimates/est_x/convert', body: () => ({ create: ['contract'] }), field: '/create/0' },
    { name: 'a body on send', path: `/invoices/inv_x/send`, body: () => ({ force: true }), field: '/force' },
  ]
  for (const c of cases) {
    test(c.name, async () => {
      const before = await moneyCounts(app)
      const res = await app.api('POST', c.path, c.body())
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(c.field)
      const after = await moneyCounts(app)
      expect(after).toEqual(before)
    })
  }

  test('every bad line is reported at once', async () => {
    const res = await app.api('POST', '/invoices', {
      client_id: app.clientId,
      line_items: [line({}), { unit_price_cents: 1 }, line({}), line({ quantity: 0.0001 })],
    })
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['/line_items/1/description', '/line_items/3/quantity'])
  })

  test('malformed JSON and a non-JSON body are refused', async () => {
    const malformed = await app.call('POST', '/api/v1/invoices', { token: app.key, raw: '{"client_id":', headers: { 'content-type': 'application/json' } })
    expect(malformed.status).toBe(400)
    const form = await app.call('POST', '/api/v1/payments', { token: app.key, raw: 'amount_cents=5', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(form.status).toBe(415)
  })

  test('odd Unicode and SQL fragments are stored as text', async () => {
    const description = "Robert'); DROP TABLE invoices;-- 🔧 ＦＵＬＬ ‮ \u0000"
    const res = await app.api('POST', '/estimates', { client_id: app.clientId, title: description, line_items: [line({ description })] })
    expect(res.status).toBe(201)
    expect(res.body.data.line_items[0].description).toBe(description)
    expect((await app.api('GET', `/estimates/${res.body.data.id}`)).body.data.title).toBe(description)
  })
})

describe('hostile values on real documents', () => {
  const hostileNumber = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.constantFrom(-0, 0.0005, 1e-7, 1e21, 2 ** 53, 2 ** 63, 99999999999999.99, 100_000_000_000_001, -1, 1.005, 0.1 + 0.2),
  )
  const hostile = fc.oneof(hostileNumber, fc.string({ maxLength: 20 }), fc.constantFrom(null, true, [], {}, '1e3', ' 7 '))
  const lineArb = fc.record(
    {
      description: fc.oneof(fc.string({ maxLength: 600 }), hostile),
      quantity: fc.oneof(hostileNumber, hostile),
      unit_price_cents: fc.oneof(fc.integer({ min: 0, max: 2e14 }), hostile),
      tax_rate_bps: fc.oneof(fc.integer({ min: -5, max: 10_005 }), hostile),
      pricebook_item_id: fc.oneof(fc.string({ maxLength: 70 }), hostile),
    },
    { requiredKeys: [] },
  )

  test('line items never cause a 5xx, and a created document’s total is the sum of its lines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { maxLength: 6 }), fc.constantFrom('/invoices', '/estimates'), async (line_items, path) => {
        const res = await app.api('POST', path, { client_id: app.clientId, line_items })
        expect([201, 400]).toContain(res.status)
        if (res.status === 201) {
          const sum = res.body.data.line_items.reduce((total: number, l: any) => total + l.total_cents, 0)
          expect(res.body.data.total_cents).toBe(sum)
        } else expect(res.body.error.code).toBe('validation_failed')
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150), seed: 20261122 },
    )
  }, 300_000)

  test('payments with hostile amounts never cause a 5xx or push the balance below zero', async () => {
    const amount = fc.oneof(fc.integer({ min: -10, max: 12_000 }), hostile)
    await fc.assert(
      fc.asyncProperty(amount, fc.oneof(fc.constantFrom('cash', 'card'), hostile), async (amount_cents, method) => {
        const res = await app.api('POST', '/payments', { invoice_id: sentInvoiceId, amount_cents, method })
        expect([201, 400, 409]).toContain(res.status)
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150), seed: 20261122 },
    )
    const invoice = (await app.api('GET', `/invoices/${sentInvoiceId}`)).body.data
    expect(invoice.balance_cents).toBeGreaterThanOrEqual(0)
    expect(invoice.amount_paid_cents).toBeLessThanOrEqual(invoice.total_cents)
  }, 300_000)
})
