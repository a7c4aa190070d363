import { type Static, t } from 'elysia'
import { CHECKIN_TYPES, type PlaceCheckRow } from '../../db/schema'
import { JsonInteger, literals, Nullable } from '../../http/fields'
import { pageQuery } from '../../http/pagination'

export const PlaceCheck = t.Object({
  id: t.String({ examples: ['pck_01jd3k5q7x0000000000000000'] }),
  place_id: t.String(),
  contractor_id: t.String(),
  type: literals(CHECKIN_TYPES, { description: '`in` on arriving at the place, `out` on leaving it' }),
  at: t.String({ format: 'date-time', description: 'When the ping that crossed the boundary was taken' }),
  lat: t.Number(),
  lng: t.Number(),
  accuracy: Nullable(t.Number({ description: 'Metres, as the device reported it' })),
  distance_m: t.Number({ description: 'Distance of the ping from the place’s centre, metres' }),
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
})

export const PlaceCheckListQuery = t.Object(
  {
    ...pageQuery,
    place_id: t.Optional(t.String({ maxLength: 64 })),
    contractor_id: t.Optional(t.String({ maxLength: 64 })),
    type: t.Optional(literals(CHECKIN_TYPES)),
  },
  { additionalProperties: false },
)
export type PlaceCheckListFilters = Static<typeof PlaceCheckListQuery>

const metres = (value: number) => Math.round(value * 10) / 10

export function toPlaceCheck(row: PlaceCheckRow) {
  return {
    id: row.id,
    place_id: row.place_id,
    contractor_id: row.contractor_id,
    type: row.type,
    at: row.at,
    lat: row.lat,
    lng: row.lng,
    accuracy: row.accuracy,
    distance_m: metres(row.distance_m),
    version: row.version,
    created_at: row.created_at,
  }
}
export type PlaceCheckObject = ReturnType<typeof toPlaceCheck>

// Webhook payloads carry these objects; the OpenAPI `webhooks` section documents them with these schemas.
