import { type Static, t } from 'elysia'
import type { PlaceRow } from '../../db/schema'
import { Nullable } from '../../http/fields'
import { pageQuery } from '../../http/pagination'

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
  version: t.Integer(),
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
  { ...pageQuery, q: t.Optional(t.String({ minLength: 1, maxLength: 200, description: 'Text in the name or address' })) },
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
