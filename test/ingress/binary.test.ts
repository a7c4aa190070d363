import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { hashToken } from '../../src/http/tokens'
import { ensureBinary, type RunningServer, runBinary, startBinary, tempDir } from '../helpers/binary'
import { CURL_EXAMPLE_BODY, curlExampleCommand } from './fixtures'

let server: RunningServer
let dir: string
let key: string
beforeAll(async () => {
  ensureBinary()
  dir = tempDir()
  const dbPath = join(dir, 'crewbase.sqlite')
  const init = runBinary(['init', '--org', 'Acme', '--email', 'owner@example.com', '--password', 'password1', '--json'], { CREWBASE_DB: dbPath })
  key = JSON.parse(init.stdout).api_key.key
  server = await startBinary({ CREWBASE_LOG_LEVEL: 'debug' }, dbPath)
})
afterAll(async () => {
  if (server.proc.exitCode === null) await server.stop()
})

const api = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

/** Runs PRODUCT.md's cURL command as written (only the URL swapped); without curl, sends the same bytes with fetch. */
async function sendCurlExample(url: string): Promise<unknown> {
  if (Bun.which('curl')) {
    const run = Bun.spawnSync(['sh', '-c', curlExampleCommand(url)], { stdout: 'pipe', stderr: 'pipe' })
    expect(run.exitCode).toBe(0)
    return JSON.parse(run.stdout.toString())
  }
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: CURL_EXAMPLE_BODY })
  expect(res.status).toBe(201)
  return res.json()
}

describe('ingress over real HTTP against the built binary', () => {
  test('the cURL example stores an activity; its token is absent from the database file and the log', async () => {
    const created = await api('POST', '/api/v1/ingress-webhooks', { name: 'Phone system' })
    expect(created.status).toBe(201)
    const { data: hook } = (await created.json()) as { data: { id: string; url: string } }
    expect(hook.url).toStartWith(`${server.url}/webhooks/ingress/cb_in_`)
    const token = hook.url.split('/').pop()!

    const first = (await sendCurlExample(hook.url)) as { data: { id: string; title: string; external_id: string } }
    expect(first.data).toMatchObject({ title: 'Customer call logged', external_id: 'call-5521' })

    const replay = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: CURL_EXAMPLE_BODY })
    expect(replay.status).toBe(200)
    expect(((await replay.json()) as { data: { id: string } }).data.id).toBe(first.data.id)

    const huge = await fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x', startTime: '2026-03-02T14:05:00Z', description: 'x'.repeat(1_100_000) }),
    })
    expect(huge.status).toBe(413)

    const listed = await api('GET', `/api/v1/activities?external_id=call-5521`)
    expect(((await listed.json()) as { data: Array<{ id: string }> }).data.map((a) => a.id)).toEqual([first.data.id])

    expect((await api('DELETE', `/api/v1/ingress-webhooks/${hook.id}`)).status).toBe(204)
    expect((await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: CURL_EXAMPLE_BODY })).status).toBe(404)

    expect(await server.stop()).toBe(0)
    // The database file and whatever WAL/SHM files sit beside it: the hash is there, the token nowhere.
    const bytes = Buffer.concat(readdirSync(dir).map((name) => readFileSync(join(dir, name))))
    expect(bytes.includes(Buffer.from(hashToken(token)))).toBe(true)
    expect(bytes.includes(Buffer.from('Customer call logged'))).toBe(true)
    expect(bytes.includes(Buffer.from(token))).toBe(false)
    expect(server.stderr()).toContain('/webhooks/ingress/[redacted]')
    expect(server.stderr()).not.toContain(token)
  })
})
