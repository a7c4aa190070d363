import { type TSchema, t } from 'elysia'

/** `schema` or JSON null (a PATCH clears an optional field with null). */
export const nullable = <T extends TSchema>(schema: T) => t.Union([schema, t.Null()])

/** Body of an action that takes none: empty, `{}`, or 400 naming the unknown fields. */
export const NoBody = t.Object({}, { additionalProperties: false, description: 'No fields' })
