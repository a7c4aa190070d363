import { Kind, Type, TypeRegistry } from '@sinclair/typebox'
import { ApiError } from './errors'

// Query strings carry text. Elysia's `t.Integer` turns it into a number with `+value`, which
// also reads `0x10`, `1e2`, ` 50` and `` (0), and checks the range only while decoding — where
// a failure is recognised by the error class's name, which a minifier may rename. Here the
// parameter is checked whole, text and range together, before anything decodes it.

const QUERY_INTEGER = 'QueryInteger'
const DIGITS = /^[0-9]{1,16}$/

interface QueryIntegerOptions {
  minimum: number
  maximum: number
  description?: string
}

/** The integer a query value spells in plain decimal digits, or null. */
export function parseQueryInteger(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null
  if (typeof value !== 'string' || !DIGITS.test(value)) return null
  return Number(value)
}

TypeRegistry.Set<QueryIntegerOptions>(QUERY_INTEGER, (schema, value) => {
  const n = parseQueryInteger(value)
  return n !== null && n >= schema.minimum && n <= schema.maximum
})

/**
 * A query parameter that is an integer from `minimum` to `maximum`, written in plain decimal
 * digits (`007` is 7; `-1`, `+1`, `1.0`, `1e2`, `0x10`, ` 5` and an empty value are not).
 * Documented as `type: integer` with its bounds; handlers get a number.
 */
export const QueryInteger = (options: QueryIntegerOptions) =>
  // Typed as the number handlers receive; on the wire it is the text the check above accepted.
  Type.Transform(Type.Unsafe<number>({ [Kind]: QUERY_INTEGER, type: 'integer', ...options }))
    .Decode((value): number => parseQueryInteger(value)!)
    .Encode((value) => value)

/**
 * A parameter given twice (`per_page=5&per_page=6`) is 400 naming it: no list takes a
 * parameter more than once, and silently keeping one of the values hides a client's bug.
 */
export function assertNoRepeatedParameters(url: string) {
  const start = url.indexOf('?')
  if (start === -1) return
  const seen = new Set<string>()
  for (const name of new URLSearchParams(url.slice(start + 1)).keys()) {
    if (seen.has(name)) {
      throw new ApiError('validation_failed', `Invalid query parameter /${name}: given more than once`, [
        { field: `/${name}`, message: 'given more than once' },
      ])
    }
    seen.add(name)
  }
}
