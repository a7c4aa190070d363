import { Database } from 'bun:sqlite'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { awayFromMinuteBoundary, ensureBinary, runBinary, type RunningServer, startBinary, tempDir } from '../helpers/binary'

beforeAll(() => {
  ensureBinary()
})

describe('the crewbase binary', () => {
  test('--version and --help', () => {
    const version = runBinary(['--version'])
    expect(version.code).toBe(0)
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
    const help = runBinary(['--help'])
    expect(help.stdout).toContain('crewbase init --org NAME')
  })

  test('init --json prints exactly one JSON object and refuses a second run with the same email', () => {
    const dir = tempDir()
    const env = { CREWBASE_DB: join(dir, 'nested', 'db.sqlite') }
    const first = runBinary(['init', '--org', 'Acme', '--email', 'o@example.com', '--password', 'password1', '--json'], env)
    expect(first.code).toBe(0)
    const out = JSON.parse(first.stdout)
    expect(Object.keys(out)).toEqual(['org', 'user', 'api_key'])
    expect(out.org.name).toBe('Acme')
    expect(out.user.email).toBe('o@example.com')
    expect(out.api_key.key).toMatch(/^cb_live_/)
    const again = runBinary(['init', '--org', 'Other', '--email', 'o@example.com', '--password', 'password1', '--json'], env)
    expect(again.code).not.toBe(0)
    expect(again.stderr).toContain('already exists')
    const db = new Database(env.CREWBASE_DB, { readonly: true })
    expect(db.query('select count(*) as n from orgs').get()).toEqual({ n: 1 })
    // The key is only stored hashed.
    db.close()
    expect(readFileSync(env.CREWBASE_DB).includes(Buffer.from(out.api_key.key))).toBe(false)
  })

  const badEnv: Array<[string, string]> = [
    ['PORT', 'eighty'],
    ['CREWBASE_RATE_LIMIT', '-1'],
    ['CREWBASE_DISPATCH_CRON', 'every second'],
    ['CREWBASE_WEBHOOK_RETRY_SCHEDULE', '60,soon'],
    ['CREWBASE_WEBHOOK_ALLOW_INSECURE', 'maybe'],
    ['CREWBASE_LOG_LEVEL', 'loud'],
    ['CREWBASE_PRUNE_CRON', 'hourly'],
    ['CREWBASE_DELIVERY_RETENTION_DAYS', '0'],
    ['CREWBASE_EVENT_RETENTION_DAYS', 'ninety'],
    ['CREWBASE_SECRET_KEY', 'too-short'],
    ['CREWBASE_SECRET_KEY_PREVIOUS', Buffer.alloc(16).toString('base64')],
  ]
  for (const [name, value] of badEnv) {
    test(`${name}=${value} stops start-up with one line naming it`, () => {
      const result = runBinary(['serve'], { [name]: value, CREWBASE_DB: join(tempDir(), 'x.sqlite') })
      expect(result.code).not.toBe(0)
      const lines = result.stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain(name)
    })
  }

  test('an unwritable database folder stops start-up naming CREWBASE_DB', () => {
    const result = runBinary(['serve'], { CREWBASE_DB: '/proc/forbidden/crewbase.sqlite' })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('CREWBASE_DB')
  })

  describe('serving', () => {
    let server: RunningServer
    let key: string
    let dir: string
    beforeAll(async () => {
      dir = tempDir()
      const init = runBinary(['init', '--org', 'Acme', '--email', 'o@example.com', '--password', 'password1', '--json'], {
        CREWBASE_DB: join(dir, 'db.sqlite'),
      })
      key = JSON.parse(init.stdout).api_key.key
      server = await startBinary({ CREWBASE_RATE_LIMIT: '100' }, join(dir, 'db.sqlite'))
    })
    afterAll(async () => {
      await server?.stop()
    })

    test('answers over real HTTP with auth, rate-limit headers and the error envelope', async () => {
      const ok = await fetch(`${server.url}/api/v1/users`, { headers: { authorization: `Bearer ${key}` } })
      expect(ok.status).toBe(200)
      expect(ok.headers.get('x-ratelimit-limit')).toBe('100')
      const bad = await fetch(`${server.url}/api/v1/users`, { headers: { authorization: 'Bearer cb_live_wrong' } })
      expect(bad.status).toBe(401)
      expect((await bad.json()).error.code).toBe('unauthorized')
    })

    test('the 101st request in a minute is 429', async () => {
      const limited = runBinary(['init', '--org', 'B', '--email', 'b@example.com', '--password', 'password1', '--json'], {
        CREWBASE_DB: join(dir, 'db.sqlite'),
      })
      const k = JSON.parse(limited.stdout).api_key.key
      await awayFromMinuteBoundary()
      const statuses = await Promise.all(
        Array.from({ length: 101 }, () => fetch(`${server.url}/api/v1/users`, { headers: { authorization: `Bearer ${k}` } }).then((r) => r.status)),
      )
      expect(statuses.filter((s) => s === 200)).toHaveLength(100)
      expect(statuses.filter((s) => s === 429)).toHaveLength(1)
    })

    test('a body over 1 MiB is 413 in the envelope over the wire', async () => {
      const res = await fetch(`${server.url}/api/v1/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'x'.repeat(1_200_000) }),
      })
      expect(res.status).toBe(413)
      expect((await res.json()).error.code).toBe('payload_too_large')
    })

    test('backup while serving writes a file that passes integrity_check and can be served from', async () => {
      const target = join(dir, 'backup.sqlite')
      const result = runBinary(['backup', target], { CREWBASE_DB: join(dir, 'db.sqlite') })
      expect(result.code).toBe(0)
      expect(existsSync(target)).toBe(true)
      const copy = new Database(target, { readonly: true })
      expect(copy.query('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' })
      copy.close()
      const restored = await startBinary({}, target)
      const res = await fetch(`${restored.url}/api/v1/users`, { headers: { authorization: `Bearer ${key}` } })
      expect(res.status).toBe(200)
      expect(await restored.stop()).toBe(0)
    })

    test('the health command answers for HEALTHCHECK', () => {
      const result = runBinary(['health'], { PORT: String(server.port), HOST: '127.0.0.1' })
      expect(result.code).toBe(0)
    })
  })

  test('SIGTERM stops the server cleanly with exit 0', async () => {
    const server = await startBinary({}, join(tempDir(), 'db.sqlite'))
    expect(await server.stop('SIGTERM')).toBe(0)
    expect(server.stderr()).toContain('stopped')
  })
})
