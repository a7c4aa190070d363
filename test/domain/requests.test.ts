import { describe, expect, test } from 'bun:test'
import { domainApp, domainHttpApp } from '../helpers/domain'
import { useHttpApp } from '../helpers/http'

// HTTP suites: in-process and against the binary (npm run test:binary), one app per file.
const host = useHttpApp({ env: { CREWBASE_RATE_LIMIT: '100000' } })

describe('work requests', () => {
  test('a request comes in (request.created), converts once into a scheduled job (job.created), then is closed', async () => {
    const app = await domainHttpApp(host())
    const client = await app.create('/clients', { name: 'Harbor View' })
    const res = await app.api.post('/requests', {
      description: 'Kitchen sink drains slowly\nSince Monday, worse after dinner.',
      client_id: client.id,
      contact_name: 'Dana',
      contact_email: 'dana@example.com',
      preferred_start: '2026-12-04T09:00:00+01:00',
    })
    expect(res.status).toBe(201)
    const request = res.body.data
    expect(request).toMatchObject({ status: 'new', job_id: null, preferred_start: '2026-12-04T08:00:00.000Z', version: 1 })

    const converted = await app.api.post(`/requests/${request.id}/convert`, { priority: 'high' })
    expect(converted.status).toBe(201)
    const job = converted.body.data
    expect(job).toMatchObject({
      title: 'Kitchen sink drains slowly',
      description: request.description,
      client_id: client.id,
      status: 'scheduled',
      priority: 'high',
      scheduled_start: '2026-12-04T08:00:00.000Z',
      metadata: { request_id: request.id },
      number: 'JOB-1001',
    })
    const after = (await app.api.get(`/requests/${request.id}`)).body.data
    expect(after).toMatchObject({ status: 'converted', job_id: job.id, version: 2 })

    const again = await app.api.post(`/requests/${request.id}/convert`, {})
    expect([again.status, again.body.error.code]).toEqual([409, 'conflict'])
    expect((await app.api.post(`/requests/${request.id}/decline`, {})).status).toBe(409)
    expect((await app.api.patch(`/requests/${request.id}`, { description: 'changed' })).status).toBe(409)
    expect(await app.eventTypes()).toEqual(['client.created', 'request.created', 'job.created'])
  })

  test('a declined request keeps its reason and can no longer be converted', async () => {
    const app = await domainHttpApp(host())
    const request = await app.create('/requests', { description: 'Quote for a new roof?' })
    const declined = await app.api.post(`/requests/${request.id}/decline`, { reason: 'We do not do roofs' })
    expect(declined.status).toBe(200)
    expect(declined.body.data).toMatchObject({ status: 'declined', decline_reason: 'We do not do roofs' })
    const before = await app.snapshot()
    expect((await app.api.post(`/requests/${request.id}/convert`, {})).status).toBe(409)
    expect((await app.api.post(`/requests/${request.id}/decline`, { reason: 'again' })).status).toBe(409)
    expect((await app.api.patch(`/requests/${request.id}`, { description: 'changed' })).status).toBe(409)
    expect(await app.snapshot()).toEqual(before)
  })

  test('a conversion that fails (a bad property) converts nothing and creates no job', async () => {
    const app = await domainHttpApp(host())
    const request = await app.create('/requests', { description: 'Fix fence' })
    const before = await app.snapshot()
    const res = await app.api.post(`/requests/${request.id}/convert`, { property_id: 'prp_01jd3k5q7x0000000000000000' })
    expect([res.status, res.body.error.details[0].field]).toEqual([400, '/property_id'])
    expect(await app.snapshot()).toEqual(before)
  })

  test('converting needs write access to jobs as well as requests', async () => {
    const app = await domainHttpApp(host())
    const request = await app.create('/requests', { description: 'x' })
    const limited = await app.api.post('/api-keys', { label: 'requests only', permissions: { requests: 'write' } })
    const res = await app.as(limited.body.data.key).post(`/requests/${request.id}/convert`, {})
    expect(res.status).toBe(403)
    expect((await app.api.get(`/requests/${request.id}`)).body.data.status).toBe('new')
  })

  test('requests list by status and client, are never deleted, and refuse bad input', async () => {
    const app = await domainHttpApp(host())
    const client = await app.create('/clients', { name: 'C' })
    const a = await app.create('/requests', { description: 'a', client_id: client.id })
    await app.create('/requests', { description: 'b' })
    await app.api.post(`/requests/${a.id}/decline`, {})
    expect((await app.api.get('/requests?status=new')).body.data.map((r: any) => r.description)).toEqual(['b'])
    expect((await app.api.get(`/requests?client_id=${client.id}`)).body.data.map((r: any) => r.description)).toEqual(['a'])
    const removed = await app.api.del(`/requests/${a.id}`)
    expect(removed.status).toBe(405)
    const cases: Array<[unknown, string]> = [
      [{}, '/description'],
      [{ description: '' }, '/description'],
      [{ description: 'x', contact_email: 'not-an-email' }, '/contact_email'],
      [{ description: 'x', preferred_start: '2026-12-04' }, '/preferred_start'],
      [{ description: 'x', client_id: 'cli_01jd3k5q7x0000000000000000' }, '/client_id'],
      [{ description: 'x', status: 'converted' }, '/status'],
    ]
    for (const [body, field] of cases) {
      const res = await app.api.post('/requests', body)
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400])
      expect(res.body.error.details.map((d: any) => d.field)).toContain(field)
    }
  })
})
