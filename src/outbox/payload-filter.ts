/**
 * Payload filters: a JSON object matched against an event body (the JSON a delivery
 * carries), in the syntax Convoy and Outpost subscribers already write.
 *
 * - Keys are dotted paths (`data.object.status`); a path through an array looks into every
 *   element (`data.object.line_items.description`), a numeric segment picks one (`items.0`).
 * - A plain value means equality; against an array it means "contains". A nested object
 *   without operators is the same as its dotted paths (`{"data":{"object":{"status":"x"}}}`).
 * - An operator object: `$eq $neq $gt $gte $lt $lte $in $nin $exist $startsWith $endsWith`,
 *   all of which must hold.
 * - `$and` / `$or` take arrays of filters, `$not` one filter. Every key of an object must match.
 *
 * No regular expressions, so no pattern can be made to run for long. Parsing is separate
 * from matching: a filter is checked once (on create/PATCH, or for a stream) and compiled
 * into a predicate; matching is a walk over the body.
 */

export const MAX_FILTER_BYTES = 4096
export const MAX_FILTER_CONDITIONS = 32
export const MAX_FILTER_DEPTH = 8

const COMPARISONS = ['$eq', '$neq', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exist', '$startsWith', '$endsWith'] as const
type Comparison = (typeof COMPARISONS)[number]
const LOGICAL = ['$and', '$or', '$not'] as const

/** A filter that does not parse: `pointer` is a JSON pointer under `/filter`, `message` what is wrong there. */
export class FilterProblem extends Error {
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super(message)
  }
}

export type Predicate = (body: unknown) => boolean

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1')
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const isScalar = (value: unknown): value is null | boolean | number | string =>
  value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string'

/** Values at a dotted path; through arrays it collects every element's value (flattened once). */
function resolve(body: unknown, segments: readonly string[]): unknown {
  let current: unknown = body
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!
    if (Array.isArray(current)) {
      if (/^\d+$/.test(segment)) {
        current = current[Number(segment)]
        continue
      }
      const rest = segments.slice(i)
      const found: unknown[] = []
      for (const element of current) {
        const value = resolve(element, rest)
        if (value === undefined) continue
        if (Array.isArray(value)) found.push(...value)
        else found.push(value)
      }
      return found.length > 0 ? found : undefined
    }
    if (!isPlainObject(current) || !Object.hasOwn(current, segment)) return undefined
    current = current[segment]
  }
  return current
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]))
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]))
  }
  return false
}

/** Equality, or "contains" when the value is an array and the operand is not. */
function equalsOrContains(value: unknown, operand: unknown): boolean {
  if (value === undefined) return false
  if (Array.isArray(value) && !Array.isArray(operand)) return value.some((item) => deepEqual(item, operand))
  return deepEqual(value, operand)
}

/** Numbers with numbers, strings with strings (ISO timestamps order as text); anything else does not compare. */
function ordered(value: unknown, operand: number | string, holds: (order: number) => boolean): boolean {
  const one = (v: unknown) => {
    if (typeof v !== typeof operand) return false
    if (typeof v === 'number') return holds(v - (operand as number))
    const s = v as string
    return holds(s < (operand as string) ? -1 : s > (operand as string) ? 1 : 0)
  }
  return Array.isArray(value) ? value.some(one) : one(value)
}

const anyString = (value: unknown, test: (s: string) => boolean) =>
  Array.isArray(value) ? value.some((v) => typeof v === 'string' && test(v)) : typeof value === 'string' && test(value)

class Compiler {
  conditions = 0

  constructor(readonly maxConditions: number) {}

  count(pointer: string): void {
    this.conditions++
    if (this.conditions > this.maxConditions) {
      throw new FilterProblem(pointer, `has more than ${this.maxConditions} conditions; a filter may have at most ${this.maxConditions}`)
    }
  }

  /** An object whose keys are paths and logical operators. */
  filter(value: unknown, pointer: string, depth: number, prefix: readonly string[] = []): Predicate {
    if (depth > MAX_FILTER_DEPTH) throw new FilterProblem(pointer, `nests deeper than ${MAX_FILTER_DEPTH} levels`)
    if (!isPlainObject(value)) throw new FilterProblem(pointer, 'must be a JSON object of paths and conditions')
    const parts: Predicate[] = []
    for (const [key, operand] of Object.entries(value)) {
      const at = `${pointer}/${escapePointer(key)}`
      if (key.startsWith('$')) {
        parts.push(this.logical(key, operand, at, depth, prefix))
        continue
      }
      if (key === '' || key.split('.').some((segment) => segment === '')) {
        throw new FilterProblem(at, 'is not a dotted path (empty segment)')
      }
      parts.push(this.condition([...prefix, ...key.split('.')], operand, at, depth))
    }
    if (parts.length === 0) {
      throw new FilterProblem(pointer, depth === 0 ? 'is empty; leave the filter out (null) to receive every event' : 'is an empty filter')
    }
    return (body) => parts.every((part) => part(body))
  }

  logical(key: string, operand: unknown, pointer: string, depth: number, prefix: readonly string[]): Predicate {
    switch (key) {
      case '$and':
      case '$or': {
        if (!Array.isArray(operand) || operand.length === 0) throw new FilterProblem(pointer, `${key} takes a non-empty array of filters`)
        const parts = operand.map((item, i) => this.filter(item, `${pointer}/${i}`, depth + 1, prefix))
        return key === '$and' ? (body) => parts.every((p) => p(body)) : (body) => parts.some((p) => p(body))
      }
      case '$not': {
        const inner = this.filter(operand, pointer, depth + 1, prefix)
        return (body) => !inner(body)
      }
      default:
        throw new FilterProblem(pointer, `unknown operator ${key}; at this level only ${LOGICAL.join(', ')} and paths are allowed`)
    }
  }

  /** What one path must satisfy: a plain value, an operator object or a nested filter. */
  condition(segments: readonly string[], operand: unknown, pointer: string, depth: number): Predicate {
    if (isPlainObject(operand)) {
      const keys = Object.keys(operand)
      if (keys.length === 0) throw new FilterProblem(pointer, 'is an empty object; give a value or an operator such as {"$eq": …}')
      // Comparison operators make it an operator object; paths and $and/$or/$not make it a nested filter.
      const isComparison = (k: string) => k.startsWith('$') && !(LOGICAL as readonly string[]).includes(k)
      if (!keys.some(isComparison)) return this.filter(operand, pointer, depth + 1, segments)
      const other = keys.find((k) => !isComparison(k))
      if (other !== undefined) {
        throw new FilterProblem(`${pointer}/${escapePointer(other)}`, 'cannot mix operators with paths or $and/$or/$not in one object')
      }
      const parts = keys.map((op) => this.comparison(op, operand[op], `${pointer}/${escapePointer(op)}`))
      return (body) => {
        const value = resolve(body, segments)
        return parts.every((part) => part(value))
      }
    }
    this.count(pointer)
    if (!isScalar(operand) && !Array.isArray(operand)) throw new FilterProblem(pointer, 'must be a JSON value')
    return (body) => equalsOrContains(resolve(body, segments), operand)
  }

  comparison(op: string, operand: unknown, pointer: string): (value: unknown) => boolean {
    if (!(COMPARISONS as readonly string[]).includes(op)) {
      throw new FilterProblem(pointer, `unknown operator ${op}; use one of ${COMPARISONS.join(', ')}`)
    }
    this.count(pointer)
    switch (op as Comparison) {
      case '$eq':
        return (value) => equalsOrContains(value, operand)
      case '$neq':
        return (value) => !equalsOrContains(value, operand)
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte': {
        if (typeof operand !== 'number' && typeof operand !== 'string') throw new FilterProblem(pointer, `${op} takes a number or a string`)
        const holds = { $gt: (o: number) => o > 0, $gte: (o: number) => o >= 0, $lt: (o: number) => o < 0, $lte: (o: number) => o <= 0 }[
          op as '$gt'
        ]
        return (value) => ordered(value, operand, holds)
      }
      case '$in':
      case '$nin': {
        if (!Array.isArray(operand) || operand.length === 0) throw new FilterProblem(pointer, `${op} takes a non-empty array of values`)
        const inList = (value: unknown) =>
          value !== undefined &&
          (Array.isArray(value) ? value.some((v) => operand.some((o) => deepEqual(v, o))) : operand.some((o) => deepEqual(value, o)))
        return op === '$in' ? inList : (value) => !inList(value)
      }
      case '$exist':
        if (typeof operand !== 'boolean') throw new FilterProblem(pointer, '$exist takes true or false')
        return (value) => (value !== undefined) === operand
      case '$startsWith':
      case '$endsWith': {
        if (typeof operand !== 'string') throw new FilterProblem(pointer, `${op} takes a string`)
        return op === '$startsWith'
          ? (value) => anyString(value, (s) => s.startsWith(operand))
          : (value) => anyString(value, (s) => s.endsWith(operand))
      }
    }
  }
}

/**
 * Checks a filter and compiles it into a predicate over event bodies. Throws FilterProblem
 * naming where (`/filter/data.object.total/$gt`) and what is wrong.
 */
export function compileFilter(filter: unknown, root = '/filter'): Predicate {
  const bytes = Buffer.byteLength(JSON.stringify(filter) ?? '')
  if (bytes > MAX_FILTER_BYTES) throw new FilterProblem(root, `is ${bytes} bytes; a filter may be at most ${MAX_FILTER_BYTES} bytes of JSON`)
  return new Compiler(MAX_FILTER_CONDITIONS).filter(filter as Json, root, 0)
}

const compiled = new Map<string, Predicate>()

/** The predicate of a stored (already checked) filter, compiled once per distinct JSON text. */
export function storedFilter(json: string): Predicate {
  let predicate = compiled.get(json)
  if (!predicate) {
    predicate = compileFilter(JSON.parse(json))
    if (compiled.size > 1000) compiled.clear()
    compiled.set(json, predicate)
  }
  return predicate
}
