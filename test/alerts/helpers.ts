import { evaluateAlerts } from '../../src/modules/alerts/evaluate'
import { TestClock } from '../helpers/app'
import { domainApp } from '../helpers/domain'

export const MINUTE = 60_000

/** A domain app on a TestClock, with short verbs for alerts: run the evaluator, count events, sign in as crew. */
export async function alertsApp() {
  const clock = new TestClock()
  const app = await domainApp({ clock })

  /** One evaluator pass at the clock's current time, exactly as the cron runs it. */
  const evaluate = () => evaluateAlerts(app.deps)

  /** Minutes from now as an ISO string (negative: in the past). */
  const inMinutes = (minutes: number) => new Date(clock.now().getTime() + minutes * MINUTE).toISOString()

  /** The org's events of one type, oldest first, with their objects. */
  async function events(type: string, orgId = app.org.id) {
    const rows = await app.db.selectFrom('events').select('data').where('org_id', '=', orgId).where('type', '=', type).orderBy('id').execute()
    return rows.map((row) => JSON.parse(row.data).object)
  }

  async function alerts(query = '') {
    const res = await app.api.get(`/alerts${query}`)
    if (res.status !== 200) throw new Error(`GET /alerts${query} → ${res.status} ${JSON.stringify(res.body)}`)
    return res.body.data as any[]
  }

  /** A session token of a new user with `role`. */
  async function signIn(role: 'admin' | 'dispatcher' | 'crew') {
    const email = `${role}-${crypto.randomUUID()}@example.com`
    await app.create('/users', { email, password: 'password123', role })
    const res = await app.call('POST', '/api/auth', { body: { email, password: 'password123' } })
    return res.body.data.token as string
  }

  return { ...app, clock, evaluate, inMinutes, events, alerts, signIn }
}

export type AlertsApp = Awaited<ReturnType<typeof alertsApp>>
