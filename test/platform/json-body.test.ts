import { beforeAll, describe, expect, test } from 'bun:test'
import { createTestApp } from '../helpers/app'
import { createIngressUrl, sendActivity, type TestApp } from '../ingress/fixtures'

let ctx: TestApp
let key: string
let ingressPath: string
beforeAll(async () => {
  ctx = await createTestApp({ env: { CREWBASE_RATE_LIMIT: '100000' } })
  key = (await ctx.seedOrg()).key
  ingressPath = (await createIngressUrl(ctx, key)).path
})

// Elysia words a validation error with `${value}`, which throws for these objects.
describe('JSON objects that cannot be converted to a string', () => {
  const cases: Array<{ name: string; raw: string; field: string }> = [
    { name: 'an object with a toString key', raw: '{"title":{"toString":1},"startTime":"2026-03-02T14:05:00Z"}', field: '/title' },
    { name: 'an object with a valueOf key', raw: '{"title":{"valueOf":{}},"startTime":"2026-03-02T14:05:00Z"}', field: '/title' },
    { name: 'one inside an array', raw: '{"title":[{"toString":[]}],"startTime":"2026-03-02T14:05:00Z"}', field: '/title' },
    { name: 'a key spelled with \\u escapes', raw: '{"title":{"\\u0074oString":1},"startTime":"2026-03-02T14:05:00Z"}', field: '/title' },
  ]
  for (const c of cases) {
    test(`${c.name} where a string belongs → 400 naming ${c.field}, not a 500`, async () => {
      const res = await sendActivity(ctx, ingressPath, c.raw)
      expect(res.status).toBe(400)
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(c.field)
      const users = await ctx.call('POST', '/api/v1/users', {
        token: key,
        raw: c.raw.replace('"title"', '"email"'),
        headers: { 'content-type': 'application/json' },
      })
      expect(users.status).toBe(400)
    })
  }

  test('kept as sent where an object belongs: metadata with a toString key is stored as given', async () => {
    const metadata = { toString: 'ok', valueOf: { nested: true }, list: [{ toString: 1 }] }
    const res = await sendActivity(ctx, ingressPath, { title: 'x', startTime: '2026-03-02T14:05:00Z', metadata })
    expect(res.status).toBe(201)
    expect(res.body.data.metadata).toEqual(metadata)
  })
})
