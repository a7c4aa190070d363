import { t } from 'elysia'

/**
 * An integer in a JSON body. Elysia's `t.Integer` also accepts a numeric string (it is made
 * for query strings), so `"30"` would pass where 30 is meant; a body gets the strict kind.
 */
export const JsonInteger = (options: { minimum?: number; maximum?: number; description?: string; examples?: number[] } = {}) =>
  t.Number({ multipleOf: 1, ...options })
