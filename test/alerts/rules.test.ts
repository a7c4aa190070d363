import { beforeAll, describe, expect, test } from 'bun:test'
import { type AlertsApp, alertsApp } from './helpers'

let app: AlertsApp
let place: { id: string }
let client: { id: string }
let crew: { id: string }
beforeAll(async () => {
  app = await alertsApp()
  place = await app.create('/places', { name: 'Yard', lat: 50, lng: -1 })
  client = await app.create('/clients', { name: 'Harbor View' })
  crew = await app.create('/contractors', { name: 'Sam Ortega' })
})

describe('alert rules CRUD', () => {
  test('a rule is created with defaults, read back with an ETag, listed and filtered', async () => {
    const res = await app.api.post('/alert-rules', {
      type: 'no_check_in',
      title: 'Crew late on site',
      description: 'Call the crew lead',
      minutes: 15,
      priority: 'urgent',
      client_id: client.id,
      contractor_id: crew.id,
    })
    expect(res.status).toBe(201)
    expect(res.body.data).toMatchObject({
      type: 'no_check_in',
      title: 'Crew late on site',
      minutes: 15,
      priority: 'urgent',
      client_id: client.id,
      contractor_id: crew.id,
      place_id: null,
      enabled: true,
      version: 1,
    })
    const got = await app.api.get(`/alert-rules/${res.body.data.id}`)
    expect(got.body.data).toEqual(res.body.data)
    expect(got.headers.get('etag')).toBe('"v1"')
    const placeRule = await app.create('/alert-rules', { type: 'place_enter', title: 'At the yard', place_id: place.id })
    expect(placeRule.minutes).toBeNull()
    const listed = await app.api.get('/alert-rules?type=place_enter&enabled=true')
    expect(listed.body.data.map((r: any) => r.id)).toEqual([placeRule.id])
  })

  test('PATCH changes fields, honours If-Match and clears a filter with null', async () => {
    const rule = await app.create('/alert-rules', { type: 'job_overrun', title: 'Overrun', minutes: 30, priority: 'high' })
    const stale = await app.api.patch(`/alert-rules/${rule.id}`, { minutes: 45 }, { 'if-match': '"v9"' })
    expect(stale.status).toBe(412)
    const res = await app.api.patch(`/alert-rules/${rule.id}`, { minutes: 45, priority: null }, { 'if-match': '"v1"' })
    expect(res.status).toBe(200)
    expect(res.body.data).toMatchObject({ minutes: 45, priority: null, version: 2 })
    const same = await app.api.patch(`/alert-rules/${rule.id}`, { minutes: 45 })
    expect(same.body.data.version).toBe(2)
  })

  const bad: Array<[string, () => Record<string, unknown>, string]> = [
    ['an unknown type', () => ({ type: 'job_on_fire', title: 't', minutes: 1 }), '/type'],
    ['no title', () => ({ type: 'job_overrun', minutes: 1 }), '/title'],
    ['a job rule without minutes', () => ({ type: 'job_late_start', title: 't' }), '/minutes'],
    ['negative minutes', () => ({ type: 'job_late_start', title: 't', minutes: -1 }), '/minutes'],
    ['fractional minutes', () => ({ type: 'job_late_start', title: 't', minutes: 1.5 }), '/minutes'],
    ['minutes over a week', () => ({ type: 'job_late_start', title: 't', minutes: 10_081 }), '/minutes'],
    ['minutes on a place rule', () => ({ type: 'place_leave', title: 't', minutes: 5 }), '/minutes'],
    ['a priority filter on a place rule', () => ({ type: 'place_enter', title: 't', priority: 'high' }), '/priority'],
    ['a client filter on a place rule', () => ({ type: 'place_enter', title: 't', client_id: client.id }), '/client_id'],
    ['a place filter on a job rule', () => ({ type: 'job_overrun', title: 't', minutes: 1, place_id: place.id }), '/place_id'],
    ['an unknown priority', () => ({ type: 'job_overrun', title: 't', minutes: 1, priority: 'meh' }), '/priority'],
    ['a client that does not exist', () => ({ type: 'job_overrun', title: 't', minutes: 1, client_id: 'cli_nope' }), '/client_id'],
    ['a contractor that does not exist', () => ({ type: 'job_overrun', title: 't', minutes: 1, contractor_id: 'ctr_nope' }), '/contractor_id'],
    ['a place that does not exist', () => ({ type: 'place_enter', title: 't', place_id: 'plc_nope' }), '/place_id'],
    ['an unknown field', () => ({ type: 'job_overrun', title: 't', minutes: 1, severity: 'high' }), '/severity'],
    ['enabled as a string', () => ({ type: 'job_overrun', title: 't', minutes: 1, enabled: 'yes' }), '/enabled'],
  ]
  for (const [name, body, field] of bad) {
    test(`creating with ${name} is a 400 naming ${field}, and nothing is stored`, async () => {
      const before = await app.db.selectFrom('alert_rules').select('id').execute()
      const res = await app.api.post('/alert-rules', body())
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.details.map((d: any) => d.field)).toContain(field)
      expect(await app.db.selectFrom('alert_rules').select('id').execute()).toEqual(before)
    })
  }

  test('the type cannot be changed, and a PATCH must keep the rule consistent', async () => {
    const rule = await app.create('/alert-rules', { type: 'job_late_start', title: 't', minutes: 5 })
    expect((await app.api.patch(`/alert-rules/${rule.id}`, { type: 'job_overrun' })).status).toBe(400)
    const cleared = await app.api.patch(`/alert-rules/${rule.id}`, { minutes: null })
    expect(cleared.status).toBe(400)
    expect(cleared.body.error.details[0].field).toBe('/minutes')
  })

  test('a client or crew member a rule filters on cannot be deleted from under it (409, nothing changed)', async () => {
    const c = await app.create('/clients', { name: 'Filtered client' })
    const k = await app.create('/contractors', { name: 'Filtered crew' })
    await app.create('/alert-rules', { type: 'job_overrun', title: 'f', minutes: 5, client_id: c.id, contractor_id: k.id })
    expect((await app.api.del(`/clients/${c.id}`)).status).toBe(409)
    expect((await app.api.del(`/contractors/${k.id}`)).status).toBe(409)
    expect((await app.api.get(`/clients/${c.id}`)).status).toBe(200)
    expect((await app.api.get(`/contractors/${k.id}`)).status).toBe(200)
  })

  test('malformed JSON is a 400', async () => {
    const res = await app.call('POST', '/api/v1/alert-rules', { token: app.key, raw: '{"type":', headers: { 'content-type': 'application/json' } })
    expect(res.status).toBe(400)
  })

  test('a place watched by a rule cannot be deleted until the rule is gone', async () => {
    const watched = await app.create('/places', { name: 'Watched', lat: 1, lng: 1 })
    const rule = await app.create('/alert-rules', { type: 'place_leave', title: 't', place_id: watched.id })
    const refused = await app.api.del(`/places/${watched.id}`)
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toContain('1 alert rule')
    await app.api.del(`/alert-rules/${rule.id}`)
    expect((await app.api.del(`/places/${watched.id}`)).status).toBe(204)
  })
})

describe('who may see and manage alerts', () => {
  test('crew sessions are refused on alert rules and alerts; dispatchers are allowed', async () => {
    const crewToken = await app.signIn('crew')
    const dispatcher = await app.signIn('dispatcher')
    for (const [method, path] of [
      ['GET', '/api/v1/alert-rules'],
      ['POST', '/api/v1/alert-rules'],
      ['GET', '/api/v1/alerts'],
    ] as const) {
      const res = await app.call(method, path, { token: crewToken, body: method === 'POST' ? { type: 'job_overrun', title: 't', minutes: 1 } : undefined })
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('forbidden')
    }
    expect((await app.call('GET', '/api/v1/alert-rules', { token: dispatcher })).status).toBe(200)
    expect((await app.call('POST', '/api/v1/alert-rules', { token: dispatcher, body: { type: 'job_overrun', title: 'd', minutes: 1 } })).status).toBe(201)
  })

  test('an API key without jobs permission is refused', async () => {
    const limited = await app.create('/api-keys', { label: 'crm', permissions: { clients: 'write' } })
    expect((await app.call('GET', '/api/v1/alert-rules', { token: limited.key })).status).toBe(403)
    expect((await app.call('GET', '/api/v1/alerts', { token: limited.key })).status).toBe(403)
  })

  test('another organization’s rules and alerts are 404, never 403', async () => {
    const rule = await app.create('/alert-rules', { type: 'job_late_start', title: 'mine', minutes: 0 })
    await app.create('/jobs', { title: 'late', scheduled_start: app.inMinutes(-1) })
    await app.evaluate()
    const [alert] = await app.alerts(`?rule_id=${rule.id}`)
    const other = app.as((await app.seedOrg('Other')).key)
    for (const res of [
      await other.get(`/alert-rules/${rule.id}`),
      await other.patch(`/alert-rules/${rule.id}`, { title: 'theirs' }),
      await other.del(`/alert-rules/${rule.id}`),
      await other.get(`/alerts/${alert.id}`),
      await other.post(`/alerts/${alert.id}/acknowledge`),
      await other.post(`/alerts/${alert.id}/resolve`),
    ]) {
      expect(res.status).toBe(404)
    }
    expect((await other.get('/alerts')).body.data).toEqual([])
    expect((await app.api.get(`/alerts/${alert.id}`)).body.data.status).toBe('open')
  })
})

describe('acknowledging and resolving', () => {
  test('open → acknowledged → resolved; anything else is a 409 that changes nothing', async () => {
    const rule = await app.create('/alert-rules', { type: 'job_late_start', title: 'ack', minutes: 0 })
    await app.create('/jobs', { title: 'late again', scheduled_start: app.inMinutes(-1) })
    await app.evaluate()
    const [alert] = await app.alerts(`?rule_id=${rule.id}&status=open`)
    const acked = await app.api.post(`/alerts/${alert.id}/acknowledge`)
    expect(acked.status).toBe(200)
    expect(acked.body.data).toMatchObject({ status: 'acknowledged', acknowledged_by: app.user.id, version: 2 })
    expect(acked.headers.get('etag')).toBe('"v2"')
    const again = await app.api.post(`/alerts/${alert.id}/acknowledge`)
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('conflict')
    expect((await app.api.post(`/alerts/${alert.id}/resolve`)).body.data).toMatchObject({ status: 'resolved', resolution: 'manual' })
    for (const action of ['acknowledge', 'resolve']) {
      expect((await app.api.post(`/alerts/${alert.id}/${action}`)).status).toBe(409)
    }
    expect((await app.api.get(`/alerts/${alert.id}`)).body.data.version).toBe(3)
    expect((await app.api.post(`/alerts/${alert.id}/resolve`, { note: 'x' })).status).toBe(400)
    expect((await app.api.get('/alerts/alt_missing')).status).toBe(404)
  })

  test('list filters and bad query values', async () => {
    expect((await app.api.get('/alerts?status=closed')).status).toBe(400)
    expect((await app.api.get('/alerts?per_page=0')).status).toBe(400)
    expect((await app.api.get('/alerts?colour=red')).status).toBe(400)
    const resolved = await app.alerts('?status=resolved')
    expect(resolved.length).toBeGreaterThan(0)
    expect(resolved.every((a) => a.status === 'resolved')).toBe(true)
    expect(await app.alerts('?type=place_enter')).toEqual([])
  })
})
