import { t } from 'elysia'
import { JsonInteger, literals } from '../../http/fields'
import { ROLES, type UserRow } from '../../db/schema'

export const Email = t.String({ format: 'email', maxLength: 254, examples: ['owner@example.com'] })
export const Password = t.String({ minLength: 8, maxLength: 200, description: 'At least 8 characters' })
export const RoleSchema = literals(ROLES)

export const User = t.Object({
  id: t.String({ examples: ['usr_01jd3k5q7x0000000000000000'] }),
  email: t.String(),
  name: t.Union([t.String(), t.Null()]),
  role: RoleSchema,
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
})

export const UserCreate = t.Object(
  { email: Email, password: Password, role: RoleSchema, name: t.Optional(t.String({ maxLength: 200 })) },
  { additionalProperties: false },
)
export const UserPatch = t.Object(
  {
    name: t.Optional(t.Union([t.String({ maxLength: 200 }), t.Null()])),
    role: t.Optional(RoleSchema),
    password: t.Optional(Password),
  },
  { additionalProperties: false },
)

export function toUser(row: Omit<UserRow, 'password_hash'>) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}
