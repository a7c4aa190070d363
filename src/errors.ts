/** The one error type and its code → status map; http/ turns it into the error envelope. */
export const ERROR_STATUS = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal_error: 500,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

export interface ErrorDetail {
  field: string
  message: string
}

/** The one error type: thrown anywhere, turned into the `{error:{code,message,details?}}` envelope. */
export class ApiError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message)
    this.status = ERROR_STATUS[code]
  }

  toBody() {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } }
  }
}

export const notFound = (what: string) => new ApiError('not_found', `${what} not found`)
export const conflict = (message: string) => new ApiError('conflict', message)
export const invalid = (field: string, message: string) =>
  new ApiError('validation_failed', `${field.replace(/^\//, '')}: ${message}`, [{ field, message }])
