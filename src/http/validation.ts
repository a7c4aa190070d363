import type { TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { ApiError, type ErrorDetail } from './errors'

// Validation messages for people: one per problem, naming the field and the rule in plain words
// ("must be at least 8 characters", "must be one of: low, normal, high, urgent"), the same for
// a body field, a query parameter and a path segment. Built from the schema that failed and
// TypeBox's error kind, never from TypeBox's own English.

type Schema = Record<string, any>

/** The TypeBox ValueErrorType values this file words (@sinclair/typebox/errors). */
const E = {
  ArrayMaxItems: 2,
  ArrayMinItems: 4,
  ArrayUniqueItems: 5,
  Array: 6,
  Boolean: 14,
  IntegerExclusiveMaximum: 22,
  IntegerExclusiveMinimum: 23,
  IntegerMaximum: 24,
  IntegerMinimum: 25,
  IntegerMultipleOf: 26,
  Integer: 27,
  Literal: 32,
  Never: 33,
  Null: 35,
  NumberExclusiveMaximum: 36,
  NumberExclusiveMinimum: 37,
  NumberMaximum: 38,
  NumberMinimum: 39,
  NumberMultipleOf: 40,
  Number: 41,
  ObjectAdditionalProperties: 42,
  ObjectMaxProperties: 43,
  ObjectMinProperties: 44,
  ObjectRequiredProperty: 45,
  Object: 46,
  StringFormatUnknown: 49,
  StringFormat: 50,
  StringMaxLength: 51,
  StringMinLength: 52,
  StringPattern: 53,
  String: 54,
  Union: 62,
} as const

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

const FORMATS: Record<string, string> = {
  'iso8601-timestamp': 'a date-time with a time zone, like 2026-03-02T14:05:00Z',
  'date-time': 'a date-time with a time zone, like 2026-03-02T14:05:00Z',
  date: 'a date like 2026-12-31',
  email: 'an email address',
  uri: 'a URL',
  url: 'a URL',
  uuid: 'a UUID',
}

/** Elysia's query coercions ("5" for an integer) are a string branch beside the real type. */
const isCoercion = (s: Schema) => s?.type === 'string' && ['integer', 'numeric', 'boolean'].includes(s.format)

function range(min: number | undefined, max: number | undefined, unit = ''): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}${unit}`
  if (min !== undefined) return ` of at least ${min}${unit}`
  if (max !== undefined) return ` of at most ${max}${unit}`
  return ''
}

/** "a string of at most 200 characters", "an integer from 1 to 100", "null"… */
export function describeSchema(schema: Schema | undefined): string {
  if (!schema) return 'a valid value'
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  if (Array.isArray(schema.anyOf)) return describeUnion(schema.anyOf)
  if (schema.format && FORMATS[schema.format]) return FORMATS[schema.format]!
  switch (schema.type) {
    case 'string':
      if (schema.minLength === 1 && schema.maxLength === undefined) return 'a non-empty string'
      return `a string${range(schema.minLength, schema.maxLength, ' characters')}`
    case 'integer':
      return `an integer${range(schema.minimum, schema.maximum)}`
    case 'number':
      return `a number${range(schema.minimum, schema.maximum)}`
    case 'boolean':
      return 'true or false'
    case 'null':
      return 'null'
    case 'array':
      return schema.maxItems !== undefined ? `a list of at most ${plural(schema.maxItems, 'item')}` : 'a list'
    case 'object':
      return 'an object'
    default:
      return 'a valid value'
  }
}

function describeUnion(branches: Schema[]): string {
  const kept = branches.filter((b) => !isCoercion(b))
  const literals = kept.filter((b) => b.const !== undefined)
  const hasNull = kept.some((b) => b.type === 'null')
  const others = kept.filter((b) => b.const === undefined && b.type !== 'null')
  const parts: string[] = []
  if (literals.length > 0 && others.length === 0) {
    const list = literals.map((b) => String(b.const)).join(', ')
    return `one of: ${list}${hasNull ? ', or null' : ''}`
  }
  if (literals.length > 0) parts.push(`one of: ${literals.map((b) => String(b.const)).join(', ')}`)
  for (const other of others) parts.push(describeSchema(other))
  if (hasNull) parts.push('null')
  return parts.join(' or ')
}

interface ValueError {
  type?: number
  path?: string
  message?: string
  schema?: Schema
  value?: unknown
}

/** The message for one TypeBox error: our own `error` text where a schema has one, else worded from the rule. */
export function messageFor(error: ValueError, where: 'body' | 'query' | 'path'): string {
  const s = error.schema ?? {}
  if (error.type === E.ObjectRequiredProperty) return 'is required'
  if (error.type === E.ObjectAdditionalProperties) return where === 'body' ? 'is not a known field' : 'is not a known parameter'
  if (error.type === E.Union && error.value !== null && error.value !== undefined) {
    const specific = branchRule(s, error.value, where)
    if (specific) return specific
  }
  if (typeof s.error === 'string' && !String(s.error).includes('valid value')) return s.error
  switch (error.type) {
    case E.ObjectRequiredProperty:
      return 'is required'
    case E.ObjectAdditionalProperties:
      return where === 'body' ? 'is not a known field' : 'is not a known parameter'
    case E.ObjectMaxProperties:
      return `must have at most ${plural(s.maxProperties, 'entry', 'entries')}`
    case E.ObjectMinProperties:
      return `must have at least ${plural(s.minProperties, 'entry', 'entries')}`
    case E.StringMinLength:
      return s.minLength === 1 ? 'must not be empty' : `must be at least ${plural(s.minLength, 'character')}`
    case E.StringMaxLength:
      return `must be at most ${plural(s.maxLength, 'character')}`
    case E.StringFormat:
    case E.StringFormatUnknown:
      return `must be ${FORMATS[s.format] ?? `in the ${s.format} format`}`
    case E.StringPattern:
      return 'is not in the expected form'
    case E.IntegerMinimum:
    case E.NumberMinimum:
      return `must be at least ${s.minimum}`
    case E.IntegerMaximum:
    case E.NumberMaximum:
      return `must be at most ${s.maximum}`
    case E.IntegerExclusiveMinimum:
    case E.NumberExclusiveMinimum:
      return `must be greater than ${s.exclusiveMinimum}`
    case E.IntegerExclusiveMaximum:
    case E.NumberExclusiveMaximum:
      return `must be less than ${s.exclusiveMaximum}`
    case E.IntegerMultipleOf:
    case E.NumberMultipleOf:
      return `must be a multiple of ${s.multipleOf}`
    case E.ArrayMaxItems:
      return `must have at most ${plural(s.maxItems, 'item')}`
    case E.ArrayMinItems:
      return `must have at least ${plural(s.minItems, 'item')}`
    case E.ArrayUniqueItems:
      return 'must not list the same item twice'
    case E.Never:
      return 'is not allowed'
    default:
      // A wrong type (String, Integer, Union, Literal, Object…): say what belongs there.
      return `must be ${describeSchema(s)}`
  }
}

const TYPE_ERRORS = new Set<number>([E.String, E.Number, E.Integer, E.Boolean, E.Object, E.Array, E.Null, E.Literal, E.Union])

/**
 * `X | null` given a non-null value that breaks one of X's rules: that rule ("must be at most
 * 50 characters"), not the whole union. A value of the wrong type keeps the union's words.
 */
function branchRule(union: Schema, value: unknown, where: 'body' | 'query' | 'path'): string | null {
  const branches: Schema[] = (union.anyOf ?? []).filter((b: Schema) => !isCoercion(b) && b.type !== 'null')
  if (branches.length !== 1 || branches[0]!.const !== undefined || Array.isArray(branches[0]!.anyOf)) return null
  const first = Value.Errors(branches[0] as TSchema, value).First()
  if (!first || TYPE_ERRORS.has(first.type)) return null
  return messageFor(first as ValueError, where)
}

/** A required property is also reported as "Expected string" for its missing value; keep the more telling one. */
const PRIORITY: Record<number, number> = {
  [E.ObjectRequiredProperty]: 0,
  [E.ObjectAdditionalProperties]: 1,
}

interface ElysiaValidationError {
  type?: string
  all?: ValueError[]
}

const TARGET: Record<string, { where: 'body' | 'query' | 'path'; label: string }> = {
  body: { where: 'body', label: '' },
  query: { where: 'query', label: 'query parameter ' },
  property: { where: 'query', label: 'query parameter ' },
  params: { where: 'path', label: 'path parameter ' },
  headers: { where: 'query', label: 'header ' },
}

/** The 400 for a request Elysia found invalid: one detail per field, worded by `messageFor`. */
export function validationError(error: ElysiaValidationError, request: Request): ApiError {
  const target = TARGET[error.type ?? 'body'] ?? TARGET.body!
  const search = target.where === 'query' ? new URL(request.url).searchParams : null
  const best = new Map<string, { priority: number; message: string }>()
  for (const e of error.all ?? []) {
    let field = e.path && e.path !== 'root' ? e.path : ''
    // Coerced query values lose their name in Elysia's error; find the parameter that carried the value.
    if (!field && search) {
      const names = [...search.keys()].filter((name) => search.get(name) === String(e.value))
      if (names.length === 1) field = `/${names[0]}`
    }
    field ||= '/'
    const priority = PRIORITY[e.type ?? -1] ?? 2
    const seen = best.get(field)
    if (seen && seen.priority <= priority) continue
    best.set(field, { priority, message: messageFor(e, target.where) })
  }
  const details: ErrorDetail[] = [...best].map(([field, { message }]) => ({ field, message }))
  const first = details[0]
  if (!first) return new ApiError('validation_failed', 'The request is not valid', [{ field: '/', message: 'is not valid' }])
  const name = first.field === '/' ? (target.where === 'body' ? 'body' : target.label.trim()) : `${target.label}${first.field.slice(1)}`
  const more = details.length > 1 ? ` (and ${plural(details.length - 1, 'more problem')})` : ''
  return new ApiError('validation_failed', `${name}: ${first.message}${more}`, details)
}
