import { beforeAll, describe, expect, test } from 'bun:test'
import { type AlertsApp, alertsApp } from './helpers'

const CENTRE = { lat: 50.8, lng: -1.09 }
const METRES_PER_DEGREE_LAT = (6_371_008.8 * Math.PI) / 180
/** A fix `metres` due north of the centre. */
const north = (metres: number) => ({ lat: CENTRE.lat + metres / METRES_PER_DEGREE_LAT, lng: CENTRE.lng })

/**
 * Walking up to a 50 m place, loitering across its edge, and walking away: distances in
 * metres, one fix every 10 s. The plain radius is crossed many times; with the 20 m
 * margin (leave beyond 70 m) there is exactly one arrival and one departure.
 */
const WALK = [300, 200, 120, 80, 55, 49, 52, 48, 61, 45, 66, 30, 10, 58, 69, 47, 64, 72, 66, 69, 71, 90, 150, 400]

describe('places', () => {
  let app: AlertsApp
  beforeAll(async () => {
    app = await alertsApp()
  })

  test('a place is created with a default radius and can be changed, listed and deleted', async () => {
    const res = await app.api.post('/places', { name: 'Main warehouse', address: '4 Dock Street', ...CENTRE })
    expect(res.status).toBe(201)
    expect(res.body.data).toMatchObject({ name: 'Main warehouse', address: '4 Dock Street', ...CENTRE, radius_m: 100, version: 1 })
    const id = res.body.data.id
    const patched = await app.api.patch(`/places/${id}`, { radius_m: 80 }, { 'if-match': '"v1"' })
    expect(patched.body.data).toMatchObject({ radius_m: 80, version: 2 })
    expect((await app.api.get('/places?q=warehouse')).body.data.map((p: any) => p.id)).toEqual([id])
    expect((await app.api.del(`/places/${id}`)).status).toBe(204)
    expect((await app.api.get(`/places/${id}`)).status).toBe(404)
  })

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['no name', { lat: 1, lng: 1 }, '/name'],
    ['no latitude', { name: 'p', lng: 1 }, '/lat'],
    ['a latitude beyond the pole', { name: 'p', lat: 90.5, lng: 1 }, '/lat'],
    ['a longitude beyond 180', { name: 'p', lat: 1, lng: -181 }, '/lng'],
    ['a latitude as a string', { name: 'p', lat: '50.8', lng: 1 }, '/lat'],
    ['a radius under 10 m', { name: 'p', lat: 1, lng: 1, radius_m: 5 }, '/radius_m'],
    ['a radius over 50 km', { name: 'p', lat: 1, lng: 1, radius_m: 50_001 }, '/radius_m'],
    ['an unknown field', { name: 'p', lat: 1, lng: 1, polygon: [] }, '/polygon'],
    ['a name of 201 characters', { name: 'x'.repeat(201), lat: 1, lng: 1 }, '/name'],
  ]
  for (const [name, body, field] of bad) {
    test(`a place with ${name} is a 400 naming ${field}`, async () => {
      const res = await app.api.post('/places', body)
      expect(res.status).toBe(400)
      expect(res.body.error.details.map((d: any) => d.field)).toContain(field)
    })
  }
})

describe('location pings', () => {
  let app: AlertsApp
  let place: any
  let crew: any
  let start: number
  const at = (step: number) => new Date(start + step * 10_000).toISOString()

  beforeAll(async () => {
    app = await alertsApp()
    place = await app.create('/places', { name: 'Yard', ...CENTRE, radius_m: 50 })
    crew = await app.create('/contractors', { name: 'Sam Ortega' })
    start = app.clock.now().getTime()
  })

  test('walking into and out of a place with jitter at its edge records exactly one check-in and one check-out', async () => {
    const plainCrossings = WALK.slice(1).filter((d, i) => d <= 50 !== WALK[i]! <= 50).length
    expect(plainCrossings).toBeGreaterThan(8)
    for (const [step, metres] of WALK.entries()) {
      app.clock.current = new Date(start + step * 10_000)
      const res = await app.api.post(`/contractors/${crew.id}/locations`, { ...north(metres), accuracy: 8, at: at(step) })
      expect(res.status).toBe(200)
    }
    const checkins = await app.events('place.checkin')
    const checkouts = await app.events('place.checkout')
    expect(checkins).toHaveLength(1)
    expect(checkouts).toHaveLength(1)
    expect(checkins[0]).toMatchObject({ place_id: place.id, contractor_id: crew.id, type: 'in', at: at(WALK.indexOf(49)), accuracy: 8 })
    expect(checkins[0].distance_m).toBeCloseTo(49, 0)
    expect(checkouts[0]).toMatchObject({ type: 'out', at: at(WALK.indexOf(72)) })
    const listed = await app.api.get(`/place-checks?place_id=${place.id}&contractor_id=${crew.id}`)
    expect(listed.body.data.map((c: any) => c.type)).toEqual(['out', 'in'])
    expect((await app.api.get(`/place-checks/${checkins[0].id}`)).body.data).toEqual(checkins[0])
    expect((await app.api.get('/place-checks?type=in')).body.data.map((c: any) => c.id)).toEqual([checkins[0].id])
  })

  test('a batch in any order is applied in `at` order, and a fix older than the newest known is stale and moves nobody', async () => {
    const sam = await app.create('/contractors', { name: 'Batch Walker' })
    const t0 = app.clock.now().getTime()
    const fixes = WALK.map((metres, step) => ({ ...north(metres), at: new Date(t0 + step * 10_000).toISOString() }))
    const shuffled = [...fixes].reverse()
    const res = await app.api.post(`/contractors/${sam.id}/locations`, { pings: shuffled })
    expect(res.status).toBe(200)
    expect(res.body.data).toMatchObject({ received: WALK.length, applied: WALK.length, stale: 0 })
    expect(res.body.data.checks.map((c: any) => c.type)).toEqual(['in', 'out'])
    expect(res.body.data.position.at).toBe(fixes[fixes.length - 1]!.at)
    // A late upload from while they were in the yard cannot put them back inside.
    const late = await app.api.post(`/contractors/${sam.id}/locations`, { ...north(0), at: fixes[10]!.at })
    expect(late.body.data).toMatchObject({ applied: 0, stale: 1, checks: [] })
    expect(late.body.data.position.at).toBe(fixes[fixes.length - 1]!.at)
  })

  test('an out-of-order fix inside a batch after a newer one is counted stale', async () => {
    const kim = await app.create('/contractors', { name: 'Kim Lee' })
    const now = app.clock.now().getTime()
    const first = await app.api.post(`/contractors/${kim.id}/locations`, { ...north(0), at: new Date(now).toISOString() })
    expect(first.body.data.checks).toHaveLength(1)
    const mixed = await app.api.post(`/contractors/${kim.id}/locations`, {
      pings: [
        { ...north(500), at: new Date(now - 60_000).toISOString() },
        { ...north(10), at: new Date(now + 10_000).toISOString() },
      ],
    })
    expect(mixed.body.data).toMatchObject({ received: 2, applied: 1, stale: 1, checks: [] })
  })

  test('a fix too coarse to tell inside from outside moves nobody; a precise one does', async () => {
    const lee = await app.create('/contractors', { name: 'Lee Coarse' })
    const coarse = await app.api.post(`/contractors/${lee.id}/locations`, { ...north(0), accuracy: 500 })
    expect(coarse.body.data).toMatchObject({ applied: 1, checks: [] })
    app.clock.advance(1000)
    const fine = await app.api.post(`/contractors/${lee.id}/locations`, { ...north(0), accuracy: 5 })
    expect(fine.body.data.checks).toHaveLength(1)
  })

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['no longitude', { lat: 50 }, '/lng'],
    ['no coordinates at all', { accuracy: 5 }, '/lat'],
    ['a latitude as a string', { lat: 'north', lng: 1 }, '/lat'],
    ['negative accuracy', { lat: 1, lng: 1, accuracy: -1 }, '/accuracy'],
    ['a bad timestamp', { lat: 1, lng: 1, at: 'yesterday' }, '/at'],
    ['a timestamp an hour ahead', { lat: 1, lng: 1, at: '2026-11-22T13:00:00Z' }, '/at'],
    ['an unknown field', { lat: 1, lng: 1, speed: 3 }, '/speed'],
    ['both one fix and a batch', { lat: 1, lng: 1, pings: [{ lat: 1, lng: 1 }] }, '/lat'],
    ['an empty batch', { pings: [] }, '/pings'],
    ['a bad fix in a batch', { pings: [{ lat: 1, lng: 1 }, { lat: 1, lng: 200 }] }, '/pings/1/lng'],
    ['a future fix in a batch', { pings: [{ lat: 1, lng: 1, at: '2027-01-01T00:00:00Z' }] }, '/pings/0/at'],
    ['an unknown field in a batch', { pings: [{ lat: 1, lng: 1, heading: 90 }] }, '/pings/0/heading'],
    ['501 fixes', { pings: Array.from({ length: 501 }, () => ({ lat: 1, lng: 1 })) }, '/pings'],
  ]
  for (const [name, body, field] of bad) {
    test(`a ping with ${name} is a 400 naming ${field}, and nothing is recorded`, async () => {
      app.clock.current = new Date('2026-11-22T12:00:00Z')
      const before = await app.db.selectFrom('contractor_positions').selectAll().execute()
      const res = await app.api.post(`/contractors/${crew.id}/locations`, body)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.details.map((d: any) => d.field)).toContain(field)
      expect(await app.db.selectFrom('contractor_positions').selectAll().execute()).toEqual(before)
    })
  }

  test('pings for an unknown crew member or another organization’s are 404; their places and checks too', async () => {
    expect((await app.api.post('/contractors/ctr_nope/locations', north(0))).status).toBe(404)
    const other = app.as((await app.seedOrg('Other Org')).key)
    const [check] = (await app.api.get('/place-checks')).body.data
    for (const res of [
      await other.post(`/contractors/${crew.id}/locations`, north(0)),
      await other.get(`/places/${place.id}`),
      await other.patch(`/places/${place.id}`, { name: 'mine now' }),
      await other.del(`/places/${place.id}`),
      await other.get(`/place-checks/${check.id}`),
    ]) {
      expect(res.status).toBe(404)
    }
    expect((await other.get('/place-checks')).body.data).toEqual([])
    // Their own crew walking through the same coordinates never checks into our place.
    const theirs = (await other.post('/contractors', { name: 'Theirs' })).body.data
    const res = await other.post(`/contractors/${theirs.id}/locations`, north(0))
    expect(res.body.data.checks).toEqual([])
  })

  test('crew sessions cannot report locations (it needs contractors write) but may read places', async () => {
    const token = await app.signIn('crew')
    expect((await app.call('POST', `/api/v1/contractors/${crew.id}/locations`, { token, body: north(0) })).status).toBe(403)
    expect((await app.call('GET', '/api/v1/places', { token })).status).toBe(200)
  })
})

describe('place rules', () => {
  test('place_enter fires on arrival and resolves on departure; place_leave the other way round; filters pick the crew member and place', async () => {
    const app = await alertsApp()
    const yard = await app.create('/places', { name: 'Yard', ...CENTRE, radius_m: 50 })
    const elsewhere = await app.create('/places', { name: 'Elsewhere', lat: 0, lng: 0 })
    const sam = await app.create('/contractors', { name: 'Sam Ortega' })
    const kim = await app.create('/contractors', { name: 'Kim Lee' })
    const enter = await app.create('/alert-rules', { type: 'place_enter', title: 'Sam at the yard', place_id: yard.id, contractor_id: sam.id })
    const leave = await app.create('/alert-rules', { type: 'place_leave', title: 'Left a place' })
    await app.create('/alert-rules', { type: 'place_enter', title: 'Elsewhere', place_id: elsewhere.id })
    const walk = async (who: string, metres: number[]) => {
      for (const m of metres) {
        app.clock.advance(10_000)
        await app.api.post(`/contractors/${who}/locations`, north(m))
      }
    }
    await walk(sam.id, [200, 40, 60, 45])
    await walk(kim.id, [200, 40])
    let triggered = await app.events('alert.triggered')
    expect(triggered).toHaveLength(1)
    expect(triggered[0]).toMatchObject({
      rule: { id: enter.id, type: 'place_enter', title: 'Sam at the yard', minutes: null },
      subject: { type: 'place', id: yard.id },
      place_id: yard.id,
      contractor_id: sam.id,
      job_id: null,
      status: 'open',
    })
    expect(triggered[0].message).toMatch(/^Sam Ortega arrived at Yard at .* \(40 m from its centre\)$/)

    await walk(sam.id, [100, 300])
    triggered = await app.events('alert.triggered')
    expect(triggered).toHaveLength(2)
    expect(triggered[1]).toMatchObject({ rule: { id: leave.id }, contractor_id: sam.id, place_id: yard.id })
    expect(triggered[1].message).toStartWith('Sam Ortega left Yard at ')
    expect((await app.api.get(`/alerts/${triggered[0].id}`)).body.data).toMatchObject({ status: 'resolved', resolution: 'auto', active: false })

    // Back in: the leave alert resolves, and a new arrival alert fires (the first one ended).
    await walk(sam.id, [20])
    expect((await app.api.get(`/alerts/${triggered[1].id}`)).body.data).toMatchObject({ status: 'resolved', resolution: 'auto' })
    expect(await app.events('alert.triggered')).toHaveLength(3)
    expect(await app.evaluate()).toMatchObject({ fired: 0, resolved: 0 })
  })

  test('narrowing a place rule’s filters resolves the alerts it no longer covers', async () => {
    const app = await alertsApp()
    const yard = await app.create('/places', { name: 'Yard', ...CENTRE, radius_m: 50 })
    const sam = await app.create('/contractors', { name: 'Sam Ortega' })
    const kim = await app.create('/contractors', { name: 'Kim Lee' })
    const rule = await app.create('/alert-rules', { type: 'place_enter', title: 'Anyone at the yard', place_id: yard.id })
    await app.api.post(`/contractors/${sam.id}/locations`, north(0))
    await app.api.post(`/contractors/${kim.id}/locations`, north(0))
    expect(await app.alerts('?status=open')).toHaveLength(2)
    await app.api.patch(`/alert-rules/${rule.id}`, { contractor_id: kim.id })
    const open = await app.alerts('?status=open')
    expect(open.map((a) => a.contractor_id)).toEqual([kim.id])
    expect((await app.alerts('?status=resolved'))[0]).toMatchObject({ contractor_id: sam.id, resolution: 'rule_changed' })
  })
})
