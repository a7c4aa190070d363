import { t } from 'elysia'

export { ApiError, conflict, ERROR_STATUS, type ErrorCode, type ErrorDetail, invalid, notFound } from '../errors'
import { ApiError, ERROR_STATUS } from '../errors'

export const ErrorEnvelope = t.Object(
  {
    error: t.Object({
      code: t.Union(Object.keys(ERROR_STATUS).map((code) => t.Literal(code))),
      message: t.String(),
      details: t.Optional(t.Array(t.Object({ field: t.String(), message: t.String() }))),
    }),
  },
  { description: 'Error envelope', examples: [{ error: { code: 'not_found', message: 'Job not found' } }] },
)

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Validation failed: bad JSON, wrong types, unknown fields or bad query values',
  401: 'Missing, invalid, revoked or expired token',
  403: 'The token lacks the permission this operation needs',
  404: 'Not found (also any resource of another organization)',
  409: 'Illegal state change, duplicate, or the same Idempotency-Key still running',
  412: 'If-Match did not match the current ETag',
  413: 'Request body over 1 MiB',
  415: 'Request body is not JSON',
  422: 'Idempotency-Key reused with another request body',
  429: 'Rate limit exceeded; see Retry-After',
}

/** Response schemas of the error statuses an operation can answer, for the OpenAPI document. */
export function errorResponses(...statuses: number[]) {
  const out: Record<number, typeof ErrorEnvelope> = {}
  for (const status of statuses) {
    out[status] = t.Object(ErrorEnvelope.properties, { description: ERROR_DESCRIPTIONS[status] ?? 'Error' })
  }
  return out
}

/**
 * Runs `fn`, whose validation errors name fields of a nested input (`/property_id`), and
 * re-addresses them to where the caller sent them (`/job/property_id`).
 */
export async function withFieldsUnder<T>(prefix: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'validation_failed' || !error.details) throw error
    const details = error.details.map((d) => ({ ...d, field: `${prefix}${d.field === '/' ? '' : d.field}` }))
    throw new ApiError('validation_failed', `${details[0]!.field.slice(1)}: ${details[0]!.message}`, details, error.headers)
  }
}
