import { type Static, t } from 'elysia'
import { parseJsonColumn } from '../../db/rows'
import type { ClientRow } from '../../db/schema'
import { Email, JsonInteger, Metadata, Nullable, Phone, SearchText } from '../../http/fields'
import { pageQuery } from '../../http/pagination'

export const Client = t.Object({
  id: t.String({ examples: ['cli_01jd3k5q7x0000000000000000'] }),
  name: t.String(),
  email: Nullable(t.String()),
  phone: Nullable(t.String()),
  address: Nullable(t.String({ description: 'Billing or main address' })),
  notes: Nullable(t.String()),
  metadata: t.Record(t.String(), t.Any()),
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
})

const fields = {
  name: t.String({ minLength: 1, maxLength: 200, examples: ['Harbor View Apartments'] }),
  email: t.Optional(Nullable(Email)),
  phone: t.Optional(Nullable(Phone)),
  address: t.Optional(Nullable(t.String({ maxLength: 500 }))),
  notes: t.Optional(Nullable(t.String({ maxLength: 10_000 }))),
  metadata: t.Optional(Metadata),
}
export const ClientCreate = t.Object(fields, { additionalProperties: false })
export const ClientPatch = t.Object({ ...fields, name: t.Optional(fields.name) }, { additionalProperties: false })
export const ClientListQuery = t.Object(
  { ...pageQuery, q: SearchText('Text in the name or email') },
  { additionalProperties: false },
)
export type ClientCreateInput = Static<typeof ClientCreate>
export type ClientPatchInput = Static<typeof ClientPatch>
export type ClientListFilters = Static<typeof ClientListQuery>

export function toClient(row: ClientRow) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    address: row.address,
    notes: row.notes,
    metadata: parseJsonColumn<Record<string, unknown>>(row.metadata, {}),
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

// Webhook payloads carry these objects; the OpenAPI `webhooks` section documents them with these schemas.
