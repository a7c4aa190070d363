import { brotliCompressSync, constants } from 'node:zlib'

type Encoding = 'br' | 'gzip' | 'identity'

/** The encoding to send for an `Accept-Encoding` header: br, then gzip, else none (q=0 refuses). */
export function chooseEncoding(acceptEncoding: string | null): Encoding {
  if (!acceptEncoding) return 'identity'
  const accepted = new Map<string, number>()
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    accepted.set(name!, q ? Number(q.slice(2)) || 0 : 1)
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0
  if (ok('br')) return 'br'
  if (ok('gzip')) return 'gzip'
  return 'identity'
}

export interface CompressedAssetOptions {
  contentType: string
  cacheControl: string
  /** Brotli quality: 11 for small bodies; a few MB compress in reasonable time at about 5. */
  brotliQuality?: number
  headers?: Record<string, string>
}

/**
 * A GET handler for a body that never changes while the process runs (the OpenAPI document,
 * the /docs script): `build` runs on the first request, not at start, and each encoding is
 * compressed once, on the first request that asks for it. Sends an `ETag` (of the content,
 * the same for every encoding's bytes as RFC 9110 allows for a weak one) and answers
 * `If-None-Match` with 304.
 */
export function compressedAsset(build: () => string | Uint8Array, options: CompressedAssetOptions) {
  let raw: Uint8Array | undefined
  let etag = ''
  const encoded = new Map<Encoding, Uint8Array>()

  function bytes(encoding: Encoding): Uint8Array {
    if (!raw) {
      const body = build()
      raw = typeof body === 'string' ? new TextEncoder().encode(body) : body
      etag = `W/"${Bun.hash(raw).toString(36)}"`
      encoded.set('identity', raw)
    }
    let out = encoded.get(encoding)
    if (!out) {
      out =
        encoding === 'br'
          ? brotliCompressSync(raw, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: options.brotliQuality ?? 11,
                [constants.BROTLI_PARAM_SIZE_HINT]: raw.byteLength,
              },
            })
          : Bun.gzipSync(raw as Uint8Array<ArrayBuffer>, { level: 9 })
      encoded.set(encoding, out)
    }
    return out
  }

  return ({ request }: { request: Request }): Response => {
    const encoding = chooseEncoding(request.headers.get('accept-encoding'))
    const body = bytes(encoding)
    const headers: Record<string, string> = {
      'content-type': options.contentType,
      'cache-control': options.cacheControl,
      etag,
      vary: 'accept-encoding',
      ...options.headers,
    }
    const ifNoneMatch = request.headers.get('if-none-match')
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
      return new Response(null, { status: 304, headers })
    }
    if (encoding !== 'identity') headers['content-encoding'] = encoding
    return new Response(body as Uint8Array<ArrayBuffer>, { headers })
  }
}
