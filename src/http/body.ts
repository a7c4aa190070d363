import { ApiError } from './errors'

export const MAX_BODY_BYTES = 1024 * 1024

function isJson(contentType: string | null): boolean {
  if (!contentType) return false
  const type = contentType.split(';')[0]!.trim().toLowerCase()
  return type === 'application/json' || type.endsWith('+json')
}

/** Reads at most MAX_BODY_BYTES, so a lying or missing Content-Length cannot make us buffer more. */
async function readLimited(request: Request): Promise<string> {
  const length = request.headers.get('content-length')
  const declared = Number(length ?? '0')
  if (declared > MAX_BODY_BYTES) throw tooLarge()
  if (!request.body) return ''
  // With a Content-Length the server frames the body by it, so Bun's own reader is safe and far
  // cheaper: reading it as a stream was ~10-20 % of POST /api/v1/jobs's JS time over HTTP
  // (bench/profiles/create-after.md, onRSDefaultControllerStartFulfilled). Checked after reading too.
  if (length !== null && /^\d+$/.test(length)) {
    const text = await request.text()
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge()
    return text
  }
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks.push(value)
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks))
}

const tooLarge = () => new ApiError('payload_too_large', `Request body is larger than ${MAX_BODY_BYTES} bytes`)

/**
 * A JSON object with a `toString` or `valueOf` key cannot be turned into a string
 * (`${value}` throws), and Elysia does exactly that when it words a validation error,
 * which would make `{"title":{"toString":1}}` a 500. Such objects get a prototype that
 * converts them as usual; their keys, values and JSON form stay as sent.
 */
const CONVERTIBLE = Object.create(Object.prototype, {
  [Symbol.toPrimitive]: { value: () => '[object Object]' },
})

// Without these words or a \u escape (which could spell them), no key can be one of them: skip the slower reviver.
const mayShadowConversion = (text: string) => text.includes('toString') || text.includes('valueOf') || text.includes('\\u')

function convertibleObjects(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && (Object.hasOwn(value, 'toString') || Object.hasOwn(value, 'valueOf'))) {
    Object.setPrototypeOf(value, CONVERTIBLE)
  }
  return value
}

/**
 * The only body parser: JSON or nothing. An empty body is `{}` so action routes
 * (`POST /jobs/:id/start`) need no body and required fields are reported by name.
 */
export async function parseJsonBody(request: Request): Promise<unknown> {
  const text = await readLimited(request)
  if (text.trim() === '') return {}
  if (!isJson(request.headers.get('content-type'))) {
    throw new ApiError('unsupported_media_type', 'Request body must be JSON (Content-Type: application/json)')
  }
  try {
    return mayShadowConversion(text) ? JSON.parse(text, convertibleObjects) : JSON.parse(text)
  } catch (error) {
    throw new ApiError('validation_failed', `Malformed JSON: ${(error as Error).message}`, [
      { field: '/', message: 'body is not valid JSON' },
    ])
  }
}
