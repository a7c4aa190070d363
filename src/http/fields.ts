import type { TLiteral, TUnion } from '@sinclair/typebox'
import { t } from 'elysia'
import { invalid } from './errors'

// Field schemas many resources share, so every body spells a timestamp, an id or
// `metadata` the same way and says the same thing when it is wrong.

export const Id = (example: string) => t.String({ maxLength: 64, examples: [example] })
export const Timestamp = t.String({ format: 'date-time', description: 'ISO 8601 with a time zone', examples: ['2026-12-01T08:00:00Z'] })
export const Nullable = <T extends import('elysia').TSchema>(schema: T) => t.Union([schema, t.Null()])

export const MAX_METADATA_BYTES = 8 * 1024
export const Metadata = t.Record(t.String({ maxLength: 100 }), t.Any(), {
  description: `Your own key/value data, kept as given (at most ${MAX_METADATA_BYTES} bytes of JSON)`,
  examples: [{ crm_id: 'A-17' }],
})

/** Input timestamps are stored as UTC ISO strings so that string order is time order. */
export function toUtc(value: string, field: string): string {
  const time = new Date(value)
  if (Number.isNaN(time.getTime())) throw invalid(field, 'is not a valid date-time')
  return time.toISOString()
}

export function toUtcOrNull(value: string | null | undefined, field: string): string | null | undefined {
  return value === null || value === undefined ? value : toUtc(value, field)
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

/** Body of an action that takes none: empty, `{}`, or 400 naming the unknown fields. */
export const NoBody = t.Object({}, { additionalProperties: false, description: 'No fields' })
