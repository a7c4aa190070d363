import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { ensureBinary, type RunningServer, runBinary, startBinary, tempDir } from '../helpers/binary'

describe('the field-service API over real HTTP against the built binary', () => {
  let server: RunningServer
  let key: string
  beforeAll(async () => {
    ensureBinary()
    const dir = tempDir()
    const env = { CREWBASE_DB: join(dir, 'db.sqlite') }
    const init = runBinary(['init', '--org', 'Acme', '--email', 'o@example.com', '--password', 'password1', '--json'], env)
    key = JSON.parse(init.stdout).api_key.key
    server = await startBinary({ CREWBASE_RATE_LIMIT: '1000' }, env.CREWBASE_DB)
  }, 120_000)
  afterAll(async () => {
    await server?.stop()
  })

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    return { status: res.status, headers: res.headers, body: res.status === 204 ? null : await res.json() }
  }

  test('creates a client, crew and jobs, then lists, filters and gets them as the seed docs do', async () => {
    const client = (await call('POST', '/clients', { name: 'Harbor View' })).body.data
    const crew = (await call('POST', '/contractors', { name: 'Sam', trade: 'plumber' })).body.data
    const created = await call('POST', '/jobs', {
      title: 'Replace valve',
      priority: 'high',
      client_id: client.id,
      phases: [{ title: 'Inspect' }, { title: 'Replace' }],
      assignments: [{ contractor_id: crew.id }],
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('etag')).toBe('"v1"')
    const job = created.body.data
    expect(job.number).toBe('JOB-1001')
    await call('POST', '/jobs', { title: 'Other', priority: 'low' })
    expect((await call('POST', `/jobs/${job.id}/start`)).body.data.status).toBe('in_progress')
    expect((await call('POST', `/jobs/${job.id}/complete`, { outcome: 'success', note: 'done' })).body.data.status).toBe('completed')
    expect((await call('POST', `/jobs/${job.id}/start`)).status).toBe(409)

    const list = await call('GET', '/jobs?status=completed&priority=high&page=1&per_page=50')
    expect(list.status).toBe(200)
    expect(list.body.data.map((j: any) => j.id)).toEqual([job.id])
    expect(list.body.pagination).toMatchObject({ page: 1, per_page: 50, total: 1 })
    expect((await call('GET', '/jobs')).body.pagination.total).toBe(2)

    const got = (await call('GET', `/jobs/${job.id}`)).body.data
    expect(got.phases.map((p: any) => p.title)).toEqual(['Inspect', 'Replace'])
    expect(got.assignments.map((a: any) => a.contractor_id)).toEqual([crew.id])
    expect((await call('GET', `/contractors/${crew.id}`)).body.data.name).toBe('Sam')
    expect((await call('GET', '/clients')).body.data.map((c: any) => c.id)).toEqual([client.id])
    const events = (await call('GET', '/events')).body.data.map((e: any) => e.type).reverse()
    expect(events).toEqual(['client.created', 'job.created', 'job.created', 'job.started', 'job.completed'])
  })
})
