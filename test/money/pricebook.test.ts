import { beforeAll, describe, expect, test } from 'bun:test'
import { useHttpApp } from '../helpers/http'
import { MONEY_ENV, type MoneyApp, moneyApp } from './setup'

// HTTP suites: in-process and against the binary (npm run test:binary), one app per file, one org per test.
const host = useHttpApp(MONEY_ENV)

let app: MoneyApp
beforeAll(async () => {
  app = await moneyApp(host())
})

const item = async (body: Record<string, unknown>) => {
  const res = await app.api('POST', '/pricebook', { kind: 'service', ...body })
  expect(res.status).toBe(201)
  return res.body.data
}

describe('the pricebook', () => {
  test('creates items in the org currency, reads, filters and searches them', async () => {
    const labour = await item({ name: 'Plumber, per hour', unit: 'hour', unit_price_cents: 9500, tax_rate_bps: 825, sku: 'LAB-1' })
    expect(labour).toMatchObject({ currency: 'USD', active: true, version: 1, kind: 'service', unit: 'hour' })
    const pipe = await item({ name: '100% copper_pipe', kind: 'material', unit_price_cents: 1999, currency: 'EUR' })
    expect((await app.api('GET', `/pricebook/${labour.id}`)).body.data).toEqual(labour)
    const ids = async (query: string) => (await app.api('GET', `/pricebook?${query}`)).body.data.map((i: any) => i.id)
    expect(await ids('kind=material')).toEqual([pipe.id])
    expect(await ids('q=PLUMBER')).toEqual([labour.id])
    expect(await ids('q=lab-1')).toEqual([labour.id])
    expect(await ids('q=0%25')).toEqual([pipe.id]) // "%" is literal, not a wildcard
    expect(await ids('q=r_p')).toEqual([pipe.id]) // so is "_"
    expect(await ids('q=r_c')).toEqual([])
  })

  test('a line copies the item’s description, price and tax; later item edits leave old documents alone', async () => {
    const fitting = await item({ name: 'Fitting', description: 'Brass compression fitting', kind: 'material', unit_price_cents: 450, tax_rate_bps: 700 })
    const estimate = await app.api('POST', '/estimates', {
      client_id: app.clientId,
      line_items: [{ pricebook_item_id: fitting.id, quantity: 4 }, { pricebook_item_id: fitting.id, description: 'Spare', unit_price_cents: 400, tax_rate_bps: 0 }],
    })
    expect(estimate.body.data.line_items.map((l: any) => [l.description, l.unit_price_cents, l.tax_rate_bps, l.pricebook_item_id])).toEqual([
      ['Brass compression fitting', 450, 700, fitting.id],
      ['Spare', 400, 0, fitting.id],
    ])
    const patched = await app.api('PATCH', `/pricebook/${fitting.id}`, { unit_price_cents: 999, description: 'Changed' }, { 'if-match': '"v1"' })
    expect(patched.body.data).toMatchObject({ unit_price_cents: 999, version: 2 })
    // A PATCH that changes nothing (the same values again, or an empty body) keeps the version.
    const unchanged = await app.api('PATCH', `/pricebook/${fitting.id}`, { unit_price_cents: 999, description: 'Changed', active: true })
    expect(unchanged.status).toBe(200)
    expect(unchanged.body.data).toMatchObject({ version: 2 })
    expect((await app.api('PATCH', `/pricebook/${fitting.id}`, {})).body.data).toMatchObject({ version: 2 })
    const again = await app.api('GET', `/estimates/${estimate.body.data.id}`)
    expect(again.body.data).toEqual(estimate.body.data)
  })

  test('an archived item cannot go on a new line; an item priced in another currency needs an explicit price', async () => {
    const old = await item({ name: 'Old part', unit_price_cents: 100 })
    await app.api('PATCH', `/pricebook/${old.id}`, { active: false })
    expect(await (await app.api('GET', '/pricebook?active=false')).body.data.map((i: any) => i.id)).toEqual([old.id])
    const archived = await app.api('POST', '/invoices', { client_id: app.clientId, line_items: [{ pricebook_item_id: old.id }] })
    expect(archived.status).toBe(400)
    expect(archived.body.error.details[0].field).toBe('/line_items/0/pricebook_item_id')

    const euro = await item({ name: 'Import', unit_price_cents: 100, currency: 'EUR' })
    const mismatch = await app.api('POST', '/invoices', { client_id: app.clientId, line_items: [{ pricebook_item_id: euro.id }] })
    expect(mismatch.status).toBe(400)
    expect(mismatch.body.error.message).toContain('priced in EUR')
    const explicit = await app.api('POST', '/invoices', { client_id: app.clientId, line_items: [{ pricebook_item_id: euro.id, unit_price_cents: 120 }] })
    expect(explicit.status).toBe(201)
    const inEuro = await app.api('POST', '/invoices', { client_id: app.clientId, currency: 'EUR', line_items: [{ pricebook_item_id: euro.id }] })
    expect(inEuro.body.data).toMatchObject({ currency: 'EUR', total_cents: 100 })
  })

  test('an unused item is deleted; one on any line is 409 and stays', async () => {
    const unused = await item({ name: 'Unused', unit_price_cents: 1 })
    expect((await app.api('DELETE', `/pricebook/${unused.id}`)).status).toBe(204)
    expect((await app.api('GET', `/pricebook/${unused.id}`)).status).toBe(404)
    const used = await item({ name: 'Used', unit_price_cents: 1 })
    await app.api('POST', '/invoices', { client_id: app.clientId, line_items: [{ pricebook_item_id: used.id }] })
    const res = await app.api('DELETE', `/pricebook/${used.id}`)
    expect(res.status).toBe(409)
    expect((await app.api('GET', `/pricebook/${used.id}`)).status).toBe(200)
  })

  test('another org’s item is 404 and cannot be put on a line', async () => {
    const mine = await item({ name: 'Mine', unit_price_cents: 1 })
    const other = await app.seedOrg('Other')
    const as = (method: string, path: string, body?: unknown) => app.call(method, `/api/v1${path}`, { token: other.key, body })
    expect((await as('GET', `/pricebook/${mine.id}`)).status).toBe(404)
    expect((await as('PATCH', `/pricebook/${mine.id}`, { name: 'x' })).status).toBe(404)
    expect((await as('DELETE', `/pricebook/${mine.id}`)).status).toBe(404)
    const theirs = (await as('POST', '/pricebook', { name: 'Theirs', kind: 'service', unit_price_cents: 1 })).body.data
    const res = await app.api('POST', '/estimates', { client_id: app.clientId, line_items: [{ description: 'ok', unit_price_cents: 1 }, { pricebook_item_id: theirs.id }] })
    expect(res.status).toBe(400)
    expect(res.body.error.details).toEqual([{ field: '/line_items/1/pricebook_item_id', message: `no pricebook item with id ${theirs.id}` }])
  })
})
