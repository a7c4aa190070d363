import { Value } from '@sinclair/typebox/value'
import { beforeAll, describe, expect, test } from 'bun:test'
import { JobListEnvelope } from '../../src/modules/jobs'
import { TestClock } from '../helpers/app'
import { type DomainHttpApp, domainApp, domainHttpApp } from '../helpers/domain'
import { testInProcess, useHttpApp } from '../helpers/http'

// HTTP suites: in-process and against the binary (npm run test:binary), one app per file.
const host = useHttpApp({ env: { CREWBASE_RATE_LIMIT: '100000' } })

describe('jobs as the seed documents use them', () => {
  let app: DomainHttpApp
  beforeAll(async () => {
    app = await domainHttpApp(host())
  })

  test('creating a job answers 201 with a per-org number, an ETag and the embedded phases and assignments', async () => {
    const crew = await app.create('/contractors', { name: 'Sam Ortega', trade: 'plumber' })
    const res = await app.api.post('/jobs', {
      title: 'Replace boiler valve',
      priority: 'high',
      scheduled_start: '2026-12-01T08:00:00+01:00',
      scheduled_end: '2026-12-01T10:00:00Z',
      tags: ['boiler'],
      metadata: { crm_id: 'A-17' },
      phases: [{ title: 'Inspect' }, { title: 'Replace', description: 'Swap the valve' }],
      assignments: [{ contractor_id: crew.id, role: 'lead' }],
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('etag')).toBe('"v1"')
    const job = res.body.data
    expect(job).toMatchObject({
      number: 'JOB-1001',
      status: 'scheduled',
      priority: 'high',
      scheduled_start: '2026-12-01T07:00:00.000Z',
      tags: ['boiler'],
      metadata: { crm_id: 'A-17' },
      version: 1,
    })
    expect(job.phases.map((p: any) => [p.position, p.title, p.status])).toEqual([
      [1, 'Inspect', 'pending'],
      [2, 'Replace', 'pending'],
    ])
    expect(job.assignments).toEqual([expect.objectContaining({ contractor_id: crew.id, role: 'lead', phase_id: null })])
    const got = await app.api.get(`/jobs/${job.id}`)
    expect(got.status).toBe(200)
    expect(got.body.data).toEqual(job)
    expect(got.headers.get('etag')).toBe('"v1"')
  })

  test('?status=completed&priority=high&page=1&per_page=50 lists exactly those jobs, newest first, without embeds', async () => {
    const local = await domainHttpApp(host())
    const made: Array<{ id: string; title: string }> = []
    for (const [title, priority, complete] of [
      ['a', 'high', true],
      ['b', 'high', false],
      ['c', 'low', true],
      ['d', 'high', true],
    ] as const) {
      const job = await local.create('/jobs', { title, priority })
      if (complete) {
        await local.api.post(`/jobs/${job.id}/start`)
        await local.api.post(`/jobs/${job.id}/complete`, { outcome: 'success' })
      }
      made.push(job)
    }
    const res = await local.api.get('/jobs?status=completed&priority=high&page=1&per_page=50')
    expect(res.status).toBe(200)
    expect(res.body.data.map((j: any) => j.title)).toEqual(['d', 'a'])
    expect(res.body.pagination).toEqual({ page: 1, per_page: 50, total: 2, next_cursor: null })
    expect(res.body.data[0]).not.toHaveProperty('phases')
    expect(res.body.data[0].status).toBe('completed')
    // The list skips run-time response checks for speed; its answers must still fit the schema exactly.
    const full = await local.api.get('/jobs')
    expect(Value.Check(JobListEnvelope, full.body)).toBe(true)
    expect(Object.keys(full.body.data[0]).sort()).toEqual(Object.keys(JobListEnvelope.properties.data.items.properties).sort())
  })
})

describe('job list filters and pagination', () => {
  let app: DomainHttpApp
  const ids: Record<string, string> = {}
  let clientA: string
  let crew: string
  let since: string
  beforeAll(async () => {
    app = await domainHttpApp(host())
    clientA = (await app.create('/clients', { name: 'Client A' })).id
    const clientB = (await app.create('/clients', { name: 'Client B' })).id
    crew = (await app.create('/contractors', { name: 'Crew One' })).id
    const specs = [
      { title: 'Leaky tap', client_id: clientA, priority: 'low', scheduled_start: '2026-12-01T08:00:00Z' },
      { title: 'Boiler service', client_id: clientA, priority: 'urgent', scheduled_start: '2026-12-05T08:00:00Z' },
      { title: 'Garden 100% tidy', client_id: clientB, priority: 'normal', scheduled_start: '2026-12-10T08:00:00Z' },
      { title: 'Roof check', client_id: clientB, priority: 'high', description: 'Loose tile near the chimney' },
      { title: 'Fuse box', priority: 'normal', assignments: [{ contractor_id: crew }] },
    ]
    for (const spec of specs) {
      const job = await app.create('/jobs', spec)
      ids[spec.title] = job.id
      since = job.updated_at
      await Bun.sleep(3) // each job its own millisecond
    }
    await app.api.post(`/jobs/${ids['Roof check']}/start`)
  })

  const titles = (res: { body: any }) => res.body.data.map((j: any) => j.title)

  const cases: Array<[string, () => string, string[]]> = [
    ['no filter', () => '', ['Fuse box', 'Roof check', 'Garden 100% tidy', 'Boiler service', 'Leaky tap']],
    ['status', () => 'status=in_progress', ['Roof check']],
    ['priority', () => 'priority=normal', ['Fuse box', 'Garden 100% tidy']],
    ['client_id', () => `client_id=${clientA}`, ['Boiler service', 'Leaky tap']],
    ['contractor_id', () => `contractor_id=${crew}`, ['Fuse box']],
    ['scheduled_from', () => 'scheduled_from=2026-12-05T00:00:00Z', ['Garden 100% tidy', 'Boiler service']],
    ['scheduled_to', () => 'scheduled_to=2026-12-05T08:00:00Z', ['Boiler service', 'Leaky tap']],
    ['scheduled window', () => 'scheduled_from=2026-12-02T00:00:00Z&scheduled_to=2026-12-06T00:00:00Z', ['Boiler service']],
    // Roof check was started after all were created, so only it changed since the last creation.
    ['updated_since', () => `updated_since=${since}`, ['Fuse box', 'Roof check']],
    ['q in the title, case-insensitive', () => 'q=BOILER', ['Boiler service']],
    ['q in the description', () => 'q=chimney', ['Roof check']],
    ['q in the number', () => 'q=JOB-1003', ['Garden 100% tidy']],
    ['q with a LIKE wildcard matches it literally', () => 'q=100%25', ['Garden 100% tidy']],
    ['q of an underscore matches nothing', () => 'q=_', []],
    ['combined filters', () => `client_id=${clientA}&priority=urgent`, ['Boiler service']],
    ['another org’s client id finds nothing', () => 'client_id=cli_01jd3k5q7x0000000000000000', []],
  ]
  for (const [name, query, expected] of cases) {
    test(`filter: ${name}`, async () => {
      const res = await app.api.get(`/jobs?${query()}`)
      expect(res.status).toBe(200)
      expect(titles(res)).toEqual(expected)
      expect(res.body.pagination.total).toBe(expected.length)
    })
  }

  test('a filter given again with another value answers for that value, with its own total', async () => {
    // The list compiles its SQL once per combination of filters and binds values per request.
    for (const [query, expected] of [
      ['status=in_progress', ['Roof check']],
      ['status=scheduled', ['Fuse box', 'Garden 100% tidy', 'Boiler service', 'Leaky tap']],
      [`client_id=${clientA}&priority=urgent`, ['Boiler service']],
      [`client_id=${clientA}&priority=normal`, []],
      ['scheduled_from=2026-12-05T00:00:00Z', ['Garden 100% tidy', 'Boiler service']],
      ['scheduled_from=2026-12-06T00:00:00Z', ['Garden 100% tidy']],
    ] as const) {
      const res = await app.api.get(`/jobs?${query}`)
      expect(titles(res)).toEqual([...expected])
      expect(res.body.pagination.total).toBe(expected.length)
    }
  })

  test('pages keep the total of all matches; cursors walk the same order', async () => {
    const pages = [1, 2, 3].map((page) => app.api.get(`/jobs?per_page=2&page=${page}`))
    const [one, two, three] = await Promise.all(pages)
    expect([one!, two!, three!].map(titles)).toEqual([['Fuse box', 'Roof check'], ['Garden 100% tidy', 'Boiler service'], ['Leaky tap']])
    for (const res of [one!, two!, three!]) expect(res.body.pagination.total).toBe(5)
    const walked: string[] = []
    let cursor: string | null = null
    do {
      const res: any = await app.api.get(`/jobs?per_page=2${cursor ? `&cursor=${cursor}` : ''}`)
      walked.push(...titles(res))
      cursor = res.body.pagination.next_cursor
    } while (cursor)
    expect(walked).toEqual(['Fuse box', 'Roof check', 'Garden 100% tidy', 'Boiler service', 'Leaky tap'])
    // Range filters page through ids first; pages and cursors must agree there too.
    const ranged = '/jobs?per_page=1&scheduled_from=2026-11-30T00:00:00Z'
    const first = await app.api.get(ranged)
    const second = await app.api.get(`${ranged}&cursor=${first.body.pagination.next_cursor}`)
    const third = await app.api.get(`${ranged}&page=3`)
    expect([first, second, third].map(titles)).toEqual([['Garden 100% tidy'], ['Boiler service'], ['Leaky tap']])
    expect(third.body.pagination).toMatchObject({ total: 3, next_cursor: null })
  })

  const badQueries: Array<[string, string]> = [
    ['status=done', '/status'],
    ['priority=1', '/priority'],
    ['scheduled_from=tomorrow', '/scheduled_from'],
    ['updated_since=2026-13-01T00:00:00Z', '/updated_since'],
    ['per_page=0', '/per_page'],
    ['per_page=101', '/per_page'],
    ['page=-1', '/page'],
    ['sort=title', '/sort'],
  ]
  for (const [query, field] of badQueries) {
    test(`a bad query value ${query} is 400 naming ${field}`, async () => {
      const res = await app.api.get(`/jobs?${query}`)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.details.map((d: any) => d.field)).toContain(field)
    })
  }
})

describe('bad job input', () => {
  let app: DomainHttpApp
  beforeAll(async () => {
    app = await domainHttpApp(host())
  })
  const cases: Array<[string, unknown, string]> = [
    ['no title', { priority: 'high' }, '/title'],
    ['an empty title', { title: '' }, '/title'],
    ['a title over 200 characters', { title: 'x'.repeat(201) }, '/title'],
    ['an unknown priority', { title: 't', priority: 'asap' }, '/priority'],
    ['a number as title', { title: 42 }, '/title'],
    ['a date that is not ISO 8601', { title: 't', scheduled_start: '1st of December' }, '/scheduled_start'],
    ['an end before the start', { title: 't', scheduled_start: '2026-12-01T10:00:00Z', scheduled_end: '2026-12-01T09:00:00Z' }, '/scheduled_end'],
    ['tags that are not a list', { title: 't', tags: 'boiler' }, '/tags'],
    ['metadata that is a list', { title: 't', metadata: [1, 2] }, '/metadata'],
    ['metadata over 8 KiB', { title: 't', metadata: { blob: 'x'.repeat(9000) } }, '/metadata'],
    ['a status (only actions change it)', { title: 't', status: 'completed' }, '/status'],
    ['an unknown field', { title: 't', colour: 'red' }, '/colour'],
    ['a missing client', { title: 't', client_id: 'cli_01jd3k5q7x0000000000000000' }, '/client_id'],
    ['a missing property', { title: 't', property_id: 'prp_01jd3k5q7x0000000000000000' }, '/property_id'],
    ['a missing contractor', { title: 't', assignments: [{ contractor_id: 'ctr_nope' }] }, '/assignments/0/contractor_id'],
  ]
  for (const [name, body, field] of cases) {
    test(`${name} is 400 naming ${field}, and nothing is written`, async () => {
      const before = await app.snapshot()
      const res = await app.api.post('/jobs', body)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.details.map((d: any) => d.field)).toContain(field)
      expect(await app.snapshot()).toEqual(before)
    })
  }

  test('SQL and HTML fragments are kept as plain text', async () => {
    const title = `'); DROP TABLE jobs; -- <script>alert(1)</script> 🚰`
    const job = await app.create('/jobs', { title })
    expect((await app.api.get(`/jobs/${job.id}`)).body.data.title).toBe(title)
  })

  test('malformed JSON is 400 and a form body is 415', async () => {
    const bad = await app.call('POST', '/api/v1/jobs', { token: app.key, raw: '{"title": ', headers: { 'content-type': 'application/json' } })
    expect(bad.status).toBe(400)
    const form = await app.call('POST', '/api/v1/jobs', { token: app.key, raw: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(form.status).toBe(415)
  })
})

describe('references across organizations', () => {
  test('another org’s client, property or contractor is refused like a missing one, and leaves no row', async () => {
    const app = await domainHttpApp(host())
    const other = await app.seedOrg('Rival Plumbing')
    const theirs = app.as(other.key)
    const theirClient = (await theirs.post('/clients', { name: 'Theirs' })).body.data
    const theirProperty = (await theirs.post('/properties', { client_id: theirClient.id, address: '1 Elsewhere' })).body.data
    const theirCrew = (await theirs.post('/contractors', { name: 'Not ours' })).body.data
    const before = await app.snapshot()
    for (const [body, field] of [
      [{ title: 't', client_id: theirClient.id }, '/client_id'],
      [{ title: 't', property_id: theirProperty.id }, '/property_id'],
      [{ title: 't', assignments: [{ contractor_id: theirCrew.id }] }, '/assignments/0/contractor_id'],
    ] as const) {
      const res = await app.api.post('/jobs', body)
      expect(res.status).toBe(400)
      expect(res.body.error.details[0].field).toBe(field)
      expect(res.body.error.message).toContain('no ')
    }
    const job = await app.create('/jobs', { title: 'ours' })
    expect((await app.api.patch(`/jobs/${job.id}`, { client_id: theirClient.id })).status).toBe(400)
    expect((await app.api.post(`/jobs/${job.id}/assignments`, { contractor_id: theirCrew.id })).status).toBe(400)
    expect((await app.api.post(`/jobs/${job.id}/checkins`, { contractor_id: theirCrew.id, type: 'in' })).status).toBe(400)
    const after = await app.snapshot()
    // Only the one job we meant to create (and its event) is new.
    expect((after.jobs as unknown[]).length).toBe((before.jobs as unknown[]).length + 1)
    expect(await app.eventTypes()).toEqual(['job.created'])
  })

  test('another org’s job is 404 on every route, never 403, and is left untouched', async () => {
    const app = await domainHttpApp(host())
    const other = await app.seedOrg('Rival Plumbing')
    const theirJob = (await app.as(other.key).post('/jobs', { title: 'theirs', phases: [{ title: 'p' }] })).body.data
    const phase = theirJob.phases[0].id
    const routes: Array<[string, string, unknown?]> = [
      ['GET', ''],
      ['PATCH', '', { title: 'mine now' }],
      ['DELETE', ''],
      ['POST', '/start'],
      ['POST', '/complete', { outcome: 'success' }],
      ['POST', '/delay', { reason: 'x' }],
      ['POST', '/archive'],
      ['GET', '/phases'],
      ['POST', '/phases', { title: 'x' }],
      ['PATCH', `/phases/${phase}`, { title: 'x' }],
      ['DELETE', `/phases/${phase}`],
      ['GET', '/assignments'],
      ['GET', '/checkins'],
      ['GET', '/messages'],
      ['POST', '/messages', { body: 'hi' }],
    ]
    for (const [method, suffix, body] of routes) {
      const res = await app.call(method, `/api/v1/jobs/${theirJob.id}${suffix}`, { token: app.key, body })
      expect([method, suffix, res.status]).toEqual([method, suffix, 404])
      expect(res.body.error.code).toBe('not_found')
    }
    const still = await app.as(other.key).get(`/jobs/${theirJob.id}`)
    expect(still.body.data).toEqual(theirJob)
  })
})

describe('changing a job', () => {
  test('PATCH changes the given fields, grows the version and records job.updated with the previous values', async () => {
    const app = await domainHttpApp(host())
    const client = await app.create('/clients', { name: 'C' })
    const property = await app.create('/properties', { client_id: client.id, address: '1 Main St' })
    const job = await app.create('/jobs', { title: 'Old', priority: 'low', tags: ['a'] })
    const res = await app.api.patch(`/jobs/${job.id}`, { title: 'New', priority: 'urgent', property_id: property.id, description: null })
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe('"v2"')
    expect(res.body.data).toMatchObject({ title: 'New', priority: 'urgent', property_id: property.id, client_id: client.id, tags: ['a'], version: 2 })
    const events = (await app.api.get('/events?type=job.updated')).body.data
    expect(events).toHaveLength(1)
    expect(events[0].data.previous).toEqual({ title: 'Old', priority: 'low', property_id: null, client_id: null })
    expect(events[0].data.object).toEqual(res.body.data)
  })

  test('PATCH with a stale If-Match is 412; with the current one it applies; a no-op PATCH writes nothing', async () => {
    const app = await domainHttpApp(host())
    const job = await app.create('/jobs', { title: 'x' })
    const ok = await app.api.patch(`/jobs/${job.id}`, { title: 'y' }, { 'if-match': '"v1"' })
    expect(ok.status).toBe(200)
    const stale = await app.api.patch(`/jobs/${job.id}`, { title: 'z' }, { 'if-match': '"v1"' })
    expect(stale.status).toBe(412)
    expect(stale.body.error.code).toBe('precondition_failed')
    const same = await app.api.patch(`/jobs/${job.id}`, { title: 'y' })
    expect(same.body.data.version).toBe(2)
    expect(await app.eventTypes()).toEqual(['job.created', 'job.updated'])
  })

  test('a property of another client than the job’s is 400 naming property_id', async () => {
    const app = await domainHttpApp(host())
    const a = await app.create('/clients', { name: 'A' })
    const b = await app.create('/clients', { name: 'B' })
    const bHouse = await app.create('/properties', { client_id: b.id, address: 'B house' })
    const res = await app.api.post('/jobs', { title: 't', client_id: a.id, property_id: bHouse.id })
    expect(res.status).toBe(400)
    expect(res.body.error.details[0].field).toBe('/property_id')
  })

  test('DELETE is soft: 204, then gone from GET, lists and actions, with one job.deleted event', async () => {
    const app = await domainHttpApp(host())
    const job = await app.create('/jobs', { title: 'bye' })
    expect((await app.api.del(`/jobs/${job.id}`)).status).toBe(204)
    expect((await app.api.get(`/jobs/${job.id}`)).status).toBe(404)
    expect((await app.api.get('/jobs')).body.pagination.total).toBe(0)
    expect((await app.api.post(`/jobs/${job.id}/start`)).status).toBe(404)
    expect((await app.api.del(`/jobs/${job.id}`)).status).toBe(404)
    expect(await app.eventTypes()).toEqual(['job.created', 'job.deleted'])
    const deleted = (await app.api.get('/events?type=job.deleted')).body.data[0]
    expect(deleted.data.object.id).toBe(job.id)
    expect(deleted.data.object.version).toBe(2)
  })

  testInProcess('reads the database', 'a deleted job stays in the database, marked with deleted_at', async () => {
    const app = await domainApp()
    const job = await app.create('/jobs', { title: 'bye' })
    expect((await app.api.del(`/jobs/${job.id}`)).status).toBe(204)
    const row = await app.db.selectFrom('jobs').select(['deleted_at']).where('id', '=', job.id).executeTakeFirstOrThrow()
    expect(row.deleted_at).not.toBeNull()
  })
})

describe('the job lifecycle', () => {
  type Action = 'start' | 'complete' | 'delay' | 'archive'
  const bodies: Record<Action, unknown> = {
    start: {},
    complete: { outcome: 'success', note: 'done' },
    delay: { reason: 'waiting for parts', new_start: '2026-12-03T08:00:00Z' },
    archive: {},
  }
  // How to reach each status, and which actions the lifecycle table allows from it.
  const paths: Record<string, Action[]> = {
    scheduled: [],
    in_progress: ['start'],
    delayed: ['delay'],
    completed: ['start', 'complete'],
    archived: ['archive'],
  }
  const allowed: Record<string, Action[]> = {
    scheduled: ['start', 'delay', 'archive'],
    in_progress: ['complete', 'delay', 'archive'],
    delayed: ['start', 'archive'],
    completed: ['archive'],
    archived: [],
  }
  const to: Record<Action, string> = { start: 'in_progress', complete: 'completed', delay: 'delayed', archive: 'archived' }
  const event: Record<Action, string> = { start: 'job.started', complete: 'job.completed', delay: 'job.delayed', archive: 'job.archived' }

  for (const [from, path] of Object.entries(paths)) {
    for (const action of ['start', 'complete', 'delay', 'archive'] as Action[]) {
      const legal = allowed[from]!.includes(action)
      test(`${action} on a ${from} job ${legal ? `→ ${to[action]} with ${event[action]}` : 'is 409 and changes nothing'}`, async () => {
        const app = await domainHttpApp(host())
        const job = await app.create('/jobs', { title: 'walk', scheduled_start: '2026-12-01T08:00:00Z', scheduled_end: '2026-12-01T10:00:00Z' })
        for (const step of path) expect((await app.api.post(`/jobs/${job.id}/${step}`, bodies[step])).status).toBe(200)
        const before = await app.snapshot()
        const res = await app.api.post(`/jobs/${job.id}/${action}`, bodies[action])
        if (!legal) {
          expect(res.status).toBe(409)
          expect(res.body.error.code).toBe('conflict')
          expect(res.body.error.message).toContain(from)
          expect(await app.snapshot()).toEqual(before)
          return
        }
        expect(res.status).toBe(200)
        expect(res.body.data.status).toBe(to[action])
        expect(res.body.data.version).toBe(path.length + 2)
        const types = await app.eventTypes()
        expect(types[types.length - 1]).toBe(event[action])
      })
    }
  }

  testInProcess('moves the clock', 'start, delay with a new start, start again, complete: the fields tell the story', async () => {
    const clock = new TestClock()
    const app = await domainApp({ clock })
    const job = await app.create('/jobs', { title: 'story', scheduled_start: '2026-12-01T08:00:00Z', scheduled_end: '2026-12-01T10:00:00Z' })
    const started = (await app.api.post(`/jobs/${job.id}/start`)).body.data
    expect(started.started_at).toBe('2026-11-22T12:00:00.000Z')
    clock.advance(3_600_000)
    const delayed = (await app.api.post(`/jobs/${job.id}/delay`, { reason: 'rain', new_start: '2026-12-02T09:00:00+01:00' })).body.data
    expect(delayed).toMatchObject({
      status: 'delayed',
      delay_reason: 'rain',
      scheduled_start: '2026-12-02T08:00:00.000Z',
      scheduled_end: '2026-12-02T10:00:00.000Z',
    })
    const restarted = (await app.api.post(`/jobs/${job.id}/start`)).body.data
    expect(restarted.started_at).toBe('2026-11-22T12:00:00.000Z')
    const done = (await app.api.post(`/jobs/${job.id}/complete`, { outcome: 'failure', note: 'valve discontinued' })).body.data
    expect(done).toMatchObject({ status: 'completed', outcome: 'failure', completion_note: 'valve discontinued', completed_at: '2026-11-22T13:00:00.000Z' })
    expect(await app.eventTypes()).toEqual(['job.created', 'job.started', 'job.delayed', 'job.started', 'job.completed'])
  })

  test('action bodies are validated: outcome, reason, unknown fields', async () => {
    const app = await domainHttpApp(host())
    const job = await app.create('/jobs', { title: 't' })
    await app.api.post(`/jobs/${job.id}/start`)
    const cases: Array<[string, unknown, string]> = [
      ['complete', {}, '/outcome'],
      ['complete', { outcome: 'meh' }, '/outcome'],
      ['delay', {}, '/reason'],
      ['delay', { reason: 'x', new_start: 'soon' }, '/new_start'],
      ['start', { force: true }, '/force'],
      ['archive', { why: 'x' }, '/why'],
    ]
    for (const [action, body, field] of cases) {
      const res = await app.api.post(`/jobs/${job.id}/${action}`, body)
      expect([action, res.status]).toEqual([action, 400])
      expect(res.body.error.details.map((d: any) => d.field)).toContain(field)
    }
    expect((await app.api.get(`/jobs/${job.id}`)).body.data.status).toBe('in_progress')
  })

  test('an archived job cannot be edited, re-planned or staffed (409)', async () => {
    const app = await domainHttpApp(host())
    const crew = await app.create('/contractors', { name: 'c' })
    const job = await app.create('/jobs', { title: 't', phases: [{ title: 'p' }] })
    await app.api.post(`/jobs/${job.id}/archive`)
    expect((await app.api.patch(`/jobs/${job.id}`, { title: 'u' })).status).toBe(409)
    expect((await app.api.post(`/jobs/${job.id}/phases`, { title: 'q' })).status).toBe(409)
    expect((await app.api.patch(`/jobs/${job.id}/phases/${job.phases[0].id}`, { title: 'q' })).status).toBe(409)
    expect((await app.api.post(`/jobs/${job.id}/assignments`, { contractor_id: crew.id })).status).toBe(409)
  })
})
