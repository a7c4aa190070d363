import { describe, expect, test } from 'bun:test'
import { transaction } from '../../src/db/transaction'
import { createJob } from '../../src/modules/jobs/service'
import { WRITES_PER_TRANSACTION } from '../../src/modules/alerts/evaluate'
import { type AlertsApp, alertsApp, MINUTE } from './helpers'

async function lateStartSetup() {
  const app = await alertsApp()
  const rule = await app.create('/alert-rules', { type: 'job_late_start', title: 'Late start', minutes: 5 })
  const job = await app.create('/jobs', { title: 'Replace boiler valve', scheduled_start: app.inMinutes(-10) })
  return { app, rule, job }
}

describe('job_late_start', () => {
  test('a job scheduled minutes ago and not started fires exactly one alert.triggered and one job.delayed across several runs', async () => {
    const { app, rule, job } = await lateStartSetup()
    for (let run = 0; run < 4; run++) {
      await app.evaluate()
      app.clock.advance(MINUTE)
    }
    const triggered = await app.events('alert.triggered')
    expect(triggered).toHaveLength(1)
    expect(triggered[0]).toMatchObject({
      rule: { id: rule.id, type: 'job_late_start', title: 'Late start', minutes: 5 },
      subject: { type: 'job', id: job.id },
      job_id: job.id,
      status: 'open',
    })
    expect(triggered[0].message).toContain('JOB-1001 "Replace boiler valve" has not started 10 minutes after its scheduled start')
    const delayed = await app.events('job.delayed')
    expect(delayed).toHaveLength(1)
    expect(delayed[0]).toMatchObject({ id: job.id, status: 'delayed' })
    expect(delayed[0].delay_reason).toContain('Late start')
    const listed = await app.alerts()
    expect(listed).toHaveLength(1)
    expect(listed[0]).toEqual(triggered[0])
  })

  test('starting the job resolves the alert by itself, and a later run fires nothing new', async () => {
    const { app, job } = await lateStartSetup()
    await app.evaluate()
    expect((await app.api.post(`/jobs/${job.id}/start`)).status).toBe(200)
    const result = await app.evaluate()
    expect(result).toMatchObject({ fired: 0, resolved: 1 })
    const [alert] = await app.alerts()
    expect(alert).toMatchObject({ status: 'resolved', resolution: 'auto', active: false, resolved_by: null, version: 2 })
    expect(alert.resolved_at).toBe(app.clock.now().toISOString())
    app.clock.advance(10 * MINUTE)
    await app.evaluate()
    expect(await app.events('alert.triggered')).toHaveLength(1)
  })

  test('a job not yet due, without a schedule, or already started fires nothing', async () => {
    const app = await alertsApp()
    await app.create('/alert-rules', { type: 'job_late_start', title: 'Late', minutes: 15 })
    await app.create('/jobs', { title: 'only 10 minutes late', scheduled_start: app.inMinutes(-10) })
    await app.create('/jobs', { title: 'no schedule' })
    const started = await app.create('/jobs', { title: 'started', scheduled_start: app.inMinutes(-60) })
    await app.api.post(`/jobs/${started.id}/start`)
    expect((await app.evaluate()).fired).toBe(0)
    app.clock.advance(5 * MINUTE)
    expect((await app.evaluate()).fired).toBe(1)
    expect((await app.alerts())[0].message).toContain('"only 10 minutes late" has not started 15 minutes after')
  })

  test('moving a delayed job’s start into the future resolves the alert; when that start passes too, a new alert fires without a second delay', async () => {
    const { app, job } = await lateStartSetup()
    await app.evaluate()
    const moved = await app.api.patch(`/jobs/${job.id}`, { scheduled_start: app.inMinutes(30) })
    expect(moved.body.data.status).toBe('delayed')
    expect((await app.evaluate())).toMatchObject({ fired: 0, resolved: 1 })
    app.clock.advance(36 * MINUTE)
    expect((await app.evaluate())).toMatchObject({ fired: 1, resolved: 0 })
    expect(await app.events('alert.triggered')).toHaveLength(2)
    expect(await app.events('job.delayed')).toHaveLength(1)
    expect((await app.alerts()).map((a) => a.status)).toEqual(['open', 'resolved'])
  })

  test('a person resolving the alert while the job still has not started does not make it fire again', async () => {
    const { app, job } = await lateStartSetup()
    await app.evaluate()
    const [alert] = await app.alerts()
    const resolved = await app.api.post(`/alerts/${alert.id}/resolve`)
    expect(resolved.status).toBe(200)
    expect(resolved.body.data).toMatchObject({ status: 'resolved', resolution: 'manual', active: true, resolved_by: app.user.id })
    for (let run = 0; run < 3; run++) {
      app.clock.advance(MINUTE)
      await app.evaluate()
    }
    expect(await app.events('alert.triggered')).toHaveLength(1)
    // Once the condition ends the alert stops being active; a new lateness would be a new alert.
    await app.api.post(`/jobs/${job.id}/start`)
    await app.evaluate()
    expect((await app.api.get(`/alerts/${alert.id}`)).body.data).toMatchObject({ active: false, resolution: 'manual' })
  })

  test('two late-start rules on one job fire one alert each but delay the job once', async () => {
    const { app } = await lateStartSetup()
    await app.create('/alert-rules', { type: 'job_late_start', title: 'Very late', minutes: 0 })
    await app.evaluate()
    expect(await app.events('alert.triggered')).toHaveLength(2)
    expect(await app.events('job.delayed')).toHaveLength(1)
  })
})

describe('a backlog', () => {
  test('more late jobs than one transaction writes are all handled in one pass, each once', async () => {
    const app = await alertsApp()
    const count = WRITES_PER_TRANSACTION + 30
    // Through the service: this many POSTs would hit the rate limit.
    await transaction(app.db, async (trx) => {
      for (let i = 0; i < count; i++) await createJob(trx, app.org.id, { title: `old ${i}`, scheduled_start: app.inMinutes(-60 - i) }, app.clock)
    })
    await app.create('/alert-rules', { type: 'job_late_start', title: 'Late', minutes: 5 })
    expect(await app.evaluate()).toMatchObject({ rules: 1, fired: count, resolved: 0, failed: 0 })
    expect(await app.evaluate()).toMatchObject({ fired: 0, resolved: 0 })
    expect(await app.events('alert.triggered')).toHaveLength(count)
    expect(await app.events('job.delayed')).toHaveLength(count)
  })
})

describe('filters narrow what a rule watches', () => {
  test('priority, client and contractor filters each select only their jobs', async () => {
    const app = await alertsApp()
    const client = await app.create('/clients', { name: 'Harbor View' })
    const crew = await app.create('/contractors', { name: 'Sam Ortega' })
    const past = app.inMinutes(-30)
    const urgent = await app.create('/jobs', { title: 'urgent', priority: 'urgent', scheduled_start: past })
    const ofClient = await app.create('/jobs', { title: 'client', client_id: client.id, scheduled_start: past })
    const ofCrew = await app.create('/jobs', { title: 'crew', scheduled_start: past, assignments: [{ contractor_id: crew.id }] })
    const rules = {
      [urgent.id]: await app.create('/alert-rules', { type: 'job_late_start', title: 'urgent', minutes: 1, priority: 'urgent' }),
      [ofClient.id]: await app.create('/alert-rules', { type: 'job_late_start', title: 'client', minutes: 1, client_id: client.id }),
      [ofCrew.id]: await app.create('/alert-rules', { type: 'job_late_start', title: 'crew', minutes: 1, contractor_id: crew.id }),
    }
    await app.evaluate()
    const fired = await app.alerts()
    expect(fired).toHaveLength(3)
    for (const alert of fired) expect(alert.rule.id).toBe(rules[alert.job_id].id)
  })

  test('a disabled rule fires nothing; disabling a rule resolves its open alerts', async () => {
    const { app, rule } = await lateStartSetup()
    const quiet = await app.create('/alert-rules', { type: 'job_late_start', title: 'Off', minutes: 1, enabled: false })
    await app.evaluate()
    expect((await app.alerts()).map((a) => a.rule.id)).toEqual([rule.id])
    expect(quiet.enabled).toBe(false)
    const off = await app.api.patch(`/alert-rules/${rule.id}`, { enabled: false })
    expect(off.status).toBe(200)
    expect((await app.alerts())[0]).toMatchObject({ status: 'resolved', resolution: 'rule_disabled', active: false })
  })

  test('deleting a rule resolves its alerts and keeps them as history', async () => {
    const { app, rule } = await lateStartSetup()
    await app.evaluate()
    expect((await app.api.del(`/alert-rules/${rule.id}`)).status).toBe(204)
    expect((await app.api.get(`/alert-rules/${rule.id}`)).status).toBe(404)
    const [alert] = await app.alerts()
    expect(alert).toMatchObject({ rule: { id: rule.id, title: 'Late start' }, status: 'resolved', resolution: 'rule_deleted' })
  })

  test('raising minutes on a rule resolves alerts it no longer matches at the next run', async () => {
    const { app, rule } = await lateStartSetup()
    await app.evaluate()
    await app.api.patch(`/alert-rules/${rule.id}`, { minutes: 60 })
    expect((await app.evaluate()).resolved).toBe(1)
  })
})

async function crewJob(app: AlertsApp, schedule: { start: number; end?: number }) {
  const crew = await app.create('/contractors', { name: 'Sam Ortega' })
  const job = await app.create('/jobs', {
    title: 'Fuse box',
    scheduled_start: app.inMinutes(schedule.start),
    ...(schedule.end !== undefined ? { scheduled_end: app.inMinutes(schedule.end) } : {}),
    assignments: [{ contractor_id: crew.id }],
  })
  return { crew, job }
}

describe('no_check_in', () => {
  test('fires for an assigned crew member who has not checked in, once, and resolves when the check-in arrives', async () => {
    const app = await alertsApp()
    const rule = await app.create('/alert-rules', { type: 'no_check_in', title: 'Nobody on site', minutes: 15 })
    const { crew, job } = await crewJob(app, { start: -10 })
    const other = await app.create('/contractors', { name: 'Kim Lee' })
    await app.api.post(`/jobs/${job.id}/assignments`, { contractor_id: other.id })
    await app.api.post(`/jobs/${job.id}/checkins`, { contractor_id: other.id, type: 'in' })
    expect((await app.evaluate()).fired).toBe(0)
    app.clock.advance(5 * MINUTE)
    await app.evaluate()
    app.clock.advance(MINUTE)
    await app.evaluate()
    const triggered = await app.events('alert.triggered')
    expect(triggered).toHaveLength(1)
    expect(triggered[0]).toMatchObject({ rule: { id: rule.id }, subject: { type: 'contractor', id: crew.id }, job_id: job.id, contractor_id: crew.id })
    expect(triggered[0].message).toBe(
      `Sam Ortega has not checked in on JOB-1001 "Fuse box" 15 minutes after its scheduled start (${job.scheduled_start})`,
    )
    expect(await app.events('job.delayed')).toHaveLength(0)
    await app.api.post(`/jobs/${job.id}/checkins`, { contractor_id: crew.id, type: 'in' })
    expect((await app.evaluate()).resolved).toBe(1)
    expect((await app.alerts())[0]).toMatchObject({ status: 'resolved', resolution: 'auto' })
  })
})

describe('no_check_out', () => {
  test('fires when a crew member stays checked in past the limit and resolves on check-out', async () => {
    const app = await alertsApp()
    await app.create('/alert-rules', { type: 'no_check_out', title: 'Forgot to check out', minutes: 120 })
    const { crew, job } = await crewJob(app, { start: 0 })
    await app.api.post(`/jobs/${job.id}/checkins`, { contractor_id: crew.id, type: 'in' })
    app.clock.advance(119 * MINUTE)
    expect((await app.evaluate()).fired).toBe(0)
    app.clock.advance(MINUTE)
    await app.evaluate()
    app.clock.advance(MINUTE)
    await app.evaluate()
    const triggered = await app.events('alert.triggered')
    expect(triggered).toHaveLength(1)
    expect(triggered[0]).toMatchObject({ subject: { type: 'contractor', id: crew.id }, job_id: job.id })
    expect(triggered[0].message).toContain('Sam Ortega has been checked in on JOB-1001 "Fuse box" for 120 minutes')
    await app.api.post(`/jobs/${job.id}/checkins`, { contractor_id: crew.id, type: 'out' })
    expect((await app.evaluate()).resolved).toBe(1)
  })

  test('a check-out sent late with an earlier `at` than the check-in does not count as checking out', async () => {
    const app = await alertsApp()
    await app.create('/alert-rules', { type: 'no_check_out', title: 'Forgot', minutes: 60 })
    const { crew, job } = await crewJob(app, { start: 0 })
    await app.api.post(`/jobs/${job.id}/checkins`, { contractor_id: crew.id, type: 'out', at: app.inMinutes(-30) })
    await app.api.post(`/jobs/${job.id}/checkins`, { contractor_id: crew.id, type: 'in', at: app.inMinutes(-90) })
    await app.api.post(`/jobs/${job.id}/checkins`, { contractor_id: crew.id, type: 'in', at: app.inMinutes(-20) })
    expect((await app.evaluate()).fired).toBe(0)
    app.clock.advance(40 * MINUTE)
    expect((await app.evaluate()).fired).toBe(1)
  })
})

describe('job_overrun', () => {
  test('fires when a job is still in progress past its scheduled end and resolves on completion', async () => {
    const app = await alertsApp()
    await app.create('/alert-rules', { type: 'job_overrun', title: 'Overrun', minutes: 30 })
    const { job } = await crewJob(app, { start: -60, end: -20 })
    expect((await app.evaluate()).fired).toBe(0)
    await app.api.post(`/jobs/${job.id}/start`)
    expect((await app.evaluate()).fired).toBe(0)
    app.clock.advance(10 * MINUTE)
    await app.evaluate()
    await app.evaluate()
    const triggered = await app.events('alert.triggered')
    expect(triggered).toHaveLength(1)
    expect(triggered[0]).toMatchObject({ subject: { type: 'job', id: job.id } })
    expect(triggered[0].message).toContain('is still in progress 30 minutes after its scheduled end')
    await app.api.post(`/jobs/${job.id}/complete`, { outcome: 'success' })
    expect((await app.evaluate()).resolved).toBe(1)
  })
})

describe('evaluation is per organization', () => {
  test('a rule never sees another organization’s jobs', async () => {
    const app = await alertsApp()
    const other = await app.seedOrg('Other Org')
    const otherApi = app.as(other.key)
    await otherApi.post('/jobs', { title: 'theirs', scheduled_start: app.inMinutes(-30) })
    await app.create('/alert-rules', { type: 'job_late_start', title: 'ours', minutes: 1 })
    expect((await app.evaluate()).fired).toBe(0)
    expect(await app.events('job.delayed', other.org.id)).toHaveLength(0)
  })
})
