import { beforeAll, describe, expect, test } from 'bun:test'
import { useHttpApp } from '../helpers/http'
import { createClient, createJob, createKey, MONEY_ENV, moneyApp, type MoneyApp, eventsOf, expectJustNow } from './setup'
import { expectedDocument } from './oracle'

// HTTP suites: in-process and against the binary (npm run test:binary), one app per file, one org per test.
const host = useHttpApp(MONEY_ENV)

const mixedLines = [
  { description: 'Labour, 1.5 h', quantity: 1.5, unit_price_cents: 9500, tax_rate_bps: 0 },
  { description: 'Copper pipe, 2.125 m', quantity: 2.125, unit_price_cents: 1999, tax_rate_bps: 825 },
  { description: 'Valve', quantity: 3, unit_price_cents: 1333, tax_rate_bps: 725 },
  { description: 'Disposal fee', quantity: 0.333, unit_price_cents: 1001, tax_rate_bps: 1000 },
]
const asOracle = (lines: typeof mixedLines) =>
  lines.map((l) => ({ quantity: String(l.quantity), unit_price_cents: l.unit_price_cents, tax_rate_bps: l.tax_rate_bps }))

async function draft(app: MoneyApp, body: Record<string, unknown> = {}) {
  const res = await app.api('POST', '/estimates', { client_id: app.clientId, title: 'New boiler', line_items: mixedLines, ...body })
  expect(res.status).toBe(201)
  return res.body.data
}

async function approved(app: MoneyApp, body: Record<string, unknown> = {}) {
  const estimate = await draft(app, body)
  expect((await app.api('POST', `/estimates/${estimate.id}/send`)).status).toBe(200)
  expect((await app.api('POST', `/estimates/${estimate.id}/approve`)).status).toBe(200)
  return estimate
}

describe('an estimate from draft to converted', () => {
  test('with mixed-tax, fractional-quantity lines is sent, approved and converted to a job and an invoice with the same lines', async () => {
    const app = await moneyApp(host())
    const estimate = await draft(app)
    expect(estimate.number).toBe('EST-1001')
    expect(estimate.currency).toBe('USD')
    expect(estimate.status).toBe('draft')
    expect(estimate.line_items.map((l: any) => [l.position, l.quantity])).toEqual([[1, 1.5], [2, 2.125], [3, 3], [4, 0.333]])
    const expected = expectedDocument(asOracle(mixedLines))
    expect({ subtotal_cents: estimate.subtotal_cents, tax_cents: estimate.tax_cents, total_cents: estimate.total_cents }).toEqual(expected)
    // 14250 + 4247.875→4248 (+350.46…→350) + 3999 (+289.9275→290) + 333.333→333 (+33.3→33)
    expect(expected).toEqual({ subtotal_cents: 22830, tax_cents: 673, total_cents: 23503 })

    const sent = await app.api('POST', `/estimates/${estimate.id}/send`)
    expect(sent.body.data.status).toBe('sent')
    expectJustNow(sent.body.data.sent_at)
    const ok = await app.api('POST', `/estimates/${estimate.id}/approve`)
    expect(ok.body.data.status).toBe('approved')
    expect(ok.headers.get('etag')).toBe(`"v${ok.body.data.version}"`)

    const converted = await app.api('POST', `/estimates/${estimate.id}/convert`, { create: ['job', 'invoice'], job: { priority: 'high' } })
    expect(converted.status).toBe(200)
    expect(converted.body.data.status).toBe('converted')
    const job = (await app.api('GET', `/jobs/${converted.body.data.job_id}`)).body.data
    expect(job).toMatchObject({ title: 'New boiler', client_id: app.clientId, status: 'scheduled', priority: 'high' })
    const invoice = (await app.api('GET', `/invoices/${converted.body.data.invoice_id}`)).body.data
    expect(invoice).toMatchObject({ status: 'draft', number: 'INV-1001', estimate_id: estimate.id, job_id: job.id, client_id: app.clientId, title: 'New boiler' })
    expect(invoice.line_items.map(({ id, ...rest }: any) => rest)).toEqual(estimate.line_items.map(({ id, ...rest }: any) => rest))
    expect([invoice.subtotal_cents, invoice.tax_cents, invoice.total_cents, invoice.balance_cents]).toEqual([22830, 673, 23503, 23503])

    const types = (await eventsOf(app)).map((e) => e.type)
    expect(types).toEqual(['estimate.created', 'estimate.approved', 'job.created', 'invoice.created'])
    const approvedEvent = (await eventsOf(app, 'estimate.approved'))[0]!
    expect(approvedEvent.data.object).toEqual(ok.body.data)
  })

  test('is declined with a reason, after which nothing moves it', async () => {
    const app = await moneyApp(host())
    const estimate = await draft(app)
    await app.api('POST', `/estimates/${estimate.id}/send`)
    const declined = await app.api('POST', `/estimates/${estimate.id}/decline`, { reason: 'Too expensive' })
    expect(declined.body.data).toMatchObject({ status: 'declined', decline_reason: 'Too expensive' })
    for (const action of ['send', 'approve', 'decline']) {
      expect((await app.api('POST', `/estimates/${estimate.id}/${action}`)).status).toBe(409)
    }
    expect((await app.api('POST', `/estimates/${estimate.id}/convert`, { create: ['invoice'] })).status).toBe(409)
  })
})

describe('converting an estimate', () => {
  let app: MoneyApp
  beforeAll(async () => {
    app = await moneyApp(host())
  })

  test('to a job only leaves no invoice; the job takes the estimate’s notes and a default title', async () => {
    const estimate = await approved(app, { title: null, notes: 'Bring the long ladder' })
    const res = await app.api('POST', `/estimates/${estimate.id}/convert`, { create: ['job'] })
    expect(res.body.data).toMatchObject({ status: 'converted', invoice_id: null })
    const job = (await app.api('GET', `/jobs/${res.body.data.job_id}`)).body.data
    expect(job).toMatchObject({ title: `Work for ${estimate.number}`, description: 'Bring the long ladder' })
  })

  test('to an invoice for an estimate already naming a job puts the invoice on that job; asking for another job is 409', async () => {
    const jobId = await createJob(app, app.clientId)
    const estimate = await approved(app, { job_id: jobId })
    const twice = await app.api('POST', `/estimates/${estimate.id}/convert`, { create: ['job', 'invoice'] })
    expect(twice.status).toBe(409)
    const res = await app.api('POST', `/estimates/${estimate.id}/convert`, { create: ['invoice'] })
    expect((await app.api('GET', `/invoices/${res.body.data.invoice_id}`)).body.data.job_id).toBe(jobId)
  })

  test('with a bad job override is 400 naming it under /job and creates nothing', async () => {
    const estimate = await approved(app)
    const otherClient = await createClient(app, 'Not this one')
    const property = await app.api('POST', '/properties', { client_id: otherClient, address: '1 Elsewhere Rd' })
    expect(property.status).toBe(201)
    const jobsBefore = (await app.api('GET', '/jobs')).body.pagination.total
    const cases: Array<[unknown, string]> = [
      [{ create: ['job', 'invoice'], job: { property_id: property.body.data.id } }, '/job/property_id'],
      [{ create: ['job'], job: { scheduled_start: 'tomorrow' } }, '/job/scheduled_start'],
      [{ create: ['job'], job: { scheduled_start: '2026-12-02T10:00:00Z', scheduled_end: '2026-12-01T10:00:00Z' } }, '/job/scheduled_end'],
      [{ create: ['job'], job: { crew: 'all' } }, '/job/crew'],
      [{ create: ['invoice'], job: { priority: 'high' } }, '/job'],
      [{ create: ['job', 'job'] }, '/create'],
    ]
    for (const [body, field] of cases) {
      const res = await app.api('POST', `/estimates/${estimate.id}/convert`, body)
      expect(res.status).toBe(400)
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field)
    }
    expect((await app.api('GET', '/jobs')).body.pagination.total).toBe(jobsBefore)
    expect((await app.api('GET', `/estimates/${estimate.id}`)).body.data).toMatchObject({ status: 'approved', job_id: null, invoice_id: null })
  })
})

describe('illegal estimate transitions', () => {
  const cases: Array<{ from: string; action: string; body?: unknown }> = [
    { from: 'draft', action: 'approve' },
    { from: 'draft', action: 'decline' },
    { from: 'draft', action: 'convert', body: { create: ['invoice'] } },
    { from: 'sent', action: 'send' },
    { from: 'sent', action: 'convert', body: { create: ['invoice'] } },
    { from: 'approved', action: 'approve' },
    { from: 'approved', action: 'decline' },
    { from: 'approved', action: 'send' },
    { from: 'converted', action: 'convert', body: { create: ['invoice'] } },
    { from: 'converted', action: 'approve' },
  ]
  const reach: Record<string, string[]> = { draft: [], sent: ['send'], approved: ['send', 'approve'], converted: ['send', 'approve', 'convert'] }
  let app: MoneyApp
  beforeAll(async () => {
    app = await moneyApp(host())
  })
  for (const c of cases) {
    test(`${c.action} on a ${c.from} estimate is 409 and changes nothing`, async () => {
      const estimate = await draft(app)
      for (const step of reach[c.from]!) {
        await app.api('POST', `/estimates/${estimate.id}/${step}`, step === 'convert' ? { create: ['invoice'] } : undefined)
      }
      const before = (await app.api('GET', `/estimates/${estimate.id}`)).body.data
      const eventsBefore = (await eventsOf(app)).length
      const res = await app.api('POST', `/estimates/${estimate.id}/${c.action}`, c.body)
      expect(res.status).toBe(409)
      expect(res.body.error.code).toBe('conflict')
      expect((await app.api('GET', `/estimates/${estimate.id}`)).body.data).toEqual(before)
      expect((await eventsOf(app)).length).toBe(eventsBefore)
    })
  }

  test('an estimate without lines cannot be sent', async () => {
    const empty = await draft(app, { line_items: [] })
    expect(empty.total_cents).toBe(0)
    expect((await app.api('POST', `/estimates/${empty.id}/send`)).status).toBe(409)
  })
})

describe('editing estimates', () => {
  test('line items are replaced while draft and refused once sent', async () => {
    const app = await moneyApp(host())
    const estimate = await draft(app)
    const patched = await app.api('PATCH', `/estimates/${estimate.id}`, { line_items: [{ description: 'One thing', unit_price_cents: 250, quantity: 2 }] })
    expect(patched.status).toBe(200)
    expect(patched.body.data.line_items).toHaveLength(1)
    expect(patched.body.data.line_items[0]).toMatchObject({ position: 1, quantity: 2, tax_rate_bps: 0, subtotal_cents: 500, total_cents: 500 })
    expect(patched.body.data.total_cents).toBe(500)
    expect(patched.body.data.version).toBe(2)

    await app.api('POST', `/estimates/${estimate.id}/send`)
    for (const body of [{ line_items: [] }, { currency: 'EUR' }, { client_id: app.clientId }]) {
      const refused = await app.api('PATCH', `/estimates/${estimate.id}`, body)
      expect(refused.status).toBe(409)
    }
    const notes = await app.api('PATCH', `/estimates/${estimate.id}`, { notes: 'Client asked for Tuesday', valid_until: '2026-12-31' })
    expect(notes.status).toBe(200)
    expect(notes.body.data).toMatchObject({ notes: 'Client asked for Tuesday', valid_until: '2026-12-31', total_cents: 500 })
  })

  test('If-Match with a stale ETag is 412 and changes nothing', async () => {
    const app = await moneyApp(host())
    const estimate = await draft(app)
    const stale = await app.api('PATCH', `/estimates/${estimate.id}`, { title: 'Other' }, { 'if-match': '"v7"' })
    expect(stale.status).toBe(412)
    const fresh = await app.api('PATCH', `/estimates/${estimate.id}`, { title: 'Other' }, { 'if-match': '"v1"' })
    expect(fresh.body.data.title).toBe('Other')
  })

  test('a job of another client is refused naming job_id', async () => {
    const app = await moneyApp(host())
    const otherClient = await createClient(app, 'Someone else')
    const job = await createJob(app, otherClient)
    const res = await app.api('POST', '/estimates', { client_id: app.clientId, job_id: job })
    expect(res.status).toBe(400)
    expect(res.body.error.details[0].field).toBe('/job_id')
    const own = await createJob(app, app.clientId)
    const ok = await app.api('POST', '/estimates', { client_id: app.clientId, job_id: own })
    expect(ok.body.data.job_id).toBe(own)
  })
})

describe('listing estimates', () => {
  test('embeds line items and filters by status, client_id and job_id', async () => {
    const app = await moneyApp(host())
    const second = await createClient(app, 'Second')
    const job = await createJob(app, second)
    const a = await draft(app)
    const b = await draft(app, { client_id: second, job_id: job, line_items: [{ description: 'x', unit_price_cents: 1 }] })
    await app.api('POST', `/estimates/${a.id}/send`)

    const all = await app.api('GET', '/estimates')
    expect(all.body.data.map((e: any) => e.id)).toEqual([b.id, a.id])
    expect(all.body.data.map((e: any) => e.line_items.length)).toEqual([1, 4])
    expect(all.body.pagination.total).toBe(2)
    const filtered = async (query: string) => (await app.api('GET', `/estimates?${query}`)).body.data.map((e: any) => e.id)
    expect(await filtered('status=sent')).toEqual([a.id])
    expect(await filtered(`client_id=${second}`)).toEqual([b.id])
    expect(await filtered(`job_id=${job}`)).toEqual([b.id])
    expect(await filtered('status=draft&per_page=1')).toEqual([b.id])
    expect((await app.api('GET', '/estimates?status=maybe')).status).toBe(400)
  })
})

describe('estimates across organizations', () => {
  test('another org’s estimate is 404 and its client is refused naming client_id', async () => {
    const app = await moneyApp(host())
    const estimate = await draft(app)
    const other = await app.seedOrg('Other Org')
    const as = (method: string, path: string, body?: unknown) => app.call(method, `/api/v1${path}`, { token: other.key, body })
    const otherClient = await createClient({ api: as })
    for (const [method, path, body] of [
      ['GET', `/estimates/${estimate.id}`],
      ['PATCH', `/estimates/${estimate.id}`, { title: 'x' }],
      ['POST', `/estimates/${estimate.id}/send`],
    ] as const) {
      const res = await as(method, path, body)
      expect(res.status).toBe(404)
      expect(res.body.error.code).toBe('not_found')
    }
    expect((await as('GET', '/estimates')).body.data).toEqual([])
    const res = await app.api('POST', '/estimates', { client_id: otherClient })
    expect(res.status).toBe(400)
    expect(res.body.error.details).toEqual([{ field: '/client_id', message: `no client with id ${otherClient}` }])
  })
})

describe('estimate permissions', () => {
  test('converting needs write on invoices too; a read-only key cannot approve', async () => {
    const app = await moneyApp(host())
    const estimate = await approved(app)
    const keyFor = (permissions: Record<string, string>) => createKey(app, permissions)
    const estimatesOnly = await keyFor({ estimates: 'write' })
    const res = await app.call('POST', `/api/v1/estimates/${estimate.id}/convert`, { token: estimatesOnly, body: { create: ['invoice'] } })
    expect(res.status).toBe(403)
    const noJobs = await keyFor({ estimates: 'write', invoices: 'write' })
    const job = await app.call('POST', `/api/v1/estimates/${estimate.id}/convert`, { token: noJobs, body: { create: ['job', 'invoice'] } })
    expect(job.status).toBe(403)
    expect(job.body.error.message).toContain('write permission on jobs')
    expect((await app.api('GET', `/estimates/${estimate.id}`)).body.data.status).toBe('approved')
    const readOnly = await keyFor({ estimates: 'read' })
    expect((await app.call('GET', `/api/v1/estimates/${estimate.id}`, { token: readOnly })).status).toBe(200)
    expect((await app.call('POST', `/api/v1/estimates/${estimate.id}/decline`, { token: readOnly })).status).toBe(403)
  })
})
