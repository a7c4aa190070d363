import { describe, expect, test } from 'bun:test'
import { domainApp, domainHttpApp } from '../helpers/domain'
import { useHttpApp } from '../helpers/http'

// HTTP suites: in-process and against the binary (npm run test:binary), one app per file.
const host = useHttpApp({ env: { CREWBASE_RATE_LIMIT: '100000' } })

describe('phases: the ordered steps of a job', () => {
  test('insert, move and remove keep positions 1..n; each change grows the job version with job.updated', async () => {
    const app = await domainHttpApp(host())
    const job = await app.create('/jobs', { title: 't', phases: [{ title: 'A' }, { title: 'B' }, { title: 'C' }] })
    const order = async () => (await app.api.get(`/jobs/${job.id}/phases`)).body.data.map((p: any) => `${p.position}${p.title}`)

    const inserted = await app.create(`/jobs/${job.id}/phases`, { title: 'X', position: 2 })
    expect(inserted.position).toBe(2)
    expect(await order()).toEqual(['1A', '2X', '3B', '4C'])

    const [, , b] = (await app.api.get(`/jobs/${job.id}`)).body.data.phases
    const moved = await app.api.patch(`/jobs/${job.id}/phases/${b.id}`, { position: 1, status: 'completed' })
    expect(moved.status).toBe(200)
    expect(moved.body.data).toMatchObject({ position: 1, status: 'completed', version: b.version + 1 })
    expect(await order()).toEqual(['1B', '2A', '3X', '4C'])

    const far = await app.create(`/jobs/${job.id}/phases`, { title: 'Z', position: 99 })
    expect(far.position).toBe(5)

    expect((await app.api.del(`/jobs/${job.id}/phases/${inserted.id}`)).status).toBe(204)
    expect(await order()).toEqual(['1B', '2A', '3C', '4Z'])

    const fresh = (await app.api.get(`/jobs/${job.id}`)).body.data
    expect(fresh.version).toBe(5)
    expect(fresh.phases.map((p: any) => p.title)).toEqual(['B', 'A', 'C', 'Z'])
    expect(await app.eventTypes()).toEqual(['job.created', 'job.updated', 'job.updated', 'job.updated', 'job.updated'])
    const last = (await app.api.get('/events?per_page=1')).body.data[0]
    expect(last.data.previous.phases.map((p: any) => p.title)).toEqual(['B', 'A', 'X', 'C', 'Z'])
    expect(last.data.object).toEqual(fresh)
  })

  test('phases page by position, and honour If-Match', async () => {
    const app = await domainHttpApp(host())
    const job = await app.create('/jobs', { title: 't', phases: [{ title: '1' }, { title: '2' }, { title: '3' }] })
    const page2 = await app.api.get(`/jobs/${job.id}/phases?per_page=2&page=2`)
    expect(page2.body.data.map((p: any) => p.title)).toEqual(['3'])
    expect(page2.body.pagination.total).toBe(3)
    const phase = job.phases[0]
    expect((await app.api.patch(`/jobs/${job.id}/phases/${phase.id}`, { title: 'x' }, { 'if-match': '"v9"' })).status).toBe(412)
    const ok = await app.api.patch(`/jobs/${job.id}/phases/${phase.id}`, { title: 'x' }, { 'if-match': `"v${phase.version}"` })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('etag')).toBe(`"v${phase.version + 1}"`)
  })

  test('a phase of another job is 404 under this job; a bad status is 400', async () => {
    const app = await domainHttpApp(host())
    const one = await app.create('/jobs', { title: 'one', phases: [{ title: 'p' }] })
    const two = await app.create('/jobs', { title: 'two' })
    expect((await app.api.patch(`/jobs/${two.id}/phases/${one.phases[0].id}`, { title: 'x' })).status).toBe(404)
    expect((await app.api.del(`/jobs/${two.id}/phases/${one.phases[0].id}`)).status).toBe(404)
    const bad = await app.api.patch(`/jobs/${one.id}/phases/${one.phases[0].id}`, { status: 'finished' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.details[0].field).toBe('/status')
  })
})

describe('assignments: crew on a job or a phase', () => {
  test('assign to the job and to a phase, refuse duplicates, inactive crew and foreign phases; removing a phase removes its crew', async () => {
    const app = await domainHttpApp(host())
    const sam = await app.create('/contractors', { name: 'Sam' })
    const idle = await app.create('/contractors', { name: 'Idle', active: false })
    const job = await app.create('/jobs', { title: 't', phases: [{ title: 'p' }] })
    const other = await app.create('/jobs', { title: 'other', phases: [{ title: 'q' }] })
    const phaseId = job.phases[0].id

    const whole = await app.create(`/jobs/${job.id}/assignments`, { contractor_id: sam.id, role: 'lead' })
    const onPhase = await app.create(`/jobs/${job.id}/assignments`, { contractor_id: sam.id, phase_id: phaseId })
    expect(onPhase.phase_id).toBe(phaseId)
    expect((await app.api.post(`/jobs/${job.id}/assignments`, { contractor_id: sam.id })).status).toBe(409)
    const inactive = await app.api.post(`/jobs/${job.id}/assignments`, { contractor_id: idle.id })
    expect([inactive.status, inactive.body.error.details[0].field]).toEqual([400, '/contractor_id'])
    const foreignPhase = await app.api.post(`/jobs/${job.id}/assignments`, { contractor_id: sam.id, phase_id: other.phases[0].id })
    expect([foreignPhase.status, foreignPhase.body.error.details[0].field]).toEqual([400, '/phase_id'])

    const listed = await app.api.get(`/jobs/${job.id}/assignments`)
    expect(listed.body.data.map((a: any) => a.id)).toEqual([onPhase.id, whole.id])
    expect((await app.api.get(`/jobs/${job.id}`)).body.data.assignments).toHaveLength(2)

    await app.api.del(`/jobs/${job.id}/phases/${phaseId}`)
    expect((await app.api.get(`/jobs/${job.id}`)).body.data.assignments.map((a: any) => a.id)).toEqual([whole.id])
    expect((await app.api.del(`/jobs/${job.id}/assignments/${whole.id}`)).status).toBe(204)
    expect((await app.api.del(`/jobs/${job.id}/assignments/${whole.id}`)).status).toBe(404)
    const final = (await app.api.get(`/jobs/${job.id}`)).body.data
    expect([final.assignments, final.version]).toEqual([[], 5])
  })

  test('a job can be filtered by the crew assigned to one of its phases', async () => {
    const app = await domainHttpApp(host())
    const sam = await app.create('/contractors', { name: 'Sam' })
    const job = await app.create('/jobs', { title: 'phased', phases: [{ title: 'p' }] })
    await app.create('/jobs', { title: 'unstaffed' })
    await app.create(`/jobs/${job.id}/assignments`, { contractor_id: sam.id, phase_id: job.phases[0].id })
    const res = await app.api.get(`/jobs?contractor_id=${sam.id}`)
    expect(res.body.data.map((j: any) => j.title)).toEqual(['phased'])
  })
})

describe('check-ins and messages', () => {
  test('check-in and check-out record job.checkin and job.checkout with the check-in as object', async () => {
    const app = await domainHttpApp(host())
    const sam = await app.create('/contractors', { name: 'Sam' })
    const job = await app.create('/jobs', { title: 't' })
    const checkin = await app.create(`/jobs/${job.id}/checkins`, {
      contractor_id: sam.id,
      type: 'in',
      at: '2026-12-01T08:02:00+01:00',
      lat: 50.8,
      lng: -1.09,
    })
    expect(checkin).toMatchObject({ job_id: job.id, contractor_id: sam.id, type: 'in', at: '2026-12-01T07:02:00.000Z', lat: 50.8, lng: -1.09 })
    const sent = Date.now()
    const checkout = await app.create(`/jobs/${job.id}/checkins`, { contractor_id: sam.id, type: 'out' })
    // Without `at`, the server's now.
    expect(Date.parse(checkout.at)).toBeGreaterThanOrEqual(sent)
    expect(Date.parse(checkout.at)).toBeLessThanOrEqual(Date.now())
    expect((await app.api.get(`/jobs/${job.id}/checkins`)).body.data.map((c: any) => c.type)).toEqual(['out', 'in'])
    const events = (await app.api.get('/events?per_page=2')).body.data
    expect(events.map((e: any) => [e.type, e.data.object.id])).toEqual([
      ['job.checkout', checkout.id],
      ['job.checkin', checkin.id],
    ])
  })

  const badCheckins: Array<[string, Record<string, unknown>, string]> = [
    ['a type other than in/out', { type: 'maybe' }, '/type'],
    ['a latitude over 90', { type: 'in', lat: 91, lng: 0 }, '/lat'],
    ['a latitude without longitude', { type: 'in', lat: 10 }, '/lng'],
    ['a huge number', { type: 'in', lat: 1e308, lng: 0 }, '/lat'],
    ['a time without zone', { type: 'in', at: '2026-12-01 08:00' }, '/at'],
  ]
  for (const [name, body, field] of badCheckins) {
    test(`a check-in with ${name} is 400 naming ${field}`, async () => {
      const app = await domainHttpApp(host())
      const sam = await app.create('/contractors', { name: 'Sam' })
      const job = await app.create('/jobs', { title: 't' })
      const res = await app.api.post(`/jobs/${job.id}/checkins`, { contractor_id: sam.id, ...body })
      expect(res.status).toBe(400)
      expect(res.body.error.details.map((d: any) => d.field)).toContain(field)
      expect(await app.eventTypes()).toEqual(['job.created'])
    })
  }

  test('a message records message.sent with its author; an empty one is 400', async () => {
    const app = await domainHttpApp(host())
    const job = await app.create('/jobs', { title: 't' })
    const message = await app.create(`/jobs/${job.id}/messages`, { body: 'On my way' })
    expect(message).toMatchObject({ job_id: job.id, body: 'On my way', user_id: app.user.id, contractor_id: null })
    expect((await app.api.post(`/jobs/${job.id}/messages`, { body: '' })).status).toBe(400)
    expect((await app.api.get(`/jobs/${job.id}/messages`)).body.data).toEqual([message])
    const sent = (await app.api.get('/events?type=message.sent')).body.data
    expect(sent.map((e: any) => e.data.object)).toEqual([message])
  })
})
