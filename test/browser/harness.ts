import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { ROOT } from '../helpers/binary'

/** Debian's chromium package; never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 375, height: 812 },
} as const
export type ViewportName = keyof typeof VIEWPORTS

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's package with \`apt-get install -y chromium\` (.ci/run does)`)
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}

export interface Visit {
  context: BrowserContext
  page: Page
  /** Requests the page tried to make to anywhere but the server (all were refused). */
  blocked: string[]
  /** Uncaught errors in the page's script. */
  pageErrors: string[]
}

/**
 * A fresh browser profile whose network reaches only `serverUrl`: every other request is aborted and noted,
 * so a passing test proves the page needs nothing from the internet.
 */
export async function visit(browser: Browser, serverUrl: string, viewport: ViewportName): Promise<Visit> {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport], serviceWorkers: 'block' })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serverUrl })
  const blocked: string[] = []
  const origin = new URL(serverUrl).origin
  await context.route('**/*', (route) => {
    const url = route.request().url()
    if (new URL(url).origin === origin) return route.continue()
    blocked.push(url)
    return route.abort('blockedbyclient')
  })
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.setDefaultTimeout(10_000)
  return { context, page, blocked, pageErrors }
}

/** Width of the page's content beyond the viewport (0 when nothing scrolls sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
}

/** Saves a full-page PNG under docs/screenshots when run as `npm run screenshots`. */
export async function screenshot(page: Page, viewport: ViewportName, name: string) {
  if (!process.env.CREWBASE_SCREENSHOTS) return
  const dir = join(ROOT, 'docs', 'screenshots')
  mkdirSync(dir, { recursive: true })
  // A fixed toast lands mid-page in a full-page capture; leave it out of the picture.
  await page.evaluate(() => {
    const toast = document.getElementById('notice')
    if (toast) toast.textContent = ''
  })
  await page.screenshot({ path: join(dir, `${viewport}-${name}.png`), fullPage: true })
  // A full-page capture stretches the viewport for a moment and Chromium re-lays the page out only at the next
  // focus change, which would move the target of the next click between mousedown and mouseup. Settle it now.
  await page.evaluate(() => {
    const focused = document.activeElement as HTMLElement | null
    focused?.blur()
    focused?.focus()
    return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
  })
}

export interface Received {
  headers: Headers
  body: string
}

/**
 * A webhook receiver on loopback that records what it gets. `url` answers 200 with a recognisable body;
 * `failingUrl` answers 500, as a receiver that is down would.
 */
export function startReceiver() {
  const received: Received[] = []
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      received.push({ headers: request.headers, body: await request.text() })
      if (new URL(request.url).pathname.endsWith('/fail')) return new Response('receiver is down', { status: 500 })
      return new Response('{"ok":true,"from":"test receiver"}', { headers: { 'content-type': 'application/json' } })
    },
  })
  const base = `http://127.0.0.1:${server.port}/hooks`
  return { url: `${base}/crewbase`, failingUrl: `${base}/fail`, received, stop: () => server.stop(true) }
}
