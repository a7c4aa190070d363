import { Elysia } from 'elysia'
import { bundleSettingsAsset } from './bundle' with { type: 'macro' }

// Inlined at build time by the macro: the compiled binary carries the page, nothing is read from disk.
const SCRIPT: string = bundleSettingsAsset('client/main.ts')
const STYLES: string = bundleSettingsAsset('styles.css')

/** Everything the page loads lives under this prefix, clear of /api, /docs, /openapi.json, /health and /webhooks. */
export const UI_ASSET_PREFIX = '/ui'

const version = (text: string) => Bun.hash(text).toString(36)
const scriptUrl = `${UI_ASSET_PREFIX}/app.js?v=${version(SCRIPT)}`
const stylesUrl = `${UI_ASSET_PREFIX}/app.css?v=${version(STYLES)}`

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d4ed8"/><path d="M9 20v-6l7-5 7 5v6h-4v-4h-6v4z" fill="#fff"/></svg>`

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Crewbase settings</title>
<link rel="icon" href="${UI_ASSET_PREFIX}/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${stylesUrl}">
<script type="module" src="${scriptUrl}"></script>
</head>
<body>
<div id="app"><noscript><p class="page">The settings page needs JavaScript. The API reference is at <a href="/docs">/docs</a>.</p></noscript></div>
</body>
</html>
`

/**
 * The page may load only what this server serves and talk only to this server: the browser itself then
 * enforces "no external assets", and injected markup could not run script or send data elsewhere.
 */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
}

// Asset URLs carry a content hash, so a browser may keep them for good; a new binary changes the URL.
// Compressed once at start: the script and styles shrink to about a third for a slow shop Wi-Fi.
const asset = (body: string, type: string) => {
  const gzipped = Bun.gzipSync(body)
  const headers = {
    'content-type': type,
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
  }
  return ({ request }: { request: Request }) =>
    /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')
      ? new Response(gzipped, { headers: { ...headers, 'content-encoding': 'gzip' } })
      : new Response(body, { headers })
}

/** GET / and its assets: the settings page (PRODUCT.md §5), which uses only the public API. */
export const settingsPageRoutes = () =>
  new Elysia({ normalize: false })
    .get('/', () => new Response(HTML, { headers: PAGE_HEADERS }), { detail: { hide: true } })
    .get(`${UI_ASSET_PREFIX}/app.js`, asset(SCRIPT, 'text/javascript; charset=utf-8'), { detail: { hide: true } })
    .get(`${UI_ASSET_PREFIX}/app.css`, asset(STYLES, 'text/css; charset=utf-8'), { detail: { hide: true } })
    .get(`${UI_ASSET_PREFIX}/icon.svg`, asset(ICON, 'image/svg+xml'), { detail: { hide: true } })
