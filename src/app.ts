import { type AnyElysia, Elysia } from 'elysia'
import type { AppDeps } from './deps'
import { parseJsonBody } from './http/body'
import { ApiError, ERROR_STATUS } from './http/errors'
import { etagFor } from './http/etag'
import { claimIdempotencyKey, completeIdempotencyKey, holdClaim, releaseIdempotencyKey, requestFingerprint } from './http/idempotency'
import { MethodTable } from './http/methods'
import { assertNoRepeatedParameters } from './http/query'
import { redactPath } from './log'
import { apiV1 } from './modules'
import { authRoutes } from './modules/auth'
import { ingressRoutes } from './modules/ingress'
import { metaRoutes } from './modules/meta'
import { settingsPageRoutes } from './ui'

const startedAt = new WeakMap<Request, number>()

function errorResponse(error: ApiError, extraHeaders: Record<string, string | number> = {}): Response {
  const headers = new Headers({ 'content-type': 'application/json; charset=utf-8' })
  for (const [k, v] of Object.entries(extraHeaders)) headers.set(k, String(v))
  for (const [k, v] of Object.entries(error.headers ?? {})) headers.set(k, v)
  return new Response(JSON.stringify(error.toBody()), { status: error.status, headers })
}

interface ElysiaValidationError {
  type?: string
  all?: Array<{ path: string; message: string; summary?: string; value?: unknown; schema?: Record<string, any> }>
}

/** "must be an integer from 1 to 100" from a (query) schema, instead of TypeBox's "Expected union value". */
function expectation(schema: Record<string, any> | undefined): string | null {
  const target = schema?.anyOf ? schema.anyOf[schema.anyOf.length - 1] : schema
  if (!target?.type) return null
  // The query object itself fails only on a parameter it does not know.
  if (target.type === 'object') return 'is not a known parameter'
  if (target.format) return `must be a ${target.format}${target.format === 'date-time' ? ' in ISO 8601 with a time zone' : ''}`
  const kind = target.type === 'integer' ? 'an integer' : target.type === 'number' ? 'a number' : `a ${target.type}`
  const range =
    target.minimum !== undefined && target.maximum !== undefined
      ? ` from ${target.minimum} to ${target.maximum}`
      : target.minimum !== undefined
        ? ` of at least ${target.minimum}`
        : target.maximum !== undefined
          ? ` of at most ${target.maximum}`
          : ''
  return `must be ${kind}${range}`
}

function validationError(error: ElysiaValidationError, request: Request): ApiError {
  const inQuery = error.type === 'query' || error.type === 'property'
  const search = inQuery ? new URL(request.url).searchParams : null
  const details = (error.all ?? []).map((e) => {
    let field = e.path
    // Coerced query values lose their name in Elysia's error; find the parameter that carried the value.
    if (!field && search) {
      const names = [...search.keys()].filter((name) => search.get(name) === String(e.value))
      if (names.length === 1) field = `/${names[0]}`
    }
    // A schema's own `error` text (e.g. "must be one of: low, normal") beats TypeBox's "Expected union value".
    const own = typeof e.schema?.error === 'string' ? e.schema.error : null
    const message = own || (inQuery && expectation(e.schema)) || e.message
    return { field: field || '/', message }
  })
  const where = error.type === 'body' ? 'body' : inQuery ? 'query parameter' : error.type
  const first = details[0]
  return new ApiError('validation_failed', first ? `Invalid ${where} ${first.field}: ${first.message}` : `Invalid ${where}`, details)
}

/** Maps anything thrown to the one error envelope; never leaks a stack trace. */
function toApiError(code: string | number, error: unknown, methods: MethodTable, request: Request): ApiError {
  if (error instanceof ApiError) return error
  switch (code) {
    case 'VALIDATION':
      // A response that fails its own schema is our bug, not the caller's.
      if ((error as ElysiaValidationError).type === 'response') break
      return validationError(error as ElysiaValidationError, request)
    case 'PARSE':
      if ((error as Error).cause instanceof ApiError) return (error as Error).cause as ApiError
      return new ApiError('validation_failed', 'Malformed request body', [{ field: '/', message: 'could not parse' }])
    case 'NOT_FOUND': {
      const path = new URL(request.url).pathname
      const allowed = methods.allowedFor(path)
      if (allowed.length > 0 && !allowed.includes(request.method)) {
        return new ApiError('method_not_allowed', `${request.method} is not allowed on ${path}`, undefined, {
          allow: allowed.join(', '),
        })
      }
      return new ApiError('not_found', `No route for ${request.method} ${redactPath(path)}`)
    }
    case 'INVALID_COOKIE_SIGNATURE':
    case 'INVALID_FILE_TYPE':
      return new ApiError('validation_failed', 'Invalid request')
  }
  return new ApiError('internal_error', 'Something went wrong on our side; the request was not applied')
}

export function createApp(deps: AppDeps) {
  const methods = new MethodTable()
  const app = new Elysia({ normalize: false })
    .onRequest(({ request }) => {
      // The request log is debug-level: at info, no clock read, URL parse or log object per request.
      if (deps.logger.enabled('debug')) startedAt.set(request, performance.now())
    })
    .onParse({ as: 'global' }, ({ request }) => parseJsonBody(request))
    // Before the query is validated: Elysia would keep only the last of repeated values.
    .onTransform({ as: 'global' }, ({ request }) => assertNoRepeatedParameters(request.url))
    .onError({ as: 'global' }, ({ code, error, request, set }) => {
      const apiError = toApiError(code, error, methods, request)
      if (apiError.status >= 500) {
        deps.logger.error('request failed', {
          method: request.method,
          path: redactPath(new URL(request.url).pathname),
          error: error instanceof Error ? error.stack : String(error),
        })
      }
      void releaseIdempotencyKey(deps.db, request).catch(() => {})
      return errorResponse(apiError, set.headers as Record<string, string>)
    })
    .onBeforeHandle({ as: 'global' }, async (ctx) => {
      const { request, body, set } = ctx
      const key = request.headers.get('idempotency-key')
      const principal = (ctx as { principal?: { orgId: string; bucket: string } }).principal
      if (request.method !== 'POST' || key === null || !principal) return
      const path = new URL(request.url).pathname
      const outcome = await claimIdempotencyKey(
        deps.db,
        `${principal.orgId}:${principal.bucket}`,
        key,
        requestFingerprint(request.method, path, body),
        deps.clock.now(),
      )
      if (outcome.kind === 'replay') {
        set.status = outcome.status
        set.headers['idempotent-replayed'] = 'true'
        return outcome.body
      }
      holdClaim(request, outcome.claim)
    })
    .onAfterHandle({ as: 'global' }, async ({ request, response, set }) => {
      const data = (response as { data?: unknown } | undefined)?.data
      if (data && !Array.isArray(data) && typeof (data as { version?: unknown }).version === 'number') {
        set.headers.etag = etagFor((data as { version: number }).version)
      }
      await completeIdempotencyKey(deps.db, request, typeof set.status === 'number' ? set.status : 200, response)
    })
    .onAfterResponse({ as: 'global' }, ({ request, set }) => {
      if (!deps.logger.enabled('debug')) return
      const started = startedAt.get(request)
      deps.logger.debug('request', {
        method: request.method,
        path: redactPath(new URL(request.url).pathname),
        status: set.status,
        ms: started === undefined ? undefined : Math.round((performance.now() - started) * 10) / 10,
      })
    })
    // An explicit return type: `app` is still being built here, and inferring it from itself is circular.
    .use(metaRoutes(deps, (): AnyElysia => app))
    .use(authRoutes(deps))
    .use(ingressRoutes(deps))
    .use(apiV1(deps))
    .use(settingsPageRoutes())
  methods.load(app.routes)
  return app
}

export type App = ReturnType<typeof createApp>
export { ERROR_STATUS }
