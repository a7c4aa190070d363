import { type Static, t } from 'elysia'
import type { PropertyRow } from '../../db/schema'
import { JsonInteger, Nullable, SearchText } from '../../http/fields'
import { pageQuery } from '../../http/pagination'

export const Property = t.Object({
  id: t.String({ examples: ['prp_01jd3k5q7x0000000000000000'] }),
  client_id: t.String(),
  name: Nullable(t.String({ description: 'A label, e.g. "Warehouse"' })),
  address: t.String(),
  lat: Nullable(t.Number()),
  lng: Nullable(t.Number()),
  notes: Nullable(t.String({ description: 'Access notes, gate codes…' })),
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
})

const fields = {
  name: t.Optional(Nullable(t.String({ maxLength: 200 }))),
  address: t.String({ minLength: 1, maxLength: 500, examples: ['12 Harbor Road, Portsmouth'] }),
  lat: t.Optional(Nullable(t.Number({ minimum: -90, maximum: 90 }))),
  lng: t.Optional(Nullable(t.Number({ minimum: -180, maximum: 180 }))),
  notes: t.Optional(Nullable(t.String({ maxLength: 10_000 }))),
}
export const PropertyCreate = t.Object(
  { client_id: t.String({ maxLength: 64, description: 'The client whose address this is' }), ...fields },
  { additionalProperties: false },
)
// client_id is fixed: jobs at this property belong to that client.
export const PropertyPatch = t.Object({ ...fields, address: t.Optional(fields.address) }, { additionalProperties: false })
export const PropertyListQuery = t.Object(
  {
    ...pageQuery,
    client_id: t.Optional(t.String({ maxLength: 64 })),
    q: SearchText('Text in the name or address'),
  },
  { additionalProperties: false },
)
export type PropertyCreateInput = Static<typeof PropertyCreate>
export type PropertyPatchInput = Static<typeof PropertyPatch>
export type PropertyListFilters = Static<typeof PropertyListQuery>

export function toProperty(row: PropertyRow) {
  return {
    id: row.id,
    client_id: row.client_id,
    name: row.name,
    address: row.address,
    lat: row.lat,
    lng: row.lng,
    notes: row.notes,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}
