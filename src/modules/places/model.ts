import { type Static, t } from 'elysia'
import type { PlaceRow } from '../../db/schema'
import { JsonInteger, Nullable, SearchText } from '../../http/fields'
import { Timestamp } from '../../http/time'
import { pageQuery } from '../../http/pagination'
import { PlaceCheck } from '../place-checks/model'

export const MIN_RADIUS_M = 10
export const MAX_RADIUS_M = 50_000
export const DEFAULT_RADIUS_M = 100

export const Place = t.Object({
  id: t.String({ examples: ['plc_01jd3k5q7x0000000000000000'] }),
  name: t.String(),
  address: Nullable(t.String()),
  lat: t.Number({ description: 'Latitude of the centre (WGS 84)' }),
  lng: t.Number({ description: 'Longitude of the centre (WGS 84)' }),
  radius_m: t.Number({ description: 'A crew member within this many metres of the centre is at the place' }),
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
})

const fields = {
  name: t.String({ minLength: 1, maxLength: 200, examples: ['Main warehouse'] }),
  address: t.Optional(Nullable(t.String({ maxLength: 500, examples: ['4 Dock Street, Portsmouth'] }))),
  lat: t.Number({ minimum: -90, maximum: 90, examples: [50.7989] }),
  lng: t.Number({ minimum: -180, maximum: 180, examples: [-1.0912] }),
  radius_m: t.Optional(
    t.Number({
      minimum: MIN_RADIUS_M,
      maximum: MAX_RADIUS_M,
      description: `Metres, ${MIN_RADIUS_M} to ${MAX_RADIUS_M}; default ${DEFAULT_RADIUS_M}`,
      examples: [80],
    }),
  ),
}
export const PlaceCreate = t.Object(fields, { additionalProperties: false })
export const PlacePatch = t.Object(
  { name: t.Optional(fields.name), address: fields.address, lat: t.Optional(fields.lat), lng: t.Optional(fields.lng), radius_m: fields.radius_m },
  { additionalProperties: false },
)
export const PlaceListQuery = t.Object(
  { ...pageQuery, q: SearchText('Text in the name or address') },
  { additionalProperties: false },
)
export type PlaceCreateInput = Static<typeof PlaceCreate>
export type PlacePatchInput = Static<typeof PlacePatch>
export type PlaceListFilters = Static<typeof PlaceListQuery>

export function toPlace(row: PlaceRow) {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    lat: row.lat,
    lng: row.lng,
    radius_m: row.radius_m,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

// ── location pings (POST /contractors/:id/locations) ──

export const MAX_PINGS_PER_REQUEST = 500

const pingFields = {
  lat: t.Number({ minimum: -90, maximum: 90, examples: [50.7989] }),
  lng: t.Number({ minimum: -180, maximum: 180, examples: [-1.0912] }),
  accuracy: t.Optional(Nullable(t.Number({ minimum: 0, maximum: 100_000, description: 'Horizontal accuracy in metres, as the device reports it' }))),
  at: t.Optional(Timestamp('When the fix was taken; default now. Pings older than the newest one received do not move anyone')),
}
export const LocationPing = t.Object(pingFields, { additionalProperties: false, description: 'One fix' })

/**
 * One fix at the top level, or a batch under `pings`. Written as one object rather than a
 * union so that a bad field is named in the 400 (a union only says "Expected union value").
 */
export const LocationsInput = t.Object(
  {
    lat: t.Optional(pingFields.lat),
    lng: t.Optional(pingFields.lng),
    accuracy: pingFields.accuracy,
    at: pingFields.at,
    pings: t.Optional(
      t.Array(LocationPing, {
        minItems: 1,
        maxItems: MAX_PINGS_PER_REQUEST,
        description: `A batch of up to ${MAX_PINGS_PER_REQUEST} fixes in any order (applied in \`at\` order), e.g. uploaded after a stretch without signal; then leave the top-level fields out`,
      }),
    ),
  },
  { additionalProperties: false, description: 'One fix `{"lat","lng","accuracy","at"}` or a batch `{"pings":[…]}`' },
)
export type LocationPingInput = Static<typeof LocationPing>
export type LocationsInputBody = Static<typeof LocationsInput>

export const LocationsResult = t.Object({
  received: JsonInteger({ description: 'Pings in the request' }),
  applied: JsonInteger({ description: 'Pings at or after the newest one known, applied in `at` order' }),
  stale: JsonInteger({ description: 'Pings older than the newest one known: kept out of presence, so a late upload cannot undo a newer state' }),
  position: Nullable(
    t.Object({ lat: t.Number(), lng: t.Number(), accuracy: Nullable(t.Number()), at: t.String({ format: 'date-time' }) }, { description: 'The newest known fix' }),
  ),
  checks: t.Array(PlaceCheck, { description: 'Place check-ins and check-outs these pings caused, in time order' }),
})
