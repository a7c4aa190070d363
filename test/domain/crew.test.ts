import { beforeAll, describe, expect, test } from 'bun:test'
import { type DomainHttpApp, domainApp, domainHttpApp } from '../helpers/domain'
import { useHttpApp } from '../helpers/http'

// HTTP suites: in-process and against the binary (npm run test:binary), one app per file.
const host = useHttpApp({ env: { CREWBASE_RATE_LIMIT: '100000' } })

/** Signs a new user of `role` in and returns their session token. */
async function signIn(app: DomainHttpApp, role: string) {
  const email = `${role}-${crypto.randomUUID()}@example.com`
  const user = await app.create('/users', { email, password: 'crew password 1', role })
  const session = await app.call('POST', '/api/auth', { body: { email, password: 'crew password 1' } })
  if (session.status !== 201) throw new Error(JSON.stringify(session.body))
  return { user, token: session.body.data.token as string }
}

describe('a crew member signed in', () => {
  let app: DomainHttpApp
  let crew: ReturnType<DomainHttpApp['as']>
  let sam: any
  let ivy: any
  let mine: any
  let theirs: any
  beforeAll(async () => {
    app = await domainHttpApp(host())
    const session = await signIn(app, 'crew')
    crew = app.as(session.token)
    sam = await app.create('/contractors', { name: 'Sam', user_id: session.user.id })
    ivy = await app.create('/contractors', { name: 'Ivy' })
    mine = await app.create('/jobs', { title: 'mine', phases: [{ title: 'p' }] })
    await app.create(`/jobs/${mine.id}/assignments`, { contractor_id: sam.id, phase_id: mine.phases[0].id })
    theirs = await app.create('/jobs', { title: 'theirs', assignments: [{ contractor_id: ivy.id }] })
  })

  test('lists and gets only the jobs they are assigned to; the others are 404', async () => {
    const list = await crew.get('/jobs')
    expect(list.body.data.map((j: any) => j.title)).toEqual(['mine'])
    expect(list.body.pagination.total).toBe(1)
    expect((await crew.get(`/jobs?contractor_id=${ivy.id}`)).body.data).toEqual([])
    expect((await crew.get(`/jobs/${mine.id}`)).status).toBe(200)
    for (const path of [`/jobs/${theirs.id}`, `/jobs/${theirs.id}/phases`, `/jobs/${theirs.id}/messages`, `/jobs/${theirs.id}/checkins`]) {
      expect([path, (await crew.get(path)).status]).toEqual([path, 404])
    }
    expect((await crew.post(`/jobs/${theirs.id}/start`)).status).toBe(404)
  })

  test('works their job: start, check in as themselves, message, update a phase, complete', async () => {
    expect((await crew.post(`/jobs/${mine.id}/start`)).status).toBe(200)
    const checkin = await crew.post(`/jobs/${mine.id}/checkins`, { contractor_id: sam.id, type: 'in' })
    expect(checkin.status).toBe(201)
    const asIvy = await crew.post(`/jobs/${mine.id}/checkins`, { contractor_id: ivy.id, type: 'in' })
    expect(asIvy.status).toBe(403)
    const message = await crew.post(`/jobs/${mine.id}/messages`, { body: 'Valve replaced' })
    expect(message.body.data.contractor_id).toBe(sam.id)
    expect((await crew.patch(`/jobs/${mine.id}/phases/${mine.phases[0].id}`, { status: 'completed' })).status).toBe(200)
    expect((await crew.post(`/jobs/${mine.id}/complete`, { outcome: 'success' })).body.data.status).toBe('completed')
  })

  test('cannot plan work: create, edit, delete, archive, staff jobs or add phases (403)', async () => {
    const before = await app.snapshot()
    const attempts = [
      await crew.post('/jobs', { title: 'self-assigned' }),
      await crew.patch(`/jobs/${mine.id}`, { title: 'renamed' }),
      await crew.del(`/jobs/${mine.id}`),
      await crew.post(`/jobs/${mine.id}/archive`),
      await crew.post(`/jobs/${mine.id}/assignments`, { contractor_id: sam.id }),
      await crew.post(`/jobs/${mine.id}/phases`, { title: 'extra' }),
      await crew.post('/clients', { name: 'x' }),
      await crew.post(`/contractors/${sam.id}/ratings`, { job_id: mine.id, score: 5 }),
      await crew.get('/events'),
    ]
    expect(attempts.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403, 403])
    expect(await app.snapshot()).toEqual(before)
  })

  test('may read clients and crew; a crew user with no linked contractor sees no jobs', async () => {
    expect((await crew.get('/clients')).status).toBe(200)
    expect((await crew.get('/contractors')).body.pagination.total).toBe(2)
    const unlinked = app.as((await signIn(app, 'crew')).token)
    expect((await unlinked.get('/jobs')).body).toMatchObject({ data: [], pagination: { total: 0 } })
    expect((await unlinked.get(`/jobs/${mine.id}`)).status).toBe(404)
  })

  test('a dispatcher sees every job', async () => {
    const dispatcher = app.as((await signIn(app, 'dispatcher')).token)
    expect((await dispatcher.get('/jobs')).body.pagination.total).toBe(2)
  })
})

describe('API key permissions per resource', () => {
  test('read lets a key list, write lets it change; none is 403 for both', async () => {
    const app = await domainHttpApp(host())
    const job = await app.create('/jobs', { title: 't' })
    const makeKey = async (permissions: Record<string, string>) =>
      app.as((await app.api.post('/api-keys', { label: JSON.stringify(permissions), permissions })).body.data.key)
    const reader = await makeKey({ jobs: 'read', clients: 'write' })
    expect((await reader.get('/jobs')).status).toBe(200)
    expect((await reader.post(`/jobs/${job.id}/start`)).status).toBe(403)
    expect((await reader.post('/jobs', { title: 'x' })).status).toBe(403)
    expect((await reader.post('/clients', { name: 'ok' })).status).toBe(201)
    for (const path of ['/contractors', '/contacts', '/properties', '/requests', '/events']) {
      expect([path, (await reader.get(path)).status]).toEqual([path, 403])
    }
  })
})
