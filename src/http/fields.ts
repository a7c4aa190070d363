import { type TLiteral, type TUnion, Type } from '@sinclair/typebox'
import { t } from 'elysia'
import { invalid } from './errors'
import { toUtcIso } from './time'
import { describeSchema } from './validation'

// Field schemas many resources share, so every body spells a timestamp, an id or
// `metadata` the same way and says the same thing when it is wrong.


/** A value or `null` (which clears it on PATCH), with an error message that says which. */
export const Nullable = <T extends import('elysia').TSchema>(schema: T) =>
  t.Union([schema, t.Null()], { error: `must be ${describeSchema(schema)} or null` })

export const MAX_METADATA_BYTES = 8 * 1024
export const Metadata = t.Record(t.String({ maxLength: 100 }), t.Any(), {
  description: `Your own key/value data, kept as given (at most ${MAX_METADATA_BYTES} bytes of JSON)`,
  examples: [{ crm_id: 'A-17' }],
})

/** A validated timestamp (see http/time.ts) in UTC; `null` and absent pass through. */
export function utcOrNull<T extends string | null | undefined>(value: T): T extends string ? string : T {
  return (typeof value === 'string' ? toUtcIso(value) : value) as never
}

export function metadataJson(value: Record<string, unknown>, field = '/metadata'): string {
  const json = JSON.stringify(value)
  if (Buffer.byteLength(json) > MAX_METADATA_BYTES) throw invalid(field, `must be at most ${MAX_METADATA_BYTES} bytes of JSON`)
  return json
}

/** A union of string literals from an `as const` array, typed as those literals. */
export const literals = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  t.Union(
    values.map((value) => t.Literal(value)),
    { ...options, error: `must be one of: ${values.join(', ')}` },
  ) as unknown as TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>

export const Email = t.String({ format: 'email', maxLength: 254, examples: ['office@example.com'] })
export const Phone = t.String({ minLength: 1, maxLength: 50, examples: ['+1 555 0100'] })

/**
 * An integer that must arrive as a JSON number: Elysia's own `t.Integer` also takes "5"
 * (it is made for query strings), which a JSON body should not. Use this in every body
 * and answer schema; `t.Integer` belongs only in query schemas.
 */
export const JsonInteger = (options: { minimum?: number; maximum?: number; description?: string; examples?: number[] } = {}) =>
  Type.Integer({
    ...options,
    error:
      options.minimum !== undefined && options.maximum !== undefined
        ? `must be an integer from ${options.minimum} to ${options.maximum}`
        : options.minimum !== undefined
          ? `must be an integer of at least ${options.minimum}`
          : 'must be an integer',
  })

/** A position is both coordinates or neither: 400 naming the one that is missing. */
export function assertCoordinates(lat: number | null, lng: number | null) {
  if ((lat === null) !== (lng === null)) throw invalid(lat === null ? '/lat' : '/lng', 'lat and lng come together or not at all')
}

/** A list's `q=` text search; `description` says where it looks ("Text in the name or email"). */
export const SearchText = (description: string) => t.Optional(t.String({ minLength: 1, maxLength: 200, description }))

/** The `/:id` of a route. Our ids are short, so a longer one is refused before any lookup. */
export const IdParams = t.Object({ id: t.String({ maxLength: 64 }) })

/** Body of an action that takes none: empty, `{}`, or 400 naming the unknown fields. */
export const NoBody = t.Object({}, { additionalProperties: false, description: 'No fields' })

/** Query of a route that takes no parameters: one it does not know is a 400, as on every other route. */
export const NoQuery = t.Object({}, { additionalProperties: false })
