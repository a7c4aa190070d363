import { describe, expect, test } from 'bun:test'
import { sql } from 'kysely'
import { domainApp, domainHttpApp } from '../helpers/domain'
import { testInProcess, useHttpApp } from '../helpers/http'

// HTTP suites: in-process and against the binary (npm run test:binary), one app per file.
const host = useHttpApp({ env: { CREWBASE_RATE_LIMIT: '100000' } })

describe('the event log', () => {
  test('matches exactly the changes made: one event per change, none for refused requests', async () => {
    const app = await domainHttpApp(host())
    const client = await app.create('/clients', { name: 'C' })
    const contact = await app.create('/contacts', { client_id: client.id, name: 'Dana' })
    const crew = await app.create('/contractors', { name: 'Sam' })
    const job = await app.create('/jobs', { title: 'J', client_id: client.id, assignments: [{ contractor_id: crew.id }] })
    const refused = [
      await app.api.post('/jobs', { title: '' }),
      await app.api.post(`/jobs/${job.id}/complete`, { outcome: 'success' }),
      await app.api.patch(`/jobs/${job.id}`, { title: 'x' }, { 'if-match': '"v9"' }),
      await app.api.patch(`/clients/${client.id}`, { name: 'x' }, { 'if-match': '"v9"' }),
      await app.api.del(`/clients/${client.id}`),
      await app.api.get('/jobs/job_01jd3k5q7x0000000000000000'),
    ]
    expect(refused.map((r) => r.status)).toEqual([400, 409, 412, 412, 409, 404])
    await app.api.patch(`/clients/${client.id}`, { phone: '+1 555 0100' })
    await app.api.patch(`/contacts/${contact.id}`, { name: 'Dana W.' })
    await app.api.post(`/jobs/${job.id}/start`)
    await app.api.post(`/jobs/${job.id}/checkins`, { contractor_id: crew.id, type: 'in' })
    await app.api.post(`/jobs/${job.id}/messages`, { body: 'here' })
    await app.api.post(`/jobs/${job.id}/checkins`, { contractor_id: crew.id, type: 'out' })
    await app.api.post(`/jobs/${job.id}/complete`, { outcome: 'success' })
    await app.api.post(`/contractors/${crew.id}/ratings`, { job_id: job.id, score: 5 })
    await app.api.post(`/jobs/${job.id}/archive`)
    await app.api.post('/requests', { description: 'more work' })
    await app.api.del(`/jobs/${job.id}`)

    const feed = (await app.api.get('/events?per_page=100')).body
    feed.data.reverse()
    expect(feed.data.map((e: any) => e.type)).toEqual([
      'client.created',
      'contact.created',
      'job.created',
      'client.updated',
      'contact.updated',
      'job.started',
      'job.checkin',
      'message.sent',
      'job.checkout',
      'job.completed',
      'crew.rated',
      'job.archived',
      'request.created',
      'job.deleted',
    ])
    expect(feed.pagination.total).toBe(14)
    // Each job event carries the job as GET showed it then: versions grow one by one.
    const jobVersions = feed.data.filter((e: any) => e.data.object.id === job.id).map((e: any) => e.data.object.version)
    expect(jobVersions).toEqual([1, 2, 3, 4, 5])
    for (const event of feed.data) expect(event).toMatchObject({ id: expect.stringMatching(/^evt_/), org_id: app.org.id })
  })

  testInProcess('a database trigger fails the write', 'a change whose transaction fails leaves neither the change nor its event', async () => {
    const app = await domainApp()
    const marker = `explode-${crypto.randomUUID()}`
    // The webhook outbox write failing inside the transaction rolls everything back.
    expect((await app.api.post('/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['job.created'] })).status).toBe(201)
    await sql`create trigger fail_outbox before insert on deliveries begin select raise(abort, 'outbox write failed'); end`.execute(app.db)
    const res = await app.api.post('/jobs', { title: marker })
    expect(res.status).toBe(500)
    expect(res.body.error.code).toBe('internal_error')
    const snapshot = await app.snapshot()
    expect(snapshot.jobs).toEqual([])
    expect((snapshot.events as any[]).filter((e) => e.type !== 'webhook.created')).toEqual([])
    await sql`drop trigger fail_outbox`.execute(app.db)
    // The job number was not used up either: the counter rolled back with the job.
    expect((await app.create('/jobs', { title: 'fine' })).number).toBe('JOB-1001')
  })

  test('after=<id> is a feed: oldest first, page by page, resuming from the last id misses nothing', async () => {
    const app = await domainHttpApp(host())
    await app.create('/clients', { name: 'start' })
    let after = (await app.api.get('/events')).body.data[0].id
    for (const name of ['a', 'b', 'c', 'd', 'e']) await app.create('/clients', { name })
    const seen: string[] = []
    for (;;) {
      const page = (await app.api.get(`/events?after=${after}&per_page=2`)).body
      if (page.data.length === 0) break
      seen.push(...page.data.map((e: any) => e.data.object.name))
      after = page.data[page.data.length - 1].id
      if (seen.length === 4) await app.create('/clients', { name: 'f' })
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
    const newestFirst = (await app.api.get('/events')).body.data.map((e: any) => e.data.object.name)
    expect(newestFirst).toEqual(['f', 'e', 'd', 'c', 'b', 'a', 'start'])
  })

  test('the feed pages by next_cursor like every list: following it reads every event to the end, once', async () => {
    const app = await domainApp({ env: { CREWBASE_RATE_LIMIT: '1000' } })
    await app.create('/clients', { name: 'start' })
    const first = (await app.api.get('/events')).body.data[0].id
    for (let i = 0; i < 123; i++) await app.create('/clients', { name: `c${i}` })
    for (const keepAfter of [true, false]) {
      const seen: string[] = []
      let path = `/events?after=${first}&per_page=50`
      for (let pages = 0; ; pages++) {
        expect(pages).toBeLessThan(10)
        const page = (await app.api.get(path)).body
        // total counts what the filters match: after= is one of them; a cursor alone is not.
        expect(page.pagination.total).toBe(keepAfter || pages === 0 ? 123 : 124)
        seen.push(...page.data.map((e: any) => e.data.object.name))
        const next = page.pagination.next_cursor
        if (next === null) break
        // A client may add cursor= to the URL it has, or send the cursor alone.
        path = keepAfter ? `/events?after=${first}&per_page=50&cursor=${next}` : `/events?per_page=50&cursor=${next}`
      }
      expect(seen).toEqual(Array.from({ length: 123 }, (_, i) => `c${i}`))
    }
    // The feed's cursor runs oldest first and the list's newest first; neither is read the other way.
    const listCursor = (await app.api.get('/events?per_page=1')).body.pagination.next_cursor
    expect((await app.api.get(`/events?after=${first}&cursor=${listCursor}`)).status).toBe(400)
  })

  test('an after= id that is not an event of the organization is 400 naming after, not the start of the feed', async () => {
    const app = await domainHttpApp(host())
    const other = await app.seedOrg('Rival')
    await app.as(other.key).post('/clients', { name: 'theirs' })
    const theirs = (await app.as(other.key).get('/events')).body.data[0].id
    await app.create('/clients', { name: 'ours' })
    for (const after of ['evt_00000000000000000000000000', 'evt_zzzzzzzzzzzzzzzzzzzzzzzzzz', theirs]) {
      const res = await app.api.get(`/events?after=${after}`)
      expect(res.status).toBe(400)
      expect(res.body.error.details).toEqual([{ field: '/after', message: 'is not an event of this organization' }])
    }
  })

  test('filters: type and created_after; bad values are 400', async () => {
    const app = await domainHttpApp(host())
    await app.create('/clients', { name: 'early' })
    const since = (await app.api.get('/events')).body.data[0].created_at
    await Bun.sleep(3) // the next events in later milliseconds
    const job = await app.create('/jobs', { title: 'later' })
    await app.create('/clients', { name: 'late' })
    expect((await app.api.get('/events?type=client.created')).body.data.map((e: any) => e.data.object.name)).toEqual(['late', 'early'])
    const recent = (await app.api.get(`/events?created_after=${since}`)).body
    expect(recent.data.map((e: any) => e.type)).toEqual(['client.created', 'job.created'])
    expect(recent.pagination.total).toBe(2)
    expect((await app.api.get(`/events?type=job.created&created_after=${since}`)).body.data[0].data.object.id).toBe(job.id)
    for (const query of ['type=job.exploded', 'created_after=yesterday', 'after=job_123', 'after=evt_00000000000000000000000000', 'cursor=abc']) {
      const res = await app.api.get(`/events?${query}`)
      expect([query, res.status]).toEqual([query, 400])
    }
  })

  test('GET /events/:id returns one event; another org’s event is 404; a key without events permission is 403', async () => {
    const app = await domainHttpApp(host())
    const other = await app.seedOrg('Rival')
    await app.as(other.key).post('/clients', { name: 'theirs' })
    const theirEvent = (await app.as(other.key).get('/events')).body.data[0]
    await app.create('/clients', { name: 'ours' })
    const ours = (await app.api.get('/events')).body.data[0]
    expect((await app.api.get(`/events/${ours.id}`)).body.data).toEqual(ours)
    expect((await app.api.get(`/events/${theirEvent.id}`)).status).toBe(404)
    expect((await app.api.get('/events')).body.data.map((e: any) => e.id)).toEqual([ours.id])
    const jobsOnly = (await app.api.post('/api-keys', { label: 'jobs', permissions: { jobs: 'read' } })).body.data.key
    expect((await app.as(jobsOnly).get('/events')).status).toBe(403)
  })
})
