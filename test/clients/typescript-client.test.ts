import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { generateTypes, SCHEMA_FILE } from '../../clients/typescript/generate'
import {
  CrewbaseError,
  type CrewbaseClient,
  createCrewbaseClient,
  type Job,
  type JobSummary,
  paginate,
  unwrap,
  verifyWebhook,
  WebhookVerificationError,
} from '../../clients/typescript/src/index'
import { type RunningServer, runBinary, startBinary, tempDir } from '../helpers/binary'

// clients/typescript against the built binary: its generated types are those of the served
// document, and its hand-written layer (auth, paging by next_cursor, errors, webhook
// signatures) works on real answers and real deliveries.

let server: RunningServer
let client: CrewbaseClient
let served: string
const received: Array<{ headers: Headers; body: string }> = []
let receiver: ReturnType<typeof Bun.serve>

beforeAll(async () => {
  const db = `${tempDir()}/crewbase.sqlite`
  const init = runBinary(['init', '--org', 'Acme', '--email', 'owner@acme.example', '--password', 'correct horse battery', '--json'], { CREWBASE_DB: db })
  expect(init.code).toBe(0)
  server = await startBinary({ CREWBASE_WEBHOOK_ALLOW_INSECURE: 'true' }, db)
  client = createCrewbaseClient({ baseUrl: server.url, token: JSON.parse(init.stdout).api_key.key })
  served = await (await fetch(`${server.url}/openapi.json`)).text()
  receiver = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      received.push({ headers: request.headers, body: await request.text() })
      return new Response('ok')
    },
  })
})
afterAll(async () => {
  receiver?.stop(true)
  await server?.stop()
})

describe('the typed client in clients/typescript', () => {
  test('its generated types are those of the document the binary serves (regenerate: bun clients/typescript/generate.ts)', async () => {
    const fresh = await generateTypes(served)
    expect(fresh === readFileSync(SCHEMA_FILE, 'utf8')).toBe(true)
  }, 60_000)

  test('creates, reads and changes a job with If-Match; errors come back as CrewbaseError', async () => {
    const { data: job }: { data: Job } = await unwrap(
      client.POST('/api/v1/jobs', { body: { title: 'Replace boiler valve', priority: 'high', phases: [{ title: 'Drain' }] } }),
    )
    expect(job.phases.map((p) => p.title)).toEqual(['Drain'])
    expect(job.outcome).toBeNull()
    const { data: read } = await unwrap(client.GET('/api/v1/jobs/{id}', { params: { path: { id: job.id } } }))
    expect(read.version).toBe(job.version)
    const { data: changed } = await unwrap(
      client.PATCH('/api/v1/jobs/{id}', {
        params: { path: { id: job.id }, header: { 'If-Match': `"v${read.version}"` } },
        body: { title: 'Replace boiler valve and seal' },
      }),
    )
    expect(changed.title).toBe('Replace boiler valve and seal')
    const stale = await unwrap(
      client.PATCH('/api/v1/jobs/{id}', { params: { path: { id: job.id }, header: { 'If-Match': `"v${read.version}"` } }, body: { title: 'x' } }),
    ).catch((error: unknown) => error)
    expect(stale).toBeInstanceOf(CrewbaseError)
    expect((stale as CrewbaseError).status).toBe(412)
    expect((stale as CrewbaseError).code).toBe('precondition_failed')
    const invalid = (await unwrap(client.POST('/api/v1/jobs', { body: { title: '' } })).catch((e: unknown) => e)) as CrewbaseError
    expect(invalid.status).toBe(400)
    expect(invalid.details).toEqual([{ field: '/title', message: 'must not be empty' }])
  })

  test('paginate walks every item by next_cursor, newest first, with the filters given', async () => {
    const made: string[] = []
    for (let i = 0; i < 7; i++) {
      const { data } = await unwrap(client.POST('/api/v1/jobs', { body: { title: `Paged ${i}`, tags: ['paged'], priority: 'low' } }))
      made.push(data.id)
    }
    const seen: JobSummary[] = []
    for await (const job of paginate(client, '/api/v1/jobs', { query: { per_page: 3, priority: 'low' } })) seen.push(job)
    expect(seen.map((j) => j.id)).toEqual([...made].reverse())
    // A path with a parameter: the job's phases are not a list, but an endpoint's deliveries are.
    const { data: endpoint } = await unwrap(client.POST('/api/v1/webhooks', { body: { url: `http://127.0.0.1:${receiver.port}/hook`, events: ['job.created'] } }))
    const deliveries = []
    for await (const delivery of paginate(client, '/api/v1/webhooks/{id}/deliveries', { path: { id: endpoint.id }, query: { per_page: 1 } })) deliveries.push(delivery)
    expect(deliveries).toEqual([])
    await unwrap(client.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: endpoint.id } } }))
  })

  test('verifyWebhook accepts a real delivery by either signature scheme and refuses a changed one', async () => {
    received.length = 0
    const { data: endpoint } = await unwrap(
      client.POST('/api/v1/webhooks', { body: { url: `http://127.0.0.1:${receiver.port}/hook`, events: ['job.*'] } }),
    )
    const secret = endpoint.secret!
    const { data: job } = await unwrap(client.POST('/api/v1/jobs', { body: { title: 'Signed' } }))
    for (let i = 0; i < 200 && received.length === 0; i++) await Bun.sleep(25)
    expect(received.length).toBeGreaterThan(0)
    const { headers, body } = received[0]!
    const event = await verifyWebhook(secret, headers, body)
    expect(event.type).toBe('job.created')
    if (event.type === 'job.created') expect(event.data.object.id).toBe(job.id)

    // Standard Webhooks alone (a receiver that only forwards those headers).
    const standard = Object.fromEntries([...headers].filter(([name]) => name.startsWith('webhook-')))
    expect((await verifyWebhook(secret, standard, body)).type).toBe('job.created')

    const refusals = await Promise.all([
      verifyWebhook(secret, headers, body.replace('Signed', 'Forged')).catch((e: unknown) => e),
      verifyWebhook(secret, standard, body.replace('Signed', 'Forged')).catch((e: unknown) => e),
      verifyWebhook('whsec_bm90IHRoZSBzZWNyZXQgb2YgdGhpcyBlbmRwb2ludA==', headers, body).catch((e: unknown) => e),
      verifyWebhook(secret, headers, body, { now: Math.floor(Date.now() / 1000) + 3600 }).catch((e: unknown) => e),
      verifyWebhook(secret, {}, body).catch((e: unknown) => e),
    ])
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(WebhookVerificationError)
    await unwrap(client.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: endpoint.id } } }))
  })
})
