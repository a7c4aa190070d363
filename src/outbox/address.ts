import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

/** Resolves a hostname to its addresses (injectable so tests can play DNS, including rebinding). */
export type HostResolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>

export const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true })

/**
 * Addresses a webhook may never reach unless CREWBASE_WEBHOOK_ALLOW_INSECURE: this host,
 * the private networks around it, and everything not routable on the public internet.
 * IPv4-mapped IPv6 (::ffff:a.b.c.d) is matched against the IPv4 list by BlockList itself;
 * the other IPv6 forms that embed an IPv4 address (NAT64, 6to4, Teredo) are refused whole.
 */
const FORBIDDEN = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv6')
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return false
  return !FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/** A refusal the API shows as 400 on create/update and the attempt log records on send. */
export class AddressRefused extends Error {
  constructor(
    message: string,
    readonly kind: 'url' | 'dns' | 'address',
  ) {
    super(message)
  }
}

export const MAX_URL_LENGTH = 2048

/** The URL's own rules (scheme, credentials, length); resolution is checked separately. */
export function parseWebhookUrl(raw: string, allowInsecure: boolean): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new AddressRefused('is not a valid absolute URL', 'url')
  }
  if (raw.length > MAX_URL_LENGTH) throw new AddressRefused(`must be at most ${MAX_URL_LENGTH} characters`, 'url')
  if (url.protocol !== 'https:' && !(allowInsecure && url.protocol === 'http:')) {
    throw new AddressRefused(allowInsecure ? 'must be an http or https URL' : 'must use https', 'url')
  }
  if (url.username || url.password) throw new AddressRefused('must not contain credentials; use custom headers', 'url')
  if (!url.hostname) throw new AddressRefused('must name a host', 'url')
  return url
}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1')

/**
 * Resolves the URL's host and checks every address it resolves to. The caller connects to
 * the returned address, never to the name again, so DNS cannot answer differently between
 * the check and the connection.
 */
export async function resolveCheckedAddress(
  url: URL,
  options: { allowInsecure: boolean; resolve: HostResolver; timeoutMs?: number },
): Promise<string> {
  const host = bare(url.hostname).replace(/\.$/, '')
  let addresses: string[]
  // RFC 6761: `localhost` and its subdomains are loopback whatever a resolver says.
  if (!options.allowInsecure && (host === 'localhost' || host.endsWith('.localhost'))) {
    throw new AddressRefused(`${host} is a loopback name`, 'address')
  }
  if (isIP(host)) addresses = [host]
  else {
    const timeoutMs = options.timeoutMs ?? 5000
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AddressRefused(`${host} did not resolve within ${timeoutMs} ms`, 'dns')), timeoutMs)
    })
    try {
      const found = await Promise.race([options.resolve(host), timeout])
      addresses = found.map((a) => a.address)
    } catch (error) {
      if (error instanceof AddressRefused) throw error
      throw new AddressRefused(`${host} does not resolve (${(error as { code?: string }).code ?? (error as Error).message})`, 'dns')
    } finally {
      clearTimeout(timer)
    }
    if (addresses.length === 0) throw new AddressRefused(`${host} does not resolve`, 'dns')
  }
  if (!options.allowInsecure) {
    const refused = addresses.find((address) => !isPublicAddress(address))
    if (refused !== undefined) {
      throw new AddressRefused(
        `${host === refused ? refused : `${host} resolves to ${refused}, which`} is not a public internet address (loopback, private, link-local and similar are refused)`,
        'address',
      )
    }
  }
  return addresses[0]!
}

/** The URL with its host replaced by the checked address (IPv6 in brackets), for the connection. */
export function pinnedUrl(url: URL, address: string): string {
  const host = isIP(address) === 6 ? `[${address}]` : address
  const port = url.port ? `:${url.port}` : ''
  return `${url.protocol}//${host}${port}${url.pathname}${url.search}`
}
