import { describe, expect, test } from 'bun:test'
import { ConfigError, loadConfig } from '../../src/config'
import type { Db } from '../../src/db/client'
import { transaction } from '../../src/db/transaction'
import { idFloor } from '../../src/ids'
import { createPruner } from '../../src/maintenance'
import { pruneExpired } from '../../src/maintenance/prune'
import { lastRuns, recordRun } from '../../src/maintenance/runs'
import { createApiKey } from '../../src/modules/api-keys/service'
import { isFeedPosition } from '../../src/modules/events/service'
import { createTestApp, TestClock } from '../helpers/app'

const DAY = 24 * 60 * 60 * 1000
const NOW = new Date('2026-11-22T12:00:00.000Z')
const retention = { deliveryRetentionDays: 30, eventRetentionDays: 90 }
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY)

let serial = 0
/** An id of `prefix` made `days` ago (ids are time-ordered, so age lives in the id too). */
const idAt = (prefix: string, at: Date) => `${idFloor(prefix, at)}${String(serial++).padStart(16, '0')}`

async function world() {
  const ctx = await createTestApp({ clock: new TestClock(NOW) })
  const { org, key } = await ctx.seedOrg()
  const hook = await ctx.call('POST', '/api/v1/webhooks', { token: key, body: { url: 'http://127.0.0.1:9/hook', events: ['*'] } })
  expect(hook.status).toBe(201)
  const endpointId: string = hook.body.data.id

  async function event(at: Date) {
    const id = idAt('evt', at)
    await ctx.db
      .insertInto('events')
      .values({ id, org_id: org.id, type: 'client.created', resource_type: 'cli', resource_id: 'cli_1', data: '{"object":{"id":"cli_1"}}', created_at: at.toISOString() })
      .execute()
    return id
  }
  async function delivery(eventId: string, status: 'pending' | 'succeeded' | 'failed', finishedAt: Date, attempts = 2) {
    const id = idAt('dlv', finishedAt)
    await ctx.db
      .insertInto('deliveries')
      .values({
        id,
        org_id: org.id,
        endpoint_id: endpointId,
        event_id: eventId,
        event_type: 'client.created',
        status,
        next_trigger: 'auto',
        attempt_count: attempts,
        failures: status === 'succeeded' ? attempts - 1 : attempts,
        next_attempt_at: status === 'pending' ? NOW.toISOString() : null,
        created_at: finishedAt.toISOString(),
        updated_at: finishedAt.toISOString(),
      })
      .execute()
    for (let n = 1; n <= attempts; n++) {
      await ctx.db
        .insertInto('delivery_attempts')
        .values({ org_id: org.id, delivery_id: id, endpoint_id: endpointId, number: n, trigger: 'auto', started_at: finishedAt.toISOString(), duration_ms: 5, succeeded: 0 })
        .execute()
    }
    return id
  }
  return { ...ctx, org, key, endpointId, event, delivery }
}

const ids = async (db: Db, table: 'deliveries' | 'events') => (await db.selectFrom(table).select('id').orderBy('id').execute()).map((r) => r.id)

describe('retention', () => {
  test('deletes finished deliveries and their attempts after the delivery retention, never a pending or retrying one', async () => {
    const w = await world()
    const recentEvent = await w.event(daysAgo(10))
    const oldSucceeded = await w.delivery(recentEvent, 'succeeded', daysAgo(31))
    const oldFailed = await w.delivery(recentEvent, 'failed', daysAgo(45))
    const retrying = await w.delivery(recentEvent, 'pending', daysAgo(200), 3)
    const recentDone = await w.delivery(recentEvent, 'succeeded', daysAgo(29))

    const result = await pruneExpired(w.db, retention, NOW)

    expect(result.deleted.deliveries).toBe(2)
    expect(await ids(w.db, 'deliveries')).toEqual([retrying, recentDone].sort())
    const attempts = await w.db.selectFrom('delivery_attempts').select('delivery_id').execute()
    expect(new Set(attempts.map((a) => a.delivery_id))).toEqual(new Set([retrying, recentDone]))
    expect(attempts.filter((a) => a.delivery_id === oldSucceeded || a.delivery_id === oldFailed)).toEqual([])
  })

  test('deletes old events no pending delivery needs, with their finished deliveries; the feed pages on across the pruned ids', async () => {
    const w = await world()
    const gone1 = await w.event(daysAgo(120))
    const kept = await w.event(daysAgo(110))
    const gone2 = await w.event(daysAgo(100))
    const recent = await w.event(daysAgo(5))
    const pending = await w.delivery(kept, 'pending', daysAgo(110))
    // A delivery retention longer than the event retention: the event still takes its finished delivery along.
    const finishedOfGone = await w.delivery(gone2, 'succeeded', daysAgo(20))

    const result = await pruneExpired(w.db, retention, NOW)

    expect(result.deleted.events).toBe(2)
    expect(await ids(w.db, 'events')).toEqual([kept, recent])
    expect(await ids(w.db, 'deliveries')).toEqual([pending])
    expect(finishedOfGone).not.toBe(pending)
    // The feed resumes from a pruned id as if the row were there: everything after it, oldest first.
    for (const after of [gone1, gone2]) {
      expect(await isFeedPosition(w.db, w.org.id, after)).toBe(true)
      const res = await w.call('GET', `/api/v1/events?after=${after}`, { token: w.key })
      expect(res.status).toBe(200)
      const feedIds = res.body.data.map((e: { id: string }) => e.id)
      expect(feedIds.slice(0, 2)).toEqual(after === gone1 ? [kept, recent] : [recent])
    }
    // An id newer than anything pruned that never existed is no feed position; a live one is.
    const never = idAt('evt', daysAgo(50))
    expect(await isFeedPosition(w.db, w.org.id, never)).toBe(false)
    expect((await w.call('GET', `/api/v1/events?after=${never}`, { token: w.key })).status).toBe(400)
    expect(await isFeedPosition(w.db, w.org.id, recent)).toBe(true)
    // Another organization's mark says nothing about this one.
    const other = await w.seedOrg('Other')
    expect(await isFeedPosition(w.db, other.org.id, gone1)).toBe(false)
  })

  test('deletes idempotency keys after 24 h and sessions once expired', async () => {
    const w = await world()
    const key = (name: string, at: Date) => ({ scope: 'org:test', key: name, request_hash: 'h', state: 'done' as const, response_status: 201, response_body: '{}', created_at: at.toISOString() })
    await w.db.insertInto('idempotency_keys').values([key('old', new Date(NOW.getTime() - 25 * 3600_000)), key('fresh', new Date(NOW.getTime() - 23 * 3600_000))]).execute()
    const signIn = (await w.db.selectFrom('users').select(['id', 'org_id']).executeTakeFirstOrThrow())
    const session = (id: string, expires: Date) => ({ id, org_id: signIn.org_id, user_id: signIn.id, token_hash: `hash-${id}`, created_at: daysAgo(20).toISOString(), expires_at: expires.toISOString() })
    await w.db.insertInto('sessions').values([session('ses_expired', daysAgo(1)), session('ses_live', new Date(NOW.getTime() + DAY))]).execute()

    const result = await pruneExpired(w.db, retention, NOW)

    expect(result.deleted).toMatchObject({ idempotency_keys: 1, sessions: 1 })
    expect((await w.db.selectFrom('idempotency_keys').select('key').where('scope', '=', 'org:test').execute()).map((r) => r.key)).toEqual(['fresh'])
    expect((await w.db.selectFrom('sessions').select('id').where('id', 'like', 'ses_%').orderBy('id').execute()).map((r) => r.id)).toEqual(['ses_live'])
  })

  test('works in many short transactions: a backlog larger than any batch is deleted, pausing between batches', async () => {
    const w = await world()
    const recentEvent = await w.event(daysAgo(1))
    const values = Array.from({ length: 3000 }, (_, i) => ({
      id: idAt('dlv', daysAgo(40)),
      org_id: w.org.id,
      endpoint_id: w.endpointId,
      event_id: recentEvent,
      event_type: 'client.created',
      status: (i % 2 ? 'succeeded' : 'failed') as 'succeeded' | 'failed',
      next_trigger: 'auto' as const,
      attempt_count: 1,
      failures: 0,
      created_at: daysAgo(40).toISOString(),
      updated_at: daysAgo(40).toISOString(),
    }))
    for (let i = 0; i < values.length; i += 500) await w.db.insertInto('deliveries').values(values.slice(i, i + 500)).execute()
    let pauses = 0
    const result = await pruneExpired(w.db, retention, NOW, {
      pause: async () => {
        pauses++
      },
    })
    expect(result.deleted.deliveries).toBe(3000)
    expect(await ids(w.db, 'deliveries')).toEqual([])
    // The first batch is 200 rows: a backlog of 3000 cannot go in one transaction.
    expect(result.batches).toBeGreaterThan(2)
    expect(pauses).toBeGreaterThan(1)
  })

  test('events kept for a pending delivery do not stop the walk: every other old event across many batches goes', async () => {
    const w = await world()
    const kept: string[] = []
    for (let i = 0; i < 900; i++) {
      const id = await w.event(new Date(daysAgo(120).getTime() + i))
      if (i % 3 === 0) {
        await w.delivery(id, 'pending', daysAgo(1), 0)
        kept.push(id)
      }
    }
    const result = await pruneExpired(w.db, retention, NOW, { pause: async () => {} })
    expect(result.deleted.events).toBe(600)
    expect(await ids(w.db, 'events')).toEqual(kept)
  })

  test('the scheduled job runs on CREWBASE_PRUNE_CRON and records its last run for the settings page', async () => {
    const ctx = await createTestApp({ env: { CREWBASE_PRUNE_CRON: '* * * * * *' } })
    const { org, user } = await ctx.seedOrg()
    await ctx.db
      .insertInto('sessions')
      .values({ id: 'ses_old', org_id: org.id, user_id: user.id, token_hash: 'x', created_at: '2020-01-01T00:00:00.000Z', expires_at: '2020-01-15T00:00:00.000Z' })
      .execute()
    const job = createPruner(ctx.deps)
    job.start()
    try {
      const deadline = Date.now() + 5000
      while (!(await lastRuns(ctx.db)).prune && Date.now() < deadline) await Bun.sleep(50)
    } finally {
      await job.stop()
    }
    const run = (await lastRuns(ctx.db)).prune!
    expect(run).toMatchObject({ job: 'prune', ok: true })
    expect(run.summary).toContain('1 sessions')
    expect(await ctx.db.selectFrom('sessions').select('id').where('id', '=', 'ses_old').executeTakeFirst()).toBeUndefined()
  })

  test('bad retention settings stop start-up with one line naming the variable', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ CREWBASE_PRUNE_CRON: 'every hour' }, /^CREWBASE_PRUNE_CRON: /],
      [{ CREWBASE_DELIVERY_RETENTION_DAYS: '0' }, /^CREWBASE_DELIVERY_RETENTION_DAYS: 0 is outside/],
      [{ CREWBASE_EVENT_RETENTION_DAYS: '30d' }, /^CREWBASE_EVENT_RETENTION_DAYS: "30d" is not a whole number/],
    ]
    for (const [env, message] of cases) {
      expect(() => loadConfig(env)).toThrow(ConfigError)
      expect(() => loadConfig(env)).toThrow(message)
    }
    expect(loadConfig({})).toMatchObject({ pruneCron: '0 0 * * * *', deliveryRetentionDays: 30, eventRetentionDays: 90 })
  })
})

describe('GET /api/v1/maintenance', () => {
  test('shows an admin how long things are kept and how the last pruning went; other tokens are refused', async () => {
    const ctx = await createTestApp({ env: { CREWBASE_DELIVERY_RETENTION_DAYS: '14', CREWBASE_EVENT_RETENTION_DAYS: '60', CREWBASE_PRUNE_CRON: '0 */10 * * * *' } })
    const { key, org, user } = await ctx.seedOrg()
    const before = await ctx.call('GET', '/api/v1/maintenance', { token: key })
    expect(before.status).toBe(200)
    expect(before.body.data).toEqual({
      retention: { deliveries_days: 14, events_days: 60, idempotency_keys_hours: 24 },
      pruning: { schedule: '0 */10 * * * *', last_run: null },
    })
    await recordRun(ctx.db, { job: 'prune', started_at: '2026-11-22T12:00:00.000Z', finished_at: '2026-11-22T12:00:01.000Z', ok: true, summary: 'deleted 3 deliveries' })
    await recordRun(ctx.db, { job: 'prune', started_at: '2026-11-22T13:00:00.000Z', finished_at: '2026-11-22T13:00:01.000Z', ok: false, summary: 'database is locked' })
    const after = await ctx.call('GET', '/api/v1/maintenance', { token: key })
    expect(after.body.data.pruning.last_run).toEqual({
      started_at: '2026-11-22T13:00:00.000Z',
      finished_at: '2026-11-22T13:00:01.000Z',
      ok: false,
      summary: 'database is locked',
      last_ok_at: '2026-11-22T12:00:01.000Z',
    })
    const reader = await transaction(ctx.db, (trx) => createApiKey(trx, org.id, user.id, { label: 'reader', permissions: { jobs: 'read', webhooks: 'write' } }, ctx.deps.clock))
    const refused = await ctx.call('GET', '/api/v1/maintenance', { token: reader.key })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('forbidden')
    expect((await ctx.call('GET', '/api/v1/maintenance')).status).toBe(401)
  })
})
