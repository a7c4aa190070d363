import type { TOptional } from '@sinclair/typebox'
import { t } from 'elysia'
import { JsonInteger } from '../../http/fields'
import type { ApiKeyRow } from '../../db/schema'
import { type Permissions, RESOURCES } from '../../http/permissions'

const Level = t.Union([t.Literal('none'), t.Literal('read'), t.Literal('write')])
// Object.fromEntries cannot keep the keys' names in its type; this is the object it builds.
const levelPerResource = Object.fromEntries(RESOURCES.map((r) => [r, t.Optional(Level)])) as Record<
  (typeof RESOURCES)[number],
  TOptional<typeof Level>
>

export const PermissionsSchema = t.Object(
  {
    ...levelPerResource,
    admin: t.Optional(t.Union([t.Literal('none'), t.Literal('write')], { description: 'API keys, users, ingress URLs' })),
  },
  {
    additionalProperties: false,
    description: 'Access per resource; a resource left out is `none`',
    examples: [{ jobs: 'write', clients: 'read' }],
  },
)

export const ApiKey = t.Object({
  id: t.String({ examples: ['key_01jd3k5q7x0000000000000000'] }),
  label: t.String(),
  prefix: t.String({ description: 'First characters of the key, to recognise it', examples: ['cb_live_Ab12Cd'] }),
  permissions: PermissionsSchema,
  rate_limit: t.Union([JsonInteger(), t.Null()], { description: 'Requests per minute; null uses the server default' }),
  created_by: t.Union([t.String(), t.Null()]),
  created_at: t.String({ format: 'date-time' }),
  last_used_at: t.Union([t.String({ format: 'date-time' }), t.Null()]),
  expires_at: t.Union([t.String({ format: 'date-time' }), t.Null()]),
})

export const ApiKeyWithSecret = t.Composite([
  ApiKey,
  t.Object({
    key: t.Union([t.String(), t.Null()], {
      description: 'The full key. Shown only in this response (null when an Idempotency-Key replay answers); store it now.',
    }),
  }),
])

export const ApiKeyCreate = t.Object(
  {
    label: t.String({ minLength: 1, maxLength: 100, examples: ['CRM sync'] }),
    permissions: PermissionsSchema,
    expires_at: t.Optional(t.Union([t.String({ format: 'date-time' }), t.Null()])),
    rate_limit: t.Optional(t.Union([JsonInteger({ minimum: 1, maximum: 100_000 }), t.Null()])),
  },
  { additionalProperties: false },
)

/** Every resource spelled out, so a reader never has to know that missing means `none`. */
export function fullPermissions(p: Permissions): Permissions {
  return {
    ...Object.fromEntries(RESOURCES.map((r) => [r, p[r] ?? 'none'])),
    admin: p.admin === 'write' ? 'write' : 'none',
  }
}

export function toApiKey(row: ApiKeyRow) {
  return {
    id: row.id,
    label: row.label,
    prefix: row.prefix,
    permissions: fullPermissions(JSON.parse(row.permissions) as Permissions),
    rate_limit: row.rate_limit,
    created_by: row.created_by,
    created_at: row.created_at,
    last_used_at: row.last_used_at,
    expires_at: row.expires_at,
  }
}
