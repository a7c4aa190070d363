import { type TLiteral, type TUnion, Type } from '@sinclair/typebox'
import { t } from 'elysia'
import { invalid } from './errors'

// Field schemas many resources share, so every body spells a timestamp, an id or
// `metadata` the same way and says the same thing when it is wrong.

export const Id = (example: string) => t.String({ maxLength: 64, examples: [example] })
export const Timestamp = t.String({ format: 'date-time', description: 'ISO 8601 with a time zone', examples: ['2026-12-01T08:00:00Z'] })

/** "a string of at most 200 characters", "a number from -90 to 90"… for error messages. */
function describeSchema(schema: Record<string, any>): string {
  if (schema.format === 'date-time') return 'an ISO 8601 date-time with a time zone'
  if (schema.format === 'email') return 'an email address'
  const range = (unit: string, min?: number, max?: number) =>
    min !== undefined && max !== undefined ? ` from ${min} to ${max}${unit}` : max !== undefined ? ` of at most ${max}${unit}` : ''
  switch (schema.type) {
    case 'string':
      return `a string${range(' characters', schema.minLength, schema.maxLength)}`
    case 'number':
      return `a number${range('', schema.minimum, schema.maximum)}`
    case 'integer':
      return `an integer${range('', schema.minimum, schema.maximum)}`
    case 'object':
      return 'an object'
    case 'array':
      return 'a list'
    default:
      return 'a valid value'
  }
}

/** A value or `null` (which clears it on PATCH), with an error message that says which. */
export const Nullable = <T extends import('elysia').TSchema>(schema: T) =>
  t.Union([schema, t.Null()], { error: `must be ${describeSchema(schema)} or null` })

export const MAX_METADATA_BYTES = 8 * 1024
export const Metadata = t.Record(t.String({ maxLength: 100 }), t.Any(), {
  description: `Your own key/value data, kept as given (at most ${MAX_METADATA_BYTES} bytes of JSON)`,
  examples: [{ crm_id: 'A-17' }],
})

// RFC 3339: a date, a time and, always, a zone. Elysia's `date-time` format also lets
// "2026-12-01 08:00" through, which JavaScript would read in the server's local zone.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))$/

/** Input timestamps are stored as UTC ISO strings so that string order is time order. */
export function toUtc(value: string, field: string): string {
  const parts = RFC3339.exec(value)
  const reject = () => invalid(field, 'must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T08:00:00Z')
  if (!parts) throw reject()
  const [year, month, day, hour, minute, second, zoneHour, zoneMinute] = parts.slice(1).map((p) => (p === undefined ? 0 : Number(p)))
  const calendarDay = new Date(Date.UTC(year!, month! - 1, day!))
  if (calendarDay.getUTCMonth() !== month! - 1 || calendarDay.getUTCDate() !== day!) throw reject()
  if (hour! > 23 || minute! > 59 || second! > 59 || zoneHour! > 23 || zoneMinute! > 59) throw reject()
  const time = new Date(value.replace(' ', 'T'))
  if (Number.isNaN(time.getTime())) throw reject()
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

/**
 * An integer that must arrive as a JSON number: Elysia's own `t.Integer` also takes "5"
 * (it is made for query strings), which a JSON body should not.
 */
export const JsonInteger = (options: { minimum: number; maximum: number; description?: string }) =>
  Type.Integer({ ...options, error: `must be an integer from ${options.minimum} to ${options.maximum}` })
