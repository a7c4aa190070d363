/**
 * The base URL clients reach this server at, for links we hand out (ingress URLs).
 * `CREWBASE_PUBLIC_URL` wins. Otherwise the request decides, honouring the
 * `X-Forwarded-Proto` / `X-Forwarded-Host` a reverse proxy sets: we trust those headers
 * as sent (see README), which is safe because the answer only goes back to the caller
 * who sent them.
 */
export function publicBaseUrl(configured: string | null, request: Request): string {
  if (configured) return configured
  const url = new URL(request.url)
  const proto = firstValue(request.headers.get('x-forwarded-proto'))?.toLowerCase()
  const host = firstValue(request.headers.get('x-forwarded-host')) ?? request.headers.get('host') ?? url.host
  const scheme = proto === 'http' || proto === 'https' ? proto : url.protocol.replace(/:$/, '')
  return `${scheme}://${isHost(host) ? host : url.host}`
}

/** Proxies chained behind each other append: the first value is the one the client used. */
function firstValue(header: string | null): string | undefined {
  const first = header?.split(',', 1)[0]?.trim()
  return first ? first : undefined
}

/** A hostname or IP literal with an optional port: nothing that could bend the URL we build. */
function isHost(value: string): boolean {
  return /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(value) && value.length <= 255
}
