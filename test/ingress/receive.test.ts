import { afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { createTestApp } from '../helpers/app'
import {
  CURL_EXAMPLE_BODY,
  createIngressUrl,
  insertContractor,
  insertJob,
  minimalActivity,
  sendActivity,
  type TestApp,
} from './fixtures'

let ctx: TestApp
let seed: Awaited<ReturnType<TestApp['seedOrg']>>
beforeAll(async () => {
  // This file sends far more than the default 100 requests a minute with one key.
  ctx = await createTestApp({ env: { CREWBASE_RATE_LIMIT: '100000' } })
  seed = await ctx.seedOrg()
})

// An org may hold 50 active URLs: revoke each test's URLs when it ends.
const opened: string[] = []
const newHook = async (body?: Record<string, unknown>, key = seed.key) => {
  const hook = await createIngressUrl(ctx, key, body)
  opened.push(hook.id)
  return hook
}
afterEach(async () => {
  for (const id of opened.splice(0)) await ctx.call('DELETE', `/api/v1/ingress-webhooks/${id}`, { token: seed.key })
})

const countActivities = async (hookId: string) =>
  Number(
    (
      await ctx.db
        .selectFrom('activities')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('ingress_webhook_id', '=', hookId)
        .executeTakeFirstOrThrow()
    ).n,
  )

const eventsFor = (activityId: string) =>
  ctx.db.selectFrom('events').selectAll().where('resource_id', '=', activityId).execute()

describe('POST /webhooks/ingress/:token', () => {
  test('the cURL example of PRODUCT.md §4, sent as is, stores the activity: 201 with it in snake_case', async () => {
    const hook = await newHook()
    const res = await sendActivity(ctx, hook.path, CURL_EXAMPLE_BODY)
    expect(res.status).toBe(201)
    const activity = res.body.data
    expect(activity).toMatchObject({
      ingress_webhook_id: hook.id,
      job_id: null,
      title: 'Customer call logged',
      description: 'Asked about the invoice for the boiler repair.',
      start_time: '2026-03-02T14:05:00.000Z',
      end_time: null,
      trigger: 'Phone',
      event: 'Call log',
      external_id: 'call-5521',
      metadata: null,
      version: 1,
      member: { type: 'user', id: seed.user.id, email: seed.user.email },
    })
    expect(activity.id).toMatch(/^act_/)
    expect(res.headers.get('etag')).toBe('"v1"')
    const got = await ctx.call('GET', `/api/v1/activities/${activity.id}`, { token: seed.key })
    expect(got.status).toBe(200)
    expect(got.body.data).toEqual(activity)
  })

  test('each stored activity emits activity.created carrying the activity as GET returns it', async () => {
    const hook = await newHook()
    const res = await sendActivity(ctx, hook.path, minimalActivity({ externalId: 'evt-1' }))
    const events = await eventsFor(res.body.data.id)
    expect(events).toHaveLength(1)
    expect(events[0]!.type).toBe('activity.created')
    expect(events[0]!.org_id).toBe(seed.org.id)
    expect(JSON.parse(events[0]!.data).object).toEqual(res.body.data)
  })

  test('every optional field is stored; metadata comes back exactly as given; times in UTC', async () => {
    const hook = await newHook()
    const metadata = { nested: { list: [1, 'two', null, { three: true }] }, 'odd key ✓': '<b>x</b>', quote: "'; drop table jobs; --" }
    const res = await sendActivity(ctx, hook.path, {
      title: 'Site visit',
      description: 'Checked the pump',
      startTime: '2026-03-02T16:05:00+02:00',
      endTime: '2026-03-02T15:00:00.250Z',
      trigger: 'GPS',
      event: 'Arrived',
      externalId: 'visit-1',
      metadata,
    })
    expect(res.status).toBe(201)
    expect(res.body.data.start_time).toBe('2026-03-02T14:05:00.000Z')
    expect(res.body.data.end_time).toBe('2026-03-02T15:00:00.250Z')
    expect(res.body.data.metadata).toEqual(metadata)
    expect(JSON.stringify(res.body.data.metadata)).toBe(JSON.stringify(metadata))
  })

  test('an activity sent to a URL with a job is attached to that job', async () => {
    const jobId = await insertJob(ctx.db, seed.org.id)
    const hook = await newHook({ name: 'Job feed', job_id: jobId })
    const res = await sendActivity(ctx, hook.path, minimalActivity())
    expect(res.body.data.job_id).toBe(jobId)
  })
})

describe('bad activities are 400 validation_failed naming the field', () => {
  const cases: Array<{ name: string; body: unknown; fields: string[] }> = [
    { name: 'no title', body: { startTime: '2026-03-02T14:05:00Z' }, fields: ['/title'] },
    { name: 'an empty title', body: minimalActivity({ title: '' }), fields: ['/title'] },
    { name: 'a blank title', body: minimalActivity({ title: '   ' }), fields: ['/title'] },
    { name: 'a title of 201 characters', body: minimalActivity({ title: 'x'.repeat(201) }), fields: ['/title'] },
    { name: 'a numeric title', body: minimalActivity({ title: 42 }), fields: ['/title'] },
    { name: 'no startTime', body: { title: 'x' }, fields: ['/startTime'] },
    { name: 'a date without a time', body: minimalActivity({ startTime: '2026-03-02' }), fields: ['/startTime'] },
    { name: 'a time without a zone', body: minimalActivity({ startTime: '2026-03-02T14:05:00' }), fields: ['/startTime'] },
    { name: 'February 30th', body: minimalActivity({ startTime: '2026-02-30T14:05:00Z' }), fields: ['/startTime'] },
    { name: 'hour 24', body: minimalActivity({ startTime: '2026-03-02T24:00:00Z' }), fields: ['/startTime'] },
    { name: 'a unix timestamp', body: minimalActivity({ startTime: 1772460300 }), fields: ['/startTime'] },
    { name: 'prose as a time', body: minimalActivity({ startTime: 'yesterday' }), fields: ['/startTime'] },
    { name: 'a bad endTime', body: minimalActivity({ endTime: 'soon' }), fields: ['/endTime'] },
    { name: 'endTime before startTime', body: minimalActivity({ endTime: '2026-03-02T14:04:59Z' }), fields: ['/endTime'] },
    {
      name: 'endTime before startTime once zones are applied',
      body: minimalActivity({ startTime: '2026-03-02T14:05:00Z', endTime: '2026-03-02T15:00:00+01:00' }),
      fields: ['/endTime'],
    },
    { name: 'a numeric description', body: minimalActivity({ description: 5 }), fields: ['/description'] },
    { name: 'a description over 10 000 characters', body: minimalActivity({ description: 'x'.repeat(10_001) }), fields: ['/description'] },
    { name: 'an object trigger', body: minimalActivity({ trigger: { a: 1 } }), fields: ['/trigger'] },
    { name: 'a boolean event', body: minimalActivity({ event: true }), fields: ['/event'] },
    { name: 'a memberEmail that is no email', body: minimalActivity({ memberEmail: 'not-an-email' }), fields: ['/memberEmail'] },
    { name: 'a memberEmail nobody in the org has', body: minimalActivity({ memberEmail: 'stranger@example.com' }), fields: ['/memberEmail'] },
    { name: 'a numeric externalId', body: minimalActivity({ externalId: 5521 }), fields: ['/externalId'] },
    { name: 'an empty externalId', body: minimalActivity({ externalId: '' }), fields: ['/externalId'] },
    { name: 'an array as metadata', body: minimalActivity({ metadata: [1, 2] }), fields: ['/metadata'] },
    { name: 'a string as metadata', body: minimalActivity({ metadata: 'x' }), fields: ['/metadata'] },
    { name: 'null metadata', body: minimalActivity({ metadata: null }), fields: ['/metadata'] },
    { name: 'metadata over 64 KiB', body: minimalActivity({ metadata: { blob: 'x'.repeat(70_000) } }), fields: ['/metadata'] },
    {
      name: 'metadata nested 100 000 levels deep',
      body: `{"title":"x","startTime":"2026-03-02T14:05:00Z","metadata":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`,
      fields: ['/metadata'],
    },
    { name: 'an unknown field (PRODUCT.md §6)', body: minimalActivity({ priority: 'high' }), fields: ['/priority'] },
    { name: 'a snake_case field name', body: { title: 'x', start_time: '2026-03-02T14:05:00Z' }, fields: ['/start_time', '/startTime'] },
    { name: 'an array body', body: [minimalActivity()], fields: ['/'] },
    { name: 'several bad fields at once', body: { title: '', startTime: 'nope', extra: 1 }, fields: ['/extra', '/startTime', '/title'] },
    {
      name: 'an end before the start and an unknown member at once',
      body: minimalActivity({ endTime: '2026-03-01T00:00:00Z', memberEmail: 'nobody@example.com' }),
      fields: ['/endTime', '/memberEmail'],
    },
  ]
  for (const c of cases) {
    test(`${c.name} → 400 naming ${c.fields.join(', ')}; nothing stored`, async () => {
      const hook = await newHook()
      const res = await sendActivity(ctx, hook.path, c.body)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      const named = [...new Set(res.body.error.details.map((d: { field: string }) => d.field))].sort()
      expect(named).toEqual([...c.fields].sort())
      expect(await countActivities(hook.id)).toBe(0)
    })
  }

  const transport: Array<{ name: string; raw: string; type?: string; status: number; code: string }> = [
    { name: 'malformed JSON', raw: '{"title":', status: 400, code: 'validation_failed' },
    { name: 'a form-encoded body', raw: 'title=x', type: 'application/x-www-form-urlencoded', status: 415, code: 'unsupported_media_type' },
    { name: 'a body over 1 MiB', raw: JSON.stringify(minimalActivity({ description: 'x'.repeat(1_100_000) })), status: 413, code: 'payload_too_large' },
    { name: 'an empty body', raw: '', status: 400, code: 'validation_failed' },
  ]
  for (const c of transport) {
    test(`${c.name} → ${c.status} ${c.code}`, async () => {
      const hook = await newHook()
      const res = await ctx.call('POST', hook.path, { raw: c.raw, headers: { 'content-type': c.type ?? 'application/json' } })
      expect(res.status).toBe(c.status)
      expect(res.body.error.code).toBe(c.code)
      expect(await countActivities(hook.id)).toBe(0)
    })
  }

  test('odd Unicode and markup are stored as text, not interpreted', async () => {
    const hook = await newHook()
    const title = '<script>alert(1)</script> 🚰 \u202e\u0000 ẞ'
    const res = await sendActivity(ctx, hook.path, minimalActivity({ title, description: "Robert'); DROP TABLE activities;--" }))
    expect(res.status).toBe(201)
    expect(res.body.data.title).toBe(title)
    expect(await countActivities(hook.id)).toBe(1)
  })
})

describe('members', () => {
  test('memberEmail picks a user of the org, case-insensitively', async () => {
    const created = await ctx.call('POST', '/api/v1/users', {
      token: seed.key,
      body: { email: `Dispatch-${crypto.randomUUID()}@Example.com`, password: 'password1', role: 'dispatcher' },
    })
    const hook = await newHook()
    const res = await sendActivity(ctx, hook.path, minimalActivity({ memberEmail: created.body.data.email.toLowerCase() }))
    expect(res.status).toBe(201)
    expect(res.body.data.member).toEqual({ type: 'user', id: created.body.data.id, email: created.body.data.email })
  })

  test('memberEmail picks a contractor of the org when no user has it', async () => {
    const email = `crew-${crypto.randomUUID()}@example.com`
    const contractorId = await insertContractor(ctx.db, seed.org.id, email)
    const hook = await newHook()
    const res = await sendActivity(ctx, hook.path, minimalActivity({ memberEmail: email }))
    expect(res.status).toBe(201)
    expect(res.body.data.member).toEqual({ type: 'contractor', id: contractorId, email })
  })

  test('a member of another organization is unknown here: 400', async () => {
    const other = await ctx.seedOrg('Other Shop')
    const email = `theirs-${crypto.randomUUID()}@example.com`
    await insertContractor(ctx.db, other.org.id, email)
    const hook = await newHook()
    for (const memberEmail of [other.user.email, email]) {
      const res = await sendActivity(ctx, hook.path, minimalActivity({ memberEmail }))
      expect(res.status).toBe(400)
      expect(res.body.error.details).toEqual([{ field: '/memberEmail', message: expect.any(String) }])
    }
  })

  test('without memberEmail the member is the URL’s creator; once that user is removed, null', async () => {
    const admin = await ctx.call('POST', '/api/v1/users', {
      token: seed.key,
      body: { email: `admin-${crypto.randomUUID()}@example.com`, password: 'password1', role: 'admin' },
    })
    const session = await ctx.call('POST', '/api/auth', { body: { email: admin.body.data.email, password: 'password1' } })
    const hook = await newHook(undefined, session.body.data.token)
    expect(hook.data.created_by).toBe(admin.body.data.id)
    const before = await sendActivity(ctx, hook.path, minimalActivity())
    expect(before.body.data.member).toEqual({ type: 'user', id: admin.body.data.id, email: admin.body.data.email })
    const removed = await ctx.call('DELETE', `/api/v1/users/${admin.body.data.id}`, { token: seed.key })
    expect(removed.status).toBe(204)
    const after = await sendActivity(ctx, hook.path, minimalActivity())
    expect(after.status).toBe(201)
    expect(after.body.data.member).toBeNull()
    // History keeps who it was.
    const old = await ctx.call('GET', `/api/v1/activities/${before.body.data.id}`, { token: seed.key })
    expect(old.body.data.member.id).toBe(admin.body.data.id)
  })
})

describe('replays by externalId', () => {
  test('the same externalId on the same URL again → 200 with the stored activity, nothing duplicated, one event', async () => {
    const hook = await newHook()
    const first = await sendActivity(ctx, hook.path, CURL_EXAMPLE_BODY)
    const again = await sendActivity(ctx, hook.path, CURL_EXAMPLE_BODY)
    const edited = await sendActivity(ctx, hook.path, minimalActivity({ externalId: 'call-5521', title: 'Something else' }))
    expect(first.status).toBe(201)
    expect(again.status).toBe(200)
    expect(again.body.data).toEqual(first.body.data)
    expect(edited.status).toBe(200)
    expect(edited.body.data.title).toBe('Customer call logged')
    expect(await countActivities(hook.id)).toBe(1)
    expect(await eventsFor(first.body.data.id)).toHaveLength(1)
  })

  test('twenty concurrent sends of one externalId store one activity: one 201, the rest 200 with the same id', async () => {
    const hook = await newHook()
    const results = await Promise.all(
      Array.from({ length: 20 }, () => sendActivity(ctx, hook.path, minimalActivity({ externalId: 'race-1' }))),
    )
    const statuses = results.map((r) => r.status).sort((a, b) => a - b)
    expect(statuses).toEqual([...Array(19).fill(200), 201])
    expect(new Set(results.map((r) => r.body.data.id)).size).toBe(1)
    expect(await countActivities(hook.id)).toBe(1)
    expect(await eventsFor(results[0]!.body.data.id)).toHaveLength(1)
  })

  test('a writer that raced past the lookup gets nothing from insertActivityOnce: the unique index decides', async () => {
    const { insertActivityOnce } = await import('../../src/modules/activities/service')
    const { transaction } = await import('../../src/db/transaction')
    const hook = await newHook()
    const first = await sendActivity(ctx, hook.path, minimalActivity({ externalId: 'raced' }))
    const row = await ctx.db.selectFrom('activities').selectAll().where('id', '=', first.body.data.id).executeTakeFirstOrThrow()
    const second = await transaction(ctx.db, (trx) => insertActivityOnce(trx, { ...row, id: 'act_01jd3k5q7x0000000000000000' }))
    expect(second).toBeUndefined()
    expect(await countActivities(hook.id)).toBe(1)
    const plain = await transaction(ctx.db, (trx) =>
      insertActivityOnce(trx, { ...row, id: 'act_01jd3k5q7x0000000000000001', external_id: null }),
    )
    expect(plain?.id).toBe('act_01jd3k5q7x0000000000000001')
  })

  test('the same externalId on another URL is another activity; without externalId every send is new', async () => {
    const a = await newHook()
    const b = await newHook()
    expect((await sendActivity(ctx, a.path, minimalActivity({ externalId: 'shared' }))).status).toBe(201)
    expect((await sendActivity(ctx, b.path, minimalActivity({ externalId: 'shared' }))).status).toBe(201)
    expect((await sendActivity(ctx, a.path, minimalActivity())).status).toBe(201)
    expect((await sendActivity(ctx, a.path, minimalActivity())).status).toBe(201)
    expect(await countActivities(a.id)).toBe(3)
  })

  test('a replay with a bad body is still 400', async () => {
    const hook = await newHook()
    await sendActivity(ctx, hook.path, minimalActivity({ externalId: 'x-1' }))
    const bad = await sendActivity(ctx, hook.path, minimalActivity({ externalId: 'x-1', endTime: '2000-01-01T00:00:00Z' }))
    expect(bad.status).toBe(400)
  })

  test('accepted sends, replays included, count on the URL and set last_received_at; refused ones do not', async () => {
    const hook = await newHook()
    await sendActivity(ctx, hook.path, minimalActivity({ externalId: 'c-1' }))
    await sendActivity(ctx, hook.path, minimalActivity({ externalId: 'c-1' }))
    await sendActivity(ctx, hook.path, { title: '' })
    const list = await ctx.call('GET', '/api/v1/ingress-webhooks?per_page=100', { token: seed.key })
    const row = list.body.data.find((h: { id: string }) => h.id === hook.id)
    expect(row.received_count).toBe(2)
    expect(row.last_received_at).toBe(ctx.deps.clock.now().toISOString())
  })
})

describe('unknown and revoked tokens', () => {
  test('a revoked URL answers 404 at once, whatever the body; its activities stay', async () => {
    const hook = await newHook()
    const kept = await sendActivity(ctx, hook.path, minimalActivity())
    const revoked = await ctx.call('DELETE', `/api/v1/ingress-webhooks/${hook.id}`, { token: seed.key })
    expect(revoked.status).toBe(204)
    for (const body of [minimalActivity(), { title: '' }, CURL_EXAMPLE_BODY]) {
      const res = await sendActivity(ctx, hook.path, body)
      expect(res.status).toBe(404)
      expect(res.body.error).toEqual({ code: 'not_found', message: 'Ingress URL not found' })
    }
    expect(await countActivities(hook.id)).toBe(1)
    expect((await ctx.call('GET', `/api/v1/activities/${kept.body.data.id}`, { token: seed.key })).status).toBe(200)
  })

  const unknown = ['cb_in_' + 'A'.repeat(40), 'x', 'cb_live_notaningresstoken', 'a'.repeat(5000), '%20', "'%20OR%201=1--"]
  for (const token of unknown) {
    test(`an unknown token (${token.slice(0, 20)}${token.length > 20 ? '…' : ''}) answers the same 404 as a revoked one`, async () => {
      const res = await sendActivity(ctx, `/webhooks/ingress/${token}`, { title: '' })
      expect(res.status).toBe(404)
      expect(res.body.error).toEqual({ code: 'not_found', message: 'Ingress URL not found' })
      expect(res.headers.get('x-ratelimit-limit')).toBeNull()
    })
  }

  test('an API key or session is no credential here', async () => {
    const res = await ctx.call('POST', `/webhooks/ingress/${seed.key}`, { token: seed.key, body: minimalActivity() })
    expect(res.status).toBe(404)
  })

  test('other methods on an ingress URL are 405 naming POST', async () => {
    const hook = await newHook()
    const res = await ctx.call('GET', hook.path)
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
  })
})
