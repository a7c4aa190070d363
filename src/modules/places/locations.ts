import type { Clock } from '../../clock'
import { findInOrg } from '../../db/rows'
import type { PlaceCheckRow, PlaceRow } from '../../db/schema'
import type { Trx } from '../../db/transaction'
import { recordEvent } from '../../events/record'
import { invalid } from '../../http/errors'
import { toUtcIso } from '../../http/time'
import { newId } from '../../ids'
import { applyPlaceRules } from '../alerts/place-rules'
import { type PlaceCheckObject, toPlaceCheck } from '../place-checks/model'
import { crossing, distanceMetres } from './geo'
import type { LocationPingInput, LocationsInputBody } from './model'

// Location pings of a crew member: the newest one (by `at`) is where they are; each ping,
// in time order, may take them into or out of places, which records a place check.

/** A device clock may run a little fast; a ping further in the future than this is refused. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000

interface Ping {
  lat: number
  lng: number
  accuracy: number | null
  at: string
}

/** The fixes of either shape, as a list. */
function fixesOf(input: LocationsInputBody): { batch: boolean; fixes: LocationPingInput[] } {
  const { pings, ...single } = input
  if (pings !== undefined) {
    const stray = Object.keys(single).find((key) => single[key as keyof typeof single] !== undefined)
    if (stray) throw invalid(`/${stray}`, 'send one fix at the top level or a batch under pings, not both')
    return { batch: true, fixes: pings }
  }
  if (single.lat === undefined) throw invalid('/lat', 'is required (or send a batch under pings)')
  if (single.lng === undefined) throw invalid('/lng', 'is required (or send a batch under pings)')
  return { batch: false, fixes: [{ ...single, lat: single.lat, lng: single.lng }] }
}

function normalize(input: LocationsInputBody, now: Date): Ping[] {
  const { batch, fixes: pings } = fixesOf(input)
  const latest = new Date(now.getTime() + MAX_FUTURE_SKEW_MS).toISOString()
  const out = pings.map((ping: LocationPingInput, index) => {
    const field = batch ? `/pings/${index}/at` : '/at'
    const at = ping.at ? toUtcIso(ping.at) : now.toISOString()
    if (at > latest) throw invalid(field, 'is more than 5 minutes in the future')
    return { lat: ping.lat, lng: ping.lng, accuracy: ping.accuracy ?? null, at }
  })
  // Stable sort: pings with the same `at` keep the order they were sent in.
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}

export async function recordLocations(trx: Trx, orgId: string, contractorId: string, input: LocationsInputBody, clock: Clock) {
  const contractor = await findInOrg(trx, 'contractors', orgId, contractorId, 'Contractor')
  const now = clock.now()
  const pings = normalize(input, now)
  const known = await trx.selectFrom('contractor_positions').selectAll().where('contractor_id', '=', contractorId).executeTakeFirst()
  const places = await trx.selectFrom('places').selectAll().where('org_id', '=', orgId).orderBy('id').execute()
  const presence = await trx.selectFrom('place_presence').select('place_id').where('contractor_id', '=', contractorId).execute()
  const inside = new Set(presence.map((row) => row.place_id))

  let newest: Ping | null = known ? { lat: known.lat, lng: known.lng, accuracy: known.accuracy, at: known.at } : null
  let applied = 0
  const checks: PlaceCheckObject[] = []
  for (const ping of pings) {
    if (newest && ping.at < newest.at) continue
    newest = ping
    applied++
    for (const place of places) {
      const distance = distanceMetres(place, ping)
      const type = crossing(place, distance, ping.accuracy, inside.has(place.id))
      if (!type) continue
      if (type === 'in') inside.add(place.id)
      else inside.delete(place.id)
      const check = await recordPlaceCheck(trx, place, contractor.id, type, ping, distance, now)
      await applyPlaceRules(trx, orgId, { check, placeName: place.name, contractorName: contractor.name }, clock)
      checks.push(check)
    }
  }
  if (newest && applied > 0) await savePosition(trx, orgId, contractorId, newest, now)
  return { received: pings.length, applied, stale: pings.length - applied, position: newest, checks }
}

async function recordPlaceCheck(trx: Trx, place: PlaceRow, contractorId: string, type: 'in' | 'out', ping: Ping, distance: number, now: Date) {
  if (type === 'in') {
    await trx.insertInto('place_presence').values({ contractor_id: contractorId, place_id: place.id, org_id: place.org_id, since: ping.at }).execute()
  } else {
    await trx.deleteFrom('place_presence').where('contractor_id', '=', contractorId).where('place_id', '=', place.id).execute()
  }
  const row: PlaceCheckRow = {
    id: newId('pck'),
    org_id: place.org_id,
    place_id: place.id,
    contractor_id: contractorId,
    type,
    at: ping.at,
    lat: ping.lat,
    lng: ping.lng,
    accuracy: ping.accuracy,
    distance_m: distance,
    version: 1,
    created_at: now.toISOString(),
  }
  await trx.insertInto('place_checks').values(row).execute()
  const check = toPlaceCheck(row)
  await recordEvent(trx, { orgId: place.org_id, type: type === 'in' ? 'place.checkin' : 'place.checkout', object: check, at: now })
  return check
}

async function savePosition(trx: Trx, orgId: string, contractorId: string, ping: Ping, now: Date) {
  const values = { lat: ping.lat, lng: ping.lng, accuracy: ping.accuracy, at: ping.at, received_at: now.toISOString() }
  await trx
    .insertInto('contractor_positions')
    .values({ contractor_id: contractorId, org_id: orgId, ...values })
    .onConflict((oc) => oc.column('contractor_id').doUpdateSet(values))
    .execute()
}
