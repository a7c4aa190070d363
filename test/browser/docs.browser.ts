// /docs (Scalar) in headless Chromium against the built binary, with every request off the
// server refused and recorded: the reference must need nothing from the internet and show no
// feature of Scalar's cloud. Not part of `bun test`: run `npm run test:browser`.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { EVENT_TYPE_NAMES } from '../../src/events/catalog'
import { type RunningServer, runBinary, startBinary, tempDir } from '../helpers/binary'
import { launchChromium, screenshot, type Visit, visit } from './harness'

let browser: Browser
let server: RunningServer
let doc: { tags: Array<{ name: string }>; paths: Record<string, Record<string, { tags?: string[] }>> }
beforeAll(async () => {
  const db = `${tempDir()}/crewbase.sqlite`
  expect(runBinary(['init', '--org', 'Acme', '--email', 'owner@acme.example', '--password', 'correct horse battery'], { CREWBASE_DB: db }).code).toBe(0)
  server = await startBinary({}, db)
  doc = await (await fetch(`${server.url}/openapi.json`)).json()
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

/** Words of Scalar's cloud features: AI agent, sharing and deploying the document, its hosted client. */
const CLOUD_FEATURES = ['Ask AI', 'Share', 'Deploy on Scalar', 'Configure', 'Developer Tools', 'Open API Client', 'Generate SDKs']

describe('/docs in Chromium', () => {
  let v: Visit
  beforeAll(async () => {
    v = await visit(browser, server.url, 'desktop')
    await v.page.goto(`${server.url}/docs`)
    await v.page.getByText('Webhook events').first().waitFor()
    // Give it time to make any request it would make on load (the proxy probe, telemetry…).
    await v.page.waitForLoadState('networkidle')
  })
  afterAll(() => v?.context.close())

  test('renders every tag of operations and every webhook event', async () => {
    // textContent: the sidebar keeps collapsed groups in the page, just not shown.
    const read = () => v.page.evaluate(() => document.body.textContent ?? '')
    // Scalar fills the page in after its first paint: wait (up to 15 s) until the last event is there.
    let text = await read()
    for (let i = 0; i < 60 && !EVENT_TYPE_NAMES.every((type) => text.includes(type)); i++) {
      await v.page.waitForTimeout(250)
      text = await read()
    }
    const tags = new Set(Object.values(doc.paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags ?? [])))
    expect(tags.size).toBeGreaterThan(10)
    for (const tag of tags) expect([tag, text.includes(tag)]).toEqual([tag, true])
    for (const type of EVENT_TYPE_NAMES) expect([type, text.includes(type)]).toEqual([type, true])
    await screenshot(v.page, 'desktop', 'docs')
  })

  test('shows no feature that needs Scalar’s cloud', async () => {
    const labels = await v.page.evaluate(() =>
      [...document.querySelectorAll('button, a, [role="button"], [role="menuitem"]')].map((el) => (el.textContent ?? '').trim()),
    )
    for (const feature of CLOUD_FEATURES) expect([feature, labels.some((label) => label.includes(feature))]).toEqual([feature, false])
  })

  test('opening an operation and its try-it panel makes no request off the server', async () => {
    await v.page.getByText('Jobs', { exact: true }).first().click()
    await v.page.getByText('Create a job').first().waitFor()
    const tryIt = v.page.getByRole('button', { name: /Test Request/ }).first()
    await tryIt.click()
    await v.page.waitForLoadState('networkidle')
    expect(v.blocked).toEqual([])
    expect(v.pageErrors).toEqual([])
  })
})
