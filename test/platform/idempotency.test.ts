import { afterEach, expect, test } from 'bun:test'
import { sql } from 'kysely'
import { createTestApp } from '../helpers/app'
import { createHttpApp, describeInProcess, type HttpApp } from '../helpers/http'

let app: HttpApp | null = null
afterEach(async () => {
  await app?.close()
  app = null
})

test('one Idempotency-Key sent 8 times at once: one change, every answer 201 (replayed) or 409 (still running), never 500', async () => {
  app = await createHttpApp()
  const { key } = await app.seedOrg()
  const send = () => app!.call('POST', '/api/v1/clients', { token: key, body: { name: 'Once' }, headers: { 'idempotency-key': 'k-1' } })
  const responses = await Promise.all(Array.from({ length: 8 }, send))
  for (const r of responses) expect([201, 409]).toContain(r.status)
  const created = responses.filter((r) => r.status === 201)
  expect(created.length).toBeGreaterThanOrEqual(1)
  expect(new Set(created.map((r) => r.body.data.id)).size).toBe(1)
  const again = await send()
  expect(again.status).toBe(201)
  expect(again.headers.get('idempotent-replayed')).toBe('true')
  expect(again.body.data.id).toBe(created[0]!.body.data.id)
  expect((await app.call('GET', '/api/v1/clients?q=Once', { token: key })).body.pagination.total).toBe(1)
})

describeInProcess('it breaks the database on purpose', 'the stored answer and the change commit together', () => {
  test('when storing the answer fails, the change rolls back with it, and a retry with the key runs it', async () => {
    const ctx = await createTestApp()
    const { key } = await ctx.seedOrg()
    await sql`create trigger fail_answer before update on idempotency_keys begin select raise(abort, 'disk full'); end`.execute(ctx.db)
    const send = () => ctx.call('POST', '/api/v1/jobs', { token: key, body: { title: 'Fix the boiler' }, headers: { 'idempotency-key': 'boiler' } })
    const failed = await send()
    expect(failed.status).toBe(500)
    expect(await ctx.db.selectFrom('jobs').selectAll().execute()).toEqual([])
    expect(await ctx.db.selectFrom('events').select('type').where('type', '=', 'job.created').execute()).toEqual([])
    // The failed try left the key free.
    expect(await ctx.db.selectFrom('idempotency_keys').selectAll().execute()).toEqual([])
    await sql`drop trigger fail_answer`.execute(ctx.db)
    const retried = await send()
    expect(retried.status).toBe(201)
    const row = await ctx.db.selectFrom('idempotency_keys').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ state: 'done', response_status: 201 })
    expect(JSON.parse(row.response_body!).data.id).toBe(retried.body.data.id)
    expect(await ctx.db.selectFrom('jobs').select('id').execute()).toHaveLength(1)
    await ctx.close()
  })

  test('a claim left running by a request that died frees the key after the lease, so the retry runs', async () => {
    const ctx = await createTestApp()
    const { key } = await ctx.seedOrg()
    const send = () => ctx.call('POST', '/api/v1/clients', { token: key, body: { name: 'After a crash' }, headers: { 'idempotency-key': 'crashed' } })
    const probe = await send()
    expect(probe.status).toBe(201)
    // What a crash between the claim and the commit leaves behind: a claim running for over a minute.
    const longAgo = new Date(ctx.deps.clock.now().getTime() - 61_000).toISOString()
    await ctx.db.updateTable('idempotency_keys').set({ state: 'running', response_status: null, response_body: null, created_at: longAgo }).execute()
    const retried = await send()
    expect(retried.status).toBe(201)
    expect(retried.headers.get('idempotent-replayed')).toBeNull()
    expect((await ctx.db.selectFrom('idempotency_keys').selectAll().executeTakeFirstOrThrow()).state).toBe('done')
    await ctx.close()
  })
})
