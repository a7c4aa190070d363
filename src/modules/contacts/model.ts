import { type Static, t } from 'elysia'
import type { ContactRow } from '../../db/schema'
import { Email, JsonInteger, Nullable, Phone, SearchText } from '../../http/fields'
import { pageQuery } from '../../http/pagination'

export const Contact = t.Object({
  id: t.String({ examples: ['con_01jd3k5q7x0000000000000000'] }),
  client_id: t.String(),
  name: t.String(),
  email: Nullable(t.String()),
  phone: Nullable(t.String()),
  title: Nullable(t.String({ description: 'Role at the client, e.g. "Site manager"' })),
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
})

const fields = {
  client_id: t.String({ maxLength: 64, description: 'The client this person works for' }),
  name: t.String({ minLength: 1, maxLength: 200, examples: ['Dana Whitfield'] }),
  email: t.Optional(Nullable(Email)),
  phone: t.Optional(Nullable(Phone)),
  title: t.Optional(Nullable(t.String({ maxLength: 200 }))),
}
export const ContactCreate = t.Object(fields, { additionalProperties: false })
export const ContactPatch = t.Object(
  { ...fields, client_id: t.Optional(fields.client_id), name: t.Optional(fields.name) },
  { additionalProperties: false },
)
export const ContactListQuery = t.Object(
  {
    ...pageQuery,
    client_id: t.Optional(t.String({ maxLength: 64 })),
    q: SearchText('Text in the name or email'),
  },
  { additionalProperties: false },
)
export type ContactCreateInput = Static<typeof ContactCreate>
export type ContactPatchInput = Static<typeof ContactPatch>
export type ContactListFilters = Static<typeof ContactListQuery>

export function toContact(row: ContactRow) {
  return {
    id: row.id,
    client_id: row.client_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    title: row.title,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

// Webhook payloads carry these objects; the OpenAPI `webhooks` section documents them with these schemas.
