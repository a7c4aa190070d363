import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Webhook } from 'standardwebhooks'
import { SealedSecretError, SecretBox, isSealed, keyId } from '../../src/secrets/box'
import { createTestApp } from '../helpers/app'
import { ensureBinary, runBinary, startBinary, tempDir } from '../helpers/binary'
import { startReceiver } from '../webhooks/helpers'

const newKey = () => crypto.getRandomValues(new Uint8Array(32))
const b64 = (key: Uint8Array) => Buffer.from(key).toString('base64')

describe('the secret box', () => {
  test('seals with a fresh nonce each time and opens only with the same key and row id', async () => {
    const key = newKey()
    const box = await SecretBox.create(key)
    const a = await box.seal('whsec_abc', 'wh_1')
    const b = await box.seal('whsec_abc', 'wh_1')
    expect(a).not.toBe(b)
    expect(a).toStartWith(`sealed:v1:${keyId(key)}:`)
    expect(a).not.toContain('whsec_abc')
    expect(await box.open(a, 'wh_1')).toBe('whsec_abc')
    // The row id is the associated data: a sealed value moved to another row does not open.
    expect(box.open(a, 'wh_2')).rejects.toThrow(SealedSecretError)
    // Another key (even given as the previous one) is not this key.
    const other = await SecretBox.create(newKey())
    expect(other.canOpen(a)).toBe(false)
    expect(other.open(a, 'wh_1')).rejects.toThrow(/not CREWBASE_SECRET_KEY/)
    // During a rotation both keys open.
    const rotating = await SecretBox.create(newKey(), key)
    expect(await rotating.open(a, 'wh_1')).toBe('whsec_abc')
    // An altered ciphertext is refused, not opened to garbage.
    const altered = a.slice(0, -4) + (a.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    expect((await SecretBox.create(key)).open(altered, 'wh_1')).rejects.toThrow(SealedSecretError)
    // No key: stored as given.
    expect(await SecretBox.plain().seal('whsec_abc', 'wh_1')).toBe('whsec_abc')
    expect(await SecretBox.plain().open('whsec_abc', 'wh_1')).toBe('whsec_abc')
  })

  test('with CREWBASE_SECRET_KEY, the API stores webhook secrets sealed and deliveries still verify with the secret shown', async () => {
    const receiver = startReceiver()
    // The real clock: standardwebhooks refuses a timestamp more than 5 minutes off.
    const ctx = await createTestApp({ env: { CREWBASE_SECRET_KEY: b64(newKey()) }, clock: { now: () => new Date() } })
    try {
      const { key } = await ctx.seedOrg()
      const created = await ctx.call('POST', '/api/v1/webhooks', { token: key, body: { url: receiver.url, events: ['*'] } })
      expect(created.status).toBe(201)
      const first: string = created.body.data.secret
      const rotated = await ctx.call('POST', `/api/v1/webhooks/${created.body.data.id}/rotate-secret`, { token: key })
      const second: string = rotated.body.data.secret
      const row = await ctx.db.selectFrom('webhook_endpoints').select(['secret', 'previous_secret']).executeTakeFirstOrThrow()
      expect(isSealed(row.secret) && isSealed(row.previous_secret!)).toBe(true)
      expect(JSON.stringify(row)).not.toContain(first.slice(6))
      expect(JSON.stringify(row)).not.toContain(second.slice(6))

      const tested = await ctx.call('POST', `/api/v1/webhooks/${created.body.data.id}/test`, { token: key })
      expect(tested.status).toBe(200)
      await receiver.waitFor(1)
      const delivery = receiver.received[0]!
      // Both the new and (during the overlap) the old secret verify.
      for (const secret of [second, first]) expect(() => new Webhook(secret).verify(delivery.body, delivery.headers)).not.toThrow()
    } finally {
      receiver.stop()
      await ctx.close()
    }
  })
})

/** Every byte of the database file, its WAL, a backup and the server's log must be free of these. */
function leaks(files: string[], texts: string[], secrets: string[]) {
  const found: string[] = []
  for (const secret of secrets) {
    // The secret as a whole and its base64 body (what Standard Webhooks keys with).
    const needles = [secret, secret.replace(/^whsec_/, '')]
    for (const file of files) if (existsSync(file) && needles.some((n) => readFileSync(file).includes(Buffer.from(n)))) found.push(`${secret.slice(0, 10)}… in ${file}`)
    for (const [i, text] of texts.entries()) if (needles.some((n) => text.includes(n))) found.push(`${secret.slice(0, 10)}… in log ${i}`)
  }
  return found
}

describe('sealed secrets in the binary', () => {
  beforeAll(() => {
    ensureBinary()
  })
  const dir = tempDir()
  const dbPath = join(dir, 'crewbase.sqlite')
  const backup = join(dir, 'backup.sqlite')
  const keyA = b64(newKey())
  const keyB = b64(newKey())
  const receiver = startReceiver()
  afterAll(() => receiver.stop())
  const insecure = { CREWBASE_WEBHOOK_ALLOW_INSECURE: 'true' }
  const secrets: string[] = []
  /** The first endpoint's secret after its rotations. */
  let current = ''
  const logs: string[] = []
  let apiKey = ''

  test('plain secrets from before the key are sealed at start; no secret is left in the file, the WAL, a backup or the log', async () => {
    const init = runBinary(['init', '--org', 'Acme', '--email', 'o@example.com', '--password', 'password1', '--json'], { CREWBASE_DB: dbPath })
    expect(init.code).toBe(0)
    expect(init.stderr).toContain('CREWBASE_SECRET_KEY')
    apiKey = JSON.parse(init.stdout).api_key.key
    const plain = await startBinary(insecure, dbPath)
    const call = (path: string, body?: unknown, url = plain.url) =>
      fetch(`${url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json() as Promise<any>)
    const created = await call('/api/v1/webhooks', { url: receiver.url, events: ['*'] })
    secrets.push(created.data.secret)
    // Rotations and other endpoints churn the pages, leaving stale plain copies in free space.
    for (let i = 0; i < 4; i++) secrets.push((await call(`/api/v1/webhooks/${created.data.id}/rotate-secret`, {})).data.secret)
    for (let i = 0; i < 3; i++) {
      const other = await call('/api/v1/webhooks', { url: `${receiver.url}/${i}`, events: ['client.created'], description: 'x'.repeat(300) })
      secrets.push(other.data.secret)
      await fetch(`${plain.url}/api/v1/webhooks/${other.data.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${apiKey}` } })
    }
    current = secrets[4]!
    await plain.stop()
    expect(plain.stderr()).toContain('CREWBASE_SECRET_KEY is not set')
    // The test can see a secret when one is there.
    expect(leaks([dbPath, `${dbPath}-wal`], [], secrets).length).toBeGreaterThan(0)

    const sealed = await startBinary({ ...insecure, CREWBASE_SECRET_KEY: keyA }, dbPath)
    expect(sealed.stderr()).toContain('sealed stored secrets')
    const created3 = await fetch(`${sealed.url}/api/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['job.*'] }),
    }).then((r) => r.json() as Promise<any>)
    const third: string = created3.data.secret
    secrets.push(third)
    const session = await fetch(`${sealed.url}/api/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'o@example.com', password: 'password1' }) }).then((r) => r.json() as Promise<any>)
    const before = receiver.received.length
    await call('/api/v1/jobs', { title: 'Boiler' }, sealed.url)
    await receiver.waitFor(before + 2)
    // Deliveries are signed with the secrets as shown, opened from their sealed form.
    const job = receiver.received.slice(before).filter((r) => r.headers['x-crewbase-event'] === 'job.created')
    expect(job).toHaveLength(2)
    const verified = job.map((r) => [current, third].filter((s) => { try { new Webhook(s!).verify(r.body, r.headers); return true } catch { return false } }).length)
    expect(verified).toEqual([1, 1])
    const backedUp = runBinary(['backup', backup], { CREWBASE_DB: dbPath })
    expect(backedUp.code).toBe(0)
    // Files are read while serving (WAL present) and after a clean stop.
    const whileServing = leaks([dbPath, `${dbPath}-wal`, backup], [sealed.stderr(), backedUp.stdout + backedUp.stderr], [...secrets, apiKey, session.data.token])
    await sealed.stop()
    logs.push(sealed.stderr())
    expect(whileServing).toEqual([])
    expect(leaks([dbPath, `${dbPath}-wal`, backup], logs, [...secrets, apiKey, session.data.token])).toEqual([])
  }, 60_000)

  test('a missing or wrong key for sealed secrets stops serve with one line naming the variable', () => {
    for (const env of [{}, { CREWBASE_SECRET_KEY: keyB }] as Array<Record<string, string>>) {
      const result = runBinary(['serve'], { ...insecure, ...env, CREWBASE_DB: dbPath, PORT: '0' })
      expect(result.code).toBe(1)
      const lines = result.stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toStartWith('crewbase: CREWBASE_SECRET_KEY: ')
    }
  })

  test('rotate-secret-key re-seals everything under the new key; serve then needs only the new one', async () => {
    const without = runBinary(['rotate-secret-key'], { CREWBASE_DB: dbPath, CREWBASE_SECRET_KEY: keyB })
    expect(without.code).toBe(1)
    expect(without.stderr).toContain('CREWBASE_SECRET_KEY_PREVIOUS')
    const rotated = runBinary(['rotate-secret-key'], { CREWBASE_DB: dbPath, CREWBASE_SECRET_KEY: keyB, CREWBASE_SECRET_KEY_PREVIOUS: keyA })
    expect(rotated.code).toBe(0)
    expect(rotated.stdout).toContain(`3 of 3 stored secret(s) re-sealed under key ${keyId(Buffer.from(keyB, 'base64'))}`)
    expect(runBinary(['serve'], { CREWBASE_DB: dbPath, CREWBASE_SECRET_KEY: keyA, PORT: '0' }).code).toBe(1)
    const server = await startBinary({ ...insecure, CREWBASE_SECRET_KEY: keyB }, dbPath)
    try {
      const list = await fetch(`${server.url}/api/v1/webhooks`, { headers: { authorization: `Bearer ${apiKey}` } }).then((r) => r.json() as Promise<any>)
      const first = list.data.find((w: any) => w.events.includes('*'))
      const before = receiver.received.length
      const tested = await fetch(`${server.url}/api/v1/webhooks/${first.id}/test`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` } })
      expect(tested.status).toBe(200)
      await receiver.waitFor(before + 1)
      expect(() => new Webhook(current).verify(receiver.received[before]!.body, receiver.received[before]!.headers)).not.toThrow()
    } finally {
      await server.stop()
    }
    expect(leaks([dbPath, `${dbPath}-wal`], [server.stderr(), rotated.stdout + rotated.stderr], secrets)).toEqual([])
  }, 60_000)
})
