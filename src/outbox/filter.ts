import { EVENT_TYPE_NAMES, isEventType } from '../events/catalog'

/** Resources that have events (`job`, `invoice`…): what a `resource.*` pattern may name. */
const EVENT_RESOURCES = new Set(EVENT_TYPE_NAMES.map((type) => type.slice(0, type.indexOf('.'))))

/** Every entry a subscription may hold: `*`, each `resource.*`, each event type. */
export const EVENT_PATTERNS = ['*', ...[...EVENT_RESOURCES].map((resource) => `${resource}.*`), ...EVENT_TYPE_NAMES] as const

/** Why `pattern` is not a valid subscription entry, or null when it is. */
export function eventPatternProblem(pattern: string): string | null {
  if (pattern === '*') return null
  if (pattern.endsWith('.*')) {
    const resource = pattern.slice(0, -2)
    return EVENT_RESOURCES.has(resource) ? null : `no events match "${pattern}"; resources are ${[...EVENT_RESOURCES].join(', ')}`
  }
  return isEventType(pattern) ? null : `unknown event type "${pattern}"`
}

/** Does a subscription (`["*"]`, exact types, `resource.*` prefixes) include `type`? */
export function subscribesTo(patterns: readonly string[], type: string): boolean {
  for (const pattern of patterns) {
    if (pattern === '*' || pattern === type) return true
    if (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))) return true
  }
  return false
}
