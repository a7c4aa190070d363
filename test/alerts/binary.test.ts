import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { ensureBinary, type RunningServer, runBinary, startBinary, tempDir } from '../helpers/binary'

// The real binary, with the alert evaluator on a one-second cron: proves the cron is
// wired and evaluates, over real HTTP, with the system clock.
let server: RunningServer
let key: string
beforeAll(async () => {
  ensureBinary()
  const dbPath = join(tempDir(), 'crewbase.sqlite')
  const init = runBinary(['init', '--org', 'Acme', '--email', 'owner@example.com', '--password', 'password1', '--json'], { CREWBASE_DB: dbPath })
  key = JSON.parse(init.stdout).api_key.key
  server = await startBinary({ CREWBASE_ALERTS_CRON: '* * * * * *' }, dbPath)
}, 120_000)
afterAll(async () => {
  if (server.proc.exitCode === null) await server.stop()
})

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: await res.json() }
}

/** Polls `probe` until it returns something truthy, for at most `ms`; returns it and how long it took. */
async function waitFor<T>(probe: () => Promise<T>, ms: number): Promise<{ value: T; after: number }> {
  const started = Date.now()
  for (;;) {
    const value = await probe()
    if (value || Date.now() - started > ms) return { value, after: Date.now() - started }
    await Bun.sleep(100)
  }
}

const eventCount = async (type: string) => (await api('GET', `/events?type=${type}`)).body.pagination.total as number

describe('alerts on the built binary', () => {
  test('the cron fires one alert and one job.delayed for a job scheduled in the past, and resolves it once the job starts', async () => {
    await api('POST', '/alert-rules', { type: 'job_late_start', title: 'Late start', minutes: 5 })
    const scheduled = new Date(Date.now() - 10 * 60_000).toISOString()
    const job = (await api('POST', '/jobs', { title: 'Replace boiler valve', scheduled_start: scheduled })).body.data

    const fired = await waitFor(async () => (await api('GET', `/alerts?job_id=${job.id}`)).body.data[0], 3_000)
    expect(fired.value).toMatchObject({ status: 'open', subject: { type: 'job', id: job.id } })
    expect(fired.after).toBeLessThan(3_000)
    expect((await api('GET', `/jobs/${job.id}`)).body.data.status).toBe('delayed')

    // Several more ticks: still exactly one of each.
    await Bun.sleep(2_500)
    expect(await eventCount('alert.triggered')).toBe(1)
    expect(await eventCount('job.delayed')).toBe(1)

    expect((await api('POST', `/jobs/${job.id}/start`, {})).status).toBe(200)
    const resolved = await waitFor(async () => {
      const alert = (await api('GET', `/alerts/${fired.value.id}`)).body.data
      return alert.status === 'resolved' ? alert : null
    }, 3_000)
    expect(resolved.value).toMatchObject({ resolution: 'auto', active: false })
  }, 20_000)

  test('pings over HTTP walking through a place with edge jitter give one place.checkin and one place.checkout', async () => {
    const place = (await api('POST', '/places', { name: 'Yard', lat: 50.8, lng: -1.09, radius_m: 50 })).body.data
    const crew = (await api('POST', '/contractors', { name: 'Sam Ortega' })).body.data
    const metresNorth = (m: number) => ({ lat: 50.8 + m / 111_195.08, lng: -1.09 })
    const start = Date.now() - 5 * 60_000
    for (const [i, m] of [300, 80, 49, 55, 45, 66, 30, 62, 69, 51, 75, 65, 71, 300].entries()) {
      const res = await api('POST', `/contractors/${crew.id}/locations`, { ...metresNorth(m), accuracy: 6, at: new Date(start + i * 10_000).toISOString() })
      expect(res.status).toBe(200)
    }
    expect(await eventCount('place.checkin')).toBe(1)
    expect(await eventCount('place.checkout')).toBe(1)
    const checks = (await api('GET', `/place-checks?place_id=${place.id}`)).body.data
    expect(checks.map((c: any) => c.type)).toEqual(['out', 'in'])
  }, 20_000)
})
