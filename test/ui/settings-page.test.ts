import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { gunzipSync } from 'node:zlib'
import { createTestApp } from '../helpers/app'
import { type RunningServer, startBinary, tempDir } from '../helpers/binary'

let ctx: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  ctx = await createTestApp()
})

const get = (path: string, headers: Record<string, string> = {}) =>
  ctx.app.handle(new Request(`http://localhost${path}`, { headers }))

/** The asset URLs the page's HTML refers to (stylesheet, script, icon). */
function assetUrls(html: string): string[] {
  return [...html.matchAll(/<(?:link|script)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
}

describe('GET / (the settings page)', () => {
  test('answers HTML that loads one script and one stylesheet from this server', async () => {
    const res = await get('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await res.text()
    expect(html).toContain('<script type="module" src="/ui/app.js?v=')
    expect(html).toContain('<link rel="stylesheet" href="/ui/app.css?v=')
    for (const url of assetUrls(html)) expect(url.startsWith('/')).toBe(true)
  })

  test('forbids the page any source but this server (Content-Security-Policy)', async () => {
    const csp = (await get('/')).headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    for (const directive of ["script-src 'self'", "style-src 'self'", "connect-src 'self'", "img-src 'self'", "frame-ancestors 'none'"]) {
      expect(csp).toContain(directive)
    }
  })

  test('every asset it references is served, with the type a browser needs', async () => {
    const html = await (await get('/')).text()
    const types: Record<string, string> = { js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml' }
    for (const url of assetUrls(html)) {
      const res = await get(url)
      expect(res.status).toBe(200)
      const ext = new URL(url, 'http://x').pathname.split('.').pop()!
      expect(res.headers.get('content-type')).toStartWith(types[ext]!)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    }
  })

  test('the stylesheet pulls in nothing (no @import, no url())', async () => {
    const css = await (await get('/ui/app.css')).text()
    expect(css.length).toBeGreaterThan(1000)
    expect(css).not.toMatch(/@import|url\(/)
  })

  test('the script carries the event catalog and permission list it was built from', async () => {
    const js = await (await get('/ui/app.js')).text()
    expect(js).toContain('place.checkout')
    expect(js).toContain('pricebook')
    expect(js).not.toMatch(/\bimport\s*\(|from\s*["']http/)
  })

  test('the script stays small and carries no server code (the catalog import pulls in nothing else)', async () => {
    const js = await (await get('/ui/app.js')).text()
    expect(js.length).toBeLessThan(60_000)
    expect(js).not.toMatch(/elysia|kysely|bun:sqlite|process\.env/i)
  })

  test('assets are sent gzipped to browsers that accept it, and the bytes are the same', async () => {
    const plain = await (await get('/ui/app.js')).text()
    const res = await get('/ui/app.js', { 'accept-encoding': 'gzip, deflate, br' })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('vary')).toBe('accept-encoding')
    const unzipped = gunzipSync(Buffer.from(await res.arrayBuffer())).toString()
    expect(unzipped).toBe(plain)
  })

  test('the HTML is revalidated on every visit while hashed assets are cached for good', async () => {
    expect((await get('/')).headers.get('cache-control')).toBe('no-cache')
    expect((await get('/ui/app.js')).headers.get('cache-control')).toContain('immutable')
  })

  test('another method on / is 405 with Allow: GET', async () => {
    const res = await ctx.call('POST', '/', { body: {} })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toContain('GET')
  })

  test('the page leaves the API, docs, health and ingress paths alone', async () => {
    expect((await ctx.call('GET', '/health')).body).toEqual({ status: 'ok' })
    expect((await ctx.call('GET', '/api/setup')).body).toEqual({ data: { needed: true } })
    expect((await ctx.call('GET', '/openapi.json')).body.openapi).toStartWith('3.1')
    expect((await ctx.call('GET', '/api/v1/nothing-here')).status).toBe(404)
    const docPaths = Object.keys((await ctx.call('GET', '/openapi.json')).body.paths)
    expect(docPaths.filter((p) => p === '/' || p.startsWith('/ui/'))).toEqual([])
  })
})

describe('the compiled binary', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startBinary({}, `${tempDir()}/crewbase.sqlite`)
  })
  afterAll(async () => {
    await server?.stop()
  })

  test('serves the settings page and its script from inside the binary', async () => {
    const html = await (await fetch(`${server.url}/`)).text()
    expect(html).toContain('Crewbase settings')
    const scriptUrl = assetUrls(html).find((u) => u.startsWith('/ui/app.js'))!
    const js = await fetch(`${server.url}${scriptUrl}`)
    expect(js.status).toBe(200)
    expect(await js.text()).toBe(await (await get(scriptUrl)).text())
  })
})
