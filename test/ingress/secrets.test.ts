import { describe, expect, test } from 'bun:test'
import { sql } from 'kysely'
import { hashToken } from '../../src/http/tokens'
import { createLogger } from '../../src/log'
import { findActiveIngressWebhook } from '../../src/modules/ingress-webhooks/service'
import { createTestApp } from '../helpers/app'
import { CURL_EXAMPLE_BODY, createIngressUrl, minimalActivity, sendActivity, type TestApp } from './fixtures'

/** Every value of every row of every table, as one string to search. */
async function everythingStored(ctx: TestApp): Promise<string> {
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(ctx.db)
  const dumps: string[] = []
  for (const { name } of tables.rows) {
    const rows = await sql`select * from ${sql.table(name)}`.execute(ctx.db)
    dumps.push(`${name}: ${JSON.stringify(rows.rows)}`)
  }
  return dumps.join('\n')
}

async function loggedApp() {
  const lines: string[] = []
  const ctx = await createTestApp({ logger: createLogger('debug', (line) => lines.push(line)) })
  return { ctx, lines }
}

describe('the ingress token is shown once and kept nowhere', () => {
  test('not in the database, the log or any listing, whatever the URL went through', async () => {
    const { ctx, lines } = await loggedApp()
    const seed = await ctx.seedOrg()
    const created = await ctx.call('POST', '/api/v1/ingress-webhooks', {
      token: seed.key,
      body: { name: 'Phone system' },
      headers: { 'idempotency-key': 'create-1' },
    })
    expect(created.status).toBe(201)
    const url = new URL(created.body.data.url)
    const token = url.pathname.split('/').pop()!
    expect(token).toMatch(/^cb_in_/)

    // A replay of the create by Idempotency-Key is the same URL resource, without the token.
    const replay = await ctx.call('POST', '/api/v1/ingress-webhooks', {
      token: seed.key,
      body: { name: 'Phone system' },
      headers: { 'idempotency-key': 'create-1' },
    })
    expect(replay.status).toBe(201)
    expect(replay.body.data).toEqual({ ...created.body.data, url: null })

    const answers = [
      await sendActivity(ctx, url.pathname, CURL_EXAMPLE_BODY),
      await sendActivity(ctx, url.pathname, CURL_EXAMPLE_BODY),
      await sendActivity(ctx, url.pathname, { title: '', bogus: token }),
      await ctx.call('GET', url.pathname),
      await sendActivity(ctx, `${url.pathname}/extra`, minimalActivity()),
      await ctx.call('GET', '/api/v1/ingress-webhooks', { token: seed.key }),
      await ctx.call('GET', '/api/v1/activities', { token: seed.key }),
      await ctx.call('GET', '/api/v1/openapi.json'),
    ]
    expect(answers.map((a) => a.status)).toEqual([201, 200, 400, 405, 404, 200, 200, 404])
    await ctx.call('DELETE', `/api/v1/ingress-webhooks/${created.body.data.id}`, { token: seed.key })
    expect((await sendActivity(ctx, url.pathname, minimalActivity())).status).toBe(404)

    const listings = [answers[0], answers[1], answers[5], answers[6]].map((a) => JSON.stringify(a!.body)).join('\n')
    expect(listings).toContain(created.body.data.id) // the listings were read…
    expect(listings).not.toContain(token) // …and never show the token

    const stored = await everythingStored(ctx)
    expect(stored).toContain(hashToken(token)) // only its hash is stored
    expect(stored).toContain('Customer call logged')
    expect(stored).not.toContain(token)

    await Bun.sleep(20) // request log lines are written after the response
    const log = lines.join('\n')
    expect(log).toContain('/webhooks/ingress/[redacted]')
    expect(log).not.toContain(token)
  })

  test('a failing ingress request logs its path redacted', async () => {
    const { ctx, lines } = await loggedApp()
    const seed = await ctx.seedOrg()
    const hook = await createIngressUrl(ctx, seed.key)
    await sql`drop table activities`.execute(ctx.db)
    const res = await sendActivity(ctx, hook.path, minimalActivity())
    expect(res.status).toBe(500)
    expect(res.body.error.code).toBe('internal_error')
    const failure = lines.find((line) => line.includes('request failed'))
    expect(failure).toContain('/webhooks/ingress/[redacted]')
    expect(lines.join('\n')).not.toContain(hook.token)
  })
})

describe('tokens cannot be probed by timing', () => {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

  test('valid, revoked, unknown and malformed tokens cost the same lookup', async () => {
    const ctx = await createTestApp()
    const seed = await ctx.seedOrg()
    const valid = await createIngressUrl(ctx, seed.key)
    const revoked = await createIngressUrl(ctx, seed.key)
    await ctx.call('DELETE', `/api/v1/ingress-webhooks/${revoked.id}`, { token: seed.key })
    const kinds: Record<string, string> = {
      valid: valid.token,
      revoked: revoked.token,
      unknown: `cb_in_${'Z'.repeat(40)}`,
      nearMiss: valid.token.slice(0, -1) + (valid.token.endsWith('a') ? 'b' : 'a'),
      malformed: 'x',
    }
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]))
    for (let round = 0; round < 300; round++) {
      for (const [kind, token] of Object.entries(kinds)) {
        const started = performance.now()
        await findActiveIngressWebhook(ctx.db, token)
        samples[kind]!.push(performance.now() - started)
      }
    }
    expect(await findActiveIngressWebhook(ctx.db, valid.token)).toBeDefined()
    expect(await findActiveIngressWebhook(ctx.db, revoked.token)).toBeUndefined()
    const medians = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]))
    const fastest = Math.min(...Object.values(medians))
    const slowest = Math.max(...Object.values(medians))
    // The same hash and one indexed query each time: medians stay within noise of each other.
    expect(slowest / fastest).toBeLessThan(2)
  })
})

describe('rate limit per ingress URL', () => {
  test('each URL takes CREWBASE_RATE_LIMIT requests a minute, replays included, then 429 with Retry-After', async () => {
    const ctx = await createTestApp({ env: { CREWBASE_RATE_LIMIT: '3' } })
    const seed = await ctx.seedOrg()
    const noisy = await createIngressUrl(ctx, seed.key)
    const quiet = await createIngressUrl(ctx, seed.key)
    const answers = []
    for (let i = 0; i < 3; i++) answers.push(await sendActivity(ctx, noisy.path, minimalActivity({ externalId: i === 2 ? 'e-1' : `e-${i}` })))
    expect(answers.map((a) => a.status)).toEqual([201, 201, 200])
    expect(answers.map((a) => a.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0'])
    expect(answers[0]!.headers.get('x-ratelimit-limit')).toBe('3')
    expect(answers[0]!.headers.get('ratelimit-policy')).toBe('"default";q=3;w=60')
    expect(Number(answers[0]!.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000)

    const limited = await sendActivity(ctx, noisy.path, minimalActivity({ externalId: 'e-9' }))
    expect(limited.status).toBe(429)
    expect(limited.body.error.code).toBe('rate_limited')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    const stored = await ctx.db.selectFrom('activities').select('external_id').where('ingress_webhook_id', '=', noisy.id).execute()
    expect(stored.map((r) => r.external_id).sort()).toEqual(['e-0', 'e-1'])

    // Another URL and the API key that made them have budgets of their own.
    expect((await sendActivity(ctx, quiet.path, minimalActivity())).status).toBe(201)
    expect((await ctx.call('GET', '/api/v1/activities', { token: seed.key })).status).toBe(200)
  })
})
