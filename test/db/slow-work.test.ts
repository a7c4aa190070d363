import { expect, test } from 'bun:test'
import { argon2idPasswords } from '../../src/passwords'
import { createTestApp } from '../helpers/app'

test('production hashes passwords with argon2id at full cost', async () => {
  const hash = await argon2idPasswords().hash('a long password')
  expect(hash).toStartWith('$argon2id$v=19$m=65536,t=2,')
  expect(await argon2idPasswords().verify('a long password', hash)).toBe(true)
  expect(await argon2idPasswords().verify('another password', hash)).toBe(false)
})

test('a list answers within milliseconds while six users are created (hashing happens outside the transaction)', async () => {
  // Full-cost argon2id, as production: each hash takes ~100 ms or more of a worker thread.
  const app = await createTestApp({ passwords: argon2idPasswords(), env: { CREWBASE_RATE_LIMIT: '100000' } })
  const { key } = await app.seedOrg()
  await app.call('POST', '/api/v1/clients', { token: key, body: { name: 'Acme' } })
  const hashing = Array.from({ length: 6 }, (_, i) =>
    app.call('POST', '/api/v1/users', { token: key, body: { email: `crew${i}@example.com`, password: 'a long password', role: 'dispatcher' } }),
  )
  let done = false
  const settled = Promise.all(hashing).finally(() => (done = true))
  const latencies: number[] = []
  const started = performance.now()
  while (!done) {
    const t0 = performance.now()
    const res = await app.call('GET', '/api/v1/clients', { token: key })
    latencies.push(performance.now() - t0)
    expect(res.status).toBe(200)
    await Bun.sleep(2)
  }
  const created = await settled
  const hashingMs = performance.now() - started
  expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201])
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!
  console.log(
    `list latency while hashing: ${latencies.length} GETs over ${hashingMs.toFixed(0)} ms, median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${at(1).toFixed(1)} ms`,
  )
  // With the hash inside the transaction, each GET waited for the hashes queued before it on
  // the one connection: 2 GETs in 3.6 s, median 2198 ms. Now they are answered throughout;
  // p90 rather than the maximum, so one CPU-starved moment on a busy machine does not decide.
  expect(latencies.length).toBeGreaterThan(20)
  expect(at(0.9)).toBeLessThan(50)
}, 60_000)
