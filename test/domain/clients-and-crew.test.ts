import { describe, expect, test } from 'bun:test'
import { domainApp, domainHttpApp } from '../helpers/domain'
import { useHttpApp } from '../helpers/http'

// HTTP suites: in-process and against the binary (npm run test:binary), one app per file.
const host = useHttpApp({ env: { CREWBASE_RATE_LIMIT: '100000' } })

// The plain resources share one CRUD helper; each is walked through the same scenario.
const resources = [
  { path: '/clients', create: { name: 'Harbor View' }, patch: { name: 'Harbor View Ltd' }, created: 'client.created', updated: 'client.updated' },
  { path: '/contacts', create: { name: 'Dana' }, patch: { title: 'Site manager' }, needsClient: true, created: 'contact.created', updated: 'contact.updated' },
  { path: '/properties', create: { address: '12 Harbor Rd' }, patch: { notes: 'Gate code 4411' }, needsClient: true },
  { path: '/contractors', create: { name: 'Sam Ortega' }, patch: { trade: 'electrician' } },
] as const

for (const resource of resources) {
  describe(`${resource.path}`, () => {
    test('create, get, list, PATCH with If-Match, delete: versions, ETags and events as promised', async () => {
      const app = await domainHttpApp(host())
      const client = 'needsClient' in resource ? await app.create('/clients', { name: 'Owner' }) : null
      const body = { ...resource.create, ...(client ? { client_id: client.id } : {}) }
      const created = await app.api.post(resource.path, body)
      expect(created.status).toBe(201)
      expect(created.headers.get('etag')).toBe('"v1"')
      const item = created.body.data
      expect(item.version).toBe(1)

      const got = await app.api.get(`${resource.path}/${item.id}`)
      expect([got.status, got.body.data]).toEqual([200, item])
      const list = await app.api.get(`${resource.path}?per_page=10`)
      expect(list.body.data.map((x: any) => x.id)).toContain(item.id)

      expect((await app.api.patch(`${resource.path}/${item.id}`, resource.patch, { 'if-match': '"v7"' })).status).toBe(412)
      const patched = await app.api.patch(`${resource.path}/${item.id}`, resource.patch, { 'if-match': '"v1"' })
      expect(patched.status).toBe(200)
      expect(patched.body.data).toMatchObject({ ...resource.patch, version: 2 })
      expect(patched.headers.get('etag')).toBe('"v2"')

      const unknown = await app.api.patch(`${resource.path}/${item.id}`, { shoe_size: 44 })
      expect([unknown.status, unknown.body.error.details[0].field]).toEqual([400, '/shoe_size'])

      const expected = [
        ...(client ? ['client.created'] : []),
        ...('created' in resource ? [resource.created] : []),
        ...('updated' in resource ? [resource.updated] : []),
      ]
      expect(await app.eventTypes()).toEqual(expected)
      if ('updated' in resource) {
        const updated = (await app.api.get(`/events?type=${resource.updated}`)).body.data[0]
        const field = Object.keys(resource.patch)[0]!
        expect(updated.data.previous).toEqual({ [field]: item[field] })
      }

      expect((await app.api.del(`${resource.path}/${item.id}`)).status).toBe(204)
      expect((await app.api.get(`${resource.path}/${item.id}`)).status).toBe(404)
    })

    test('another org’s id is 404 on get, PATCH and DELETE, and nothing changes', async () => {
      const app = await domainHttpApp(host())
      const other = await app.seedOrg('Rival')
      const theirs = app.as(other.key)
      const theirClient = (await theirs.post('/clients', { name: 'Theirs' })).body.data
      const body = { ...resource.create, ...('needsClient' in resource ? { client_id: theirClient.id } : {}) }
      const item = resource.path === '/clients' ? theirClient : (await theirs.post(resource.path, body)).body.data
      for (const res of [
        await app.api.get(`${resource.path}/${item.id}`),
        await app.api.patch(`${resource.path}/${item.id}`, resource.patch),
        await app.api.del(`${resource.path}/${item.id}`),
      ]) {
        expect(res.status).toBe(404)
        expect(res.body.error.code).toBe('not_found')
      }
      expect((await theirs.get(`${resource.path}/${item.id}`)).body.data).toEqual(item)
      expect((await app.api.get(resource.path)).body.pagination.total).toBe(0)
    })
  })
}

describe('references between clients, contacts and properties', () => {
  test('a contact or property of a missing or foreign client is 400 naming client_id, and no row is written', async () => {
    const app = await domainHttpApp(host())
    const other = await app.seedOrg('Rival')
    const theirClient = (await app.as(other.key).post('/clients', { name: 'Theirs' })).body.data
    for (const clientId of [theirClient.id, 'cli_01jd3k5q7x0000000000000000']) {
      for (const [path, body] of [
        ['/contacts', { name: 'x' }],
        ['/properties', { address: 'x' }],
      ] as const) {
        const res = await app.api.post(path, { ...body, client_id: clientId })
        expect(res.status).toBe(400)
        expect(res.body.error.details[0].field).toBe('/client_id')
      }
    }
    expect((await app.snapshot()).contacts).toEqual([])
    expect((await app.snapshot()).properties).toEqual([])
  })

  test('deleting a client with jobs, contacts or properties is 409 naming them; after they go, it works', async () => {
    const app = await domainHttpApp(host())
    const client = await app.create('/clients', { name: 'Busy' })
    const contact = await app.create('/contacts', { client_id: client.id, name: 'Dana' })
    const property = await app.create('/properties', { client_id: client.id, address: '1 Main' })
    const job = await app.create('/jobs', { title: 'Fix', property_id: property.id })
    const refused = await app.api.del(`/clients/${client.id}`)
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toBe('Client still has 1 job, 1 contact and 1 property; delete or move them first')
    expect((await app.api.del(`/properties/${property.id}`)).status).toBe(409)
    // A deleted job no longer holds its client or property.
    await app.api.del(`/jobs/${job.id}`)
    expect((await app.api.del(`/properties/${property.id}`)).status).toBe(204)
    expect((await app.api.del(`/contacts/${contact.id}`)).status).toBe(204)
    expect((await app.api.del(`/clients/${client.id}`)).status).toBe(204)
  })

  test('contacts and properties filter by client_id; clients search by q', async () => {
    const app = await domainHttpApp(host())
    const a = await app.create('/clients', { name: 'Alpha Dental', email: 'desk@alpha.example' })
    const b = await app.create('/clients', { name: 'Beta Bakery' })
    await app.create('/contacts', { client_id: a.id, name: 'Ann' })
    await app.create('/contacts', { client_id: b.id, name: 'Bob' })
    await app.create('/properties', { client_id: b.id, address: 'Bakery Lane 2', lat: 51.5, lng: -0.12 })
    expect((await app.api.get(`/contacts?client_id=${a.id}`)).body.data.map((c: any) => c.name)).toEqual(['Ann'])
    expect((await app.api.get(`/properties?client_id=${a.id}`)).body.pagination.total).toBe(0)
    expect((await app.api.get('/clients?q=alpha.example')).body.data.map((c: any) => c.name)).toEqual(['Alpha Dental'])
    const half = await app.api.post('/properties', { client_id: a.id, address: 'x', lat: 10 })
    expect([half.status, half.body.error.details[0].field]).toEqual([400, '/lng'])
  })
})

describe('crew members and their ratings', () => {
  test('ratings keep rating_average and rating_count current and record crew.rated', async () => {
    const app = await domainHttpApp(host())
    const sam = await app.create('/contractors', { name: 'Sam' })
    const jobs = []
    for (const title of ['one', 'two', 'three']) jobs.push(await app.create('/jobs', { title, assignments: [{ contractor_id: sam.id }] }))
    const scores = [5, 4, 4]
    for (const [i, score] of scores.entries()) {
      const rating = await app.create(`/contractors/${sam.id}/ratings`, { job_id: jobs[i]!.id, score, comment: i === 0 ? 'Tidy work' : undefined })
      expect(rating).toMatchObject({ contractor_id: sam.id, job_id: jobs[i]!.id, score })
    }
    const crew = (await app.api.get(`/contractors/${sam.id}`)).body.data
    expect(crew).toMatchObject({ rating_average: 4.33, rating_count: 3, version: 4 })
    expect((await app.api.get(`/contractors/${sam.id}/ratings`)).body.data.map((r: any) => r.score)).toEqual([4, 4, 5])
    expect((await app.api.get('/events?type=crew.rated')).body.pagination.total).toBe(3)
  })

  test('a rating is refused for a score out of 1..5, a job the crew member was not on, twice for one job, or a foreign job', async () => {
    const app = await domainHttpApp(host())
    const other = await app.seedOrg('Rival')
    const sam = await app.create('/contractors', { name: 'Sam' })
    const job = await app.create('/jobs', { title: 'on it', assignments: [{ contractor_id: sam.id }] })
    const elsewhere = await app.create('/jobs', { title: 'not on it' })
    const theirJob = (await app.as(other.key).post('/jobs', { title: 'theirs' })).body.data
    const cases: Array<[unknown, number, string?]> = [
      [{ job_id: job.id, score: 0 }, 400, '/score'],
      [{ job_id: job.id, score: 6 }, 400, '/score'],
      [{ job_id: job.id, score: 4.5 }, 400, '/score'],
      [{ job_id: job.id, score: '5' }, 400, '/score'],
      [{ job_id: elsewhere.id, score: 5 }, 400, '/job_id'],
      [{ job_id: theirJob.id, score: 5 }, 400, '/job_id'],
      [{ job_id: job.id, score: 5 }, 201],
      [{ job_id: job.id, score: 1 }, 409],
    ]
    for (const [body, status, field] of cases) {
      const res = await app.api.post(`/contractors/${sam.id}/ratings`, body)
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status])
      if (field) expect(res.body.error.details[0].field).toBe(field)
    }
    expect((await app.api.get(`/contractors/${sam.id}`)).body.data).toMatchObject({ rating_average: 5, rating_count: 1 })
    expect((await app.api.post('/contractors/ctr_01jd3k5q7x0000000000000000/ratings', { job_id: job.id, score: 5 })).status).toBe(404)
  })

  test('a crew member with history cannot be deleted (409), but can be deactivated and filtered', async () => {
    const app = await domainHttpApp(host())
    const sam = await app.create('/contractors', { name: 'Sam', trade: 'plumber' })
    await app.create('/contractors', { name: 'Ivy', trade: 'electrician' })
    await app.create('/jobs', { title: 't', assignments: [{ contractor_id: sam.id }] })
    const refused = await app.api.del(`/contractors/${sam.id}`)
    expect([refused.status, refused.body.error.message]).toEqual([409, 'Contractor still has 1 job assignment; delete or move them first'])
    await app.api.patch(`/contractors/${sam.id}`, { active: false })
    expect((await app.api.get('/contractors?active=false')).body.data.map((c: any) => c.name)).toEqual(['Sam'])
    expect((await app.api.get('/contractors?active=true&trade=electrician')).body.data.map((c: any) => c.name)).toEqual(['Ivy'])
    expect((await app.api.get('/contractors?active=yes')).status).toBe(400)
  })

  test('a crew member links to one user of the org: a foreign or missing user is 400, a user already linked 409', async () => {
    const app = await domainHttpApp(host())
    const other = await app.seedOrg('Rival')
    const first = await app.create('/contractors', { name: 'Owner as crew', user_id: app.user.id })
    expect(first.user_id).toBe(app.user.id)
    const twice = await app.api.post('/contractors', { name: 'again', user_id: app.user.id })
    expect(twice.status).toBe(409)
    const foreign = await app.api.post('/contractors', { name: 'x', user_id: other.user.id })
    expect([foreign.status, foreign.body.error.details[0].field]).toEqual([400, '/user_id'])
  })
})
