// Drives the real settings page in headless Chromium against the compiled binary.
// Not part of `bun test` (the file name does not end in .test.ts): run `npm run test:browser`.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createHmac } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { type RunningServer, startBinary, tempDir } from '../helpers/binary'
import { horizontalOverflow, launchChromium, screenshot, startReceiver, type ViewportName, type Visit, visit } from './harness'

const OWNER = { org: 'Acme Plumbing', email: 'owner@acme.example', password: 'correct horse battery' }

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** The verification snippet of PRODUCT.md §3, as a subscriber would write it. */
function verify(body: string, header: string, secret: string) {
  const fields = Object.fromEntries(header.split(',').map((kv) => kv.split('=')))
  const mac = createHmac('sha256', secret).update(`${fields.t}.${body}`).digest('hex')
  return fields.v1 === mac
}

async function expectNoSidewaysScroll(page: Page, viewport: ViewportName) {
  if (viewport === 'phone') expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0)
}

async function go(page: Page, section: string) {
  const nav = page.getByRole('navigation', { name: 'Settings' })
  await nav.getByRole('link', { name: section }).click()
  await page.getByRole('heading', { level: 1, name: section }).waitFor()
}

function flow(viewport: ViewportName) {
  describe(`a shop owner at ${viewport} width`, () => {
    let server: RunningServer
    let receiver: ReturnType<typeof startReceiver>
    let v: Visit
    let page: Page
    let apiKey = ''
    const api = (path: string, init: RequestInit = {}, token = apiKey) =>
      fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } })

    beforeAll(async () => {
      receiver = startReceiver()
      server = await startBinary({ CREWBASE_WEBHOOK_ALLOW_INSECURE: 'true' }, `${tempDir()}/crewbase.sqlite`)
      v = await visit(browser, server.url, viewport)
      page = v.page
    })
    afterAll(async () => {
      await v?.context.close()
      await server?.stop()
      receiver?.stop()
    })

    test('a fresh server shows the first-run form, and its errors sit next to their fields', async () => {
      await page.goto(`${server.url}/`)
      await page.getByRole('heading', { name: 'Set up Crewbase' }).waitFor()
      await screenshot(page, viewport, 'first-run')
      await page.getByLabel('Organization name').fill(OWNER.org)
      await page.getByLabel('Owner email').fill('not-an-email')
      await page.getByLabel('Password').fill('short')
      await page.getByRole('button', { name: 'Create organization' }).click()
      const email = page.getByLabel('Owner email')
      await page.locator('#' + (await email.getAttribute('id')) + '[aria-invalid="true"]').waitFor()
      // The API's own message, tied to the input so a screen reader reads it with the field.
      const describedBy = (await email.getAttribute('aria-describedby'))!.split(' ')
      const messages = await Promise.all(describedBy.map((id) => page.locator(`#${id}`).textContent()))
      expect(messages.join(' ')).toContain('email')
      expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true')
      expect(await page.getByLabel('Organization name').getAttribute('aria-invalid')).toBeNull()
      await expectNoSidewaysScroll(page, viewport)
    })

    test('completing it creates the organization and signs the owner in', async () => {
      await page.getByLabel('Owner email').fill(OWNER.email)
      await page.getByLabel('Password').fill(OWNER.password)
      await page.getByRole('button', { name: 'Create organization' }).click()
      await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor()
      await expect(page.getByRole('banner').textContent()).resolves.toContain(OWNER.org)
      const setup = await (await fetch(`${server.url}/api/setup`)).json()
      expect(setup).toEqual({ data: { needed: false } })
    })

    test('creating an API key shows it once, with a copy button and a warning', async () => {
      await page.getByLabel('Label').fill('CRM sync')
      await page.getByRole('radio', { name: 'jobs: write' }).check()
      await page.getByRole('radio', { name: 'clients: read' }).check()
      await page.getByRole('radio', { name: 'webhooks: read' }).check()
      await page.getByRole('button', { name: 'Create key' }).click()
      const shown = page.getByRole('region', { name: 'Key “CRM sync” created' })
      await shown.waitFor()
      await expect(shown.textContent()).resolves.toContain('only time the full key is shown')
      apiKey = await shown.getByRole('textbox', { name: 'API key' }).inputValue()
      expect(apiKey).toMatch(/^cb_live_[A-Za-z0-9]{32,}$/)
      await shown.getByRole('button', { name: 'Copy API key' }).click()
      await shown.getByRole('status').filter({ hasText: 'Copied' }).waitFor()
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(apiKey)

      const row = page.getByRole('row').filter({ hasText: 'CRM sync' })
      await expect(row.textContent()).resolves.toContain('write: jobs · read: clients, webhooks')
      await expect(row.textContent()).resolves.toContain(apiKey.slice(0, 12))
      await screenshot(page, viewport, 'api-key-created')
      await expectNoSidewaysScroll(page, viewport)
    })

    test('the key works against the API with exactly the permissions chosen', async () => {
      expect((await api('/api/v1/jobs')).status).toBe(200)
      expect((await api('/api/v1/clients')).status).toBe(200)
      expect((await api('/api/v1/clients', { method: 'POST', body: JSON.stringify({ name: 'Nope' }) })).status).toBe(403)
      expect((await api('/api/v1/webhooks')).status).toBe(200)
      expect((await api('/api/v1/users')).status).toBe(403)
      expect((await api('/api/v1/api-keys')).status).toBe(403)
      await page.reload()
      await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor()
      const row = page.getByRole('row').filter({ hasText: 'CRM sync' })
      await expect(row.textContent()).resolves.not.toContain('never')
    })

    let secret = ''
    test('adding a webhook endpoint shows its signing secret once', async () => {
      await go(page, 'Webhooks')
      await page.getByRole('link', { name: 'Add endpoint' }).click()
      await page.getByRole('heading', { level: 1, name: 'Add a webhook endpoint' }).waitFor()
      await page.getByLabel('Endpoint URL').fill(receiver.url)
      await page.getByLabel('Description').fill('Office dashboard')
      await page.getByLabel('All events —').uncheck()
      await page.getByLabel('job.created').check()
      await page.getByLabel('All invoice events').check()
      await page.getByRole('button', { name: 'Add header' }).click()
      await page.getByLabel('Header 1 name').fill('X-Receiver-Token')
      await page.getByLabel('Header 1 value').fill('s3cret-token')
      await page.getByLabel('Debounce (seconds)').fill('5')
      await page.getByLabel('Rate limit (deliveries per second)').fill('20')
      // A filter the API refuses: its message lands next to the filter box, nothing is created.
      await page.getByLabel('Payload filter').fill('{"data.object.total_cents": {"$regex": "^1"}}')
      await page.getByRole('button', { name: 'Add endpoint' }).click()
      const filterField = page.locator('[data-field="/filter"]')
      await expect(filterField.locator('.field-error').textContent()).resolves.toContain('unknown operator $regex')
      expect(await (await api('/api/v1/webhooks')).json()).toMatchObject({ data: [] })
      await page.getByLabel('Payload filter').fill('{not json')
      await page.getByRole('button', { name: 'Add endpoint' }).click()
      await expect(filterField.locator('.field-error').textContent()).resolves.toContain('is not valid JSON')
      await page.getByRole('button', { name: 'Use the example' }).click()
      expect(await page.getByLabel('Payload filter').inputValue()).toContain('"$gte": 100000')
      // What the delivery test below sends (job.created) must pass: jobs, or big paid invoices.
      await page.getByLabel('Payload filter').fill('{"$or": [{"type": {"$startsWith": "job."}}, {"data.object.total_cents": {"$gte": 100000}}]}')
      await screenshot(page, viewport, 'webhook-form')
      await expectNoSidewaysScroll(page, viewport)
      await page.getByRole('button', { name: 'Add endpoint' }).click()

      await page.getByRole('heading', { level: 1, name: 'Webhook endpoint' }).waitFor()
      const shown = page.getByRole('region', { name: 'Endpoint added' })
      secret = await shown.getByRole('textbox', { name: 'Signing secret' }).inputValue()
      expect(secret).toMatch(/^whsec_/)
      const summary = await page.locator('dl.summary').textContent()
      expect(summary).toContain(receiver.url)
      expect(summary).toContain('X-Receiver-Token')

      const listed = (await (await api('/api/v1/webhooks')).json()).data
      expect(listed).toHaveLength(1)
      expect(listed[0].events.sort()).toEqual(['invoice.*', 'job.created'])
      expect(listed[0].debounce_seconds).toBe(5)
      expect(listed[0].rate_limit_per_second).toBe(20)
      expect(listed[0].filter).toEqual({ $or: [{ type: { $startsWith: 'job.' } }, { 'data.object.total_cents': { $gte: 100000 } }] })
    })

    test('Test sends webhook.test and shows the status code, duration and response', async () => {
      await page.getByRole('button', { name: 'Send test event' }).click()
      const result = page.locator('.test-result .attempt')
      await result.waitFor()
      const text = (await result.textContent()) ?? ''
      expect(text).toContain('delivered')
      expect(text).toContain('200')
      expect(text).toMatch(/\d+ ms/)
      expect(text).toContain('test receiver')
      await screenshot(page, viewport, 'webhook-test')
      await expectNoSidewaysScroll(page, viewport)

      const delivery = receiver.received.find((r) => r.headers.get('x-crewbase-event') === 'webhook.test')!
      expect(delivery).toBeDefined()
      expect(delivery.headers.get('x-receiver-token')).toBe('s3cret-token')
      expect(verify(delivery.body, delivery.headers.get('x-crewbase-signature')!, secret)).toBe(true)
    })

    test('a job created with the key reaches the endpoint and shows in its delivery log', async () => {
      const created = await api('/api/v1/jobs', { method: 'POST', body: JSON.stringify({ title: 'Replace boiler valve' }) })
      expect(created.status).toBe(201)
      for (let i = 0; i < 100 && !receiver.received.some((r) => r.headers.get('x-crewbase-event') === 'job.created'); i++) await Bun.sleep(50)
      const delivery = receiver.received.find((r) => r.headers.get('x-crewbase-event') === 'job.created')!
      expect(JSON.parse(delivery.body).data.object.title).toBe('Replace boiler valve')
      expect(verify(delivery.body, delivery.headers.get('x-crewbase-signature')!, secret)).toBe(true)
      await page.reload()
      const log = page.getByRole('region', { name: 'Delivery log' })
      await log.getByRole('article', { name: 'job.created delivery, succeeded' }).waitFor()
    })

    test('the delivery log lists the test delivery, opens its attempts and redelivers it', async () => {
      const log = page.getByRole('region', { name: 'Delivery log' })
      const item = log.getByRole('article', { name: 'webhook.test delivery, succeeded' })
      await item.waitFor()
      await item.getByRole('button', { name: /Show attempts/ }).click()
      const attempt = item.locator('.attempt')
      await attempt.first().waitFor()
      expect(await attempt.first().textContent()).toContain('#1 (test)')

      const before = receiver.received.length
      await item.getByRole('button', { name: /Redeliver/ }).click()
      await page.getByRole('status').filter({ hasText: 'Redelivery queued' }).waitFor()
      for (let i = 0; i < 100 && receiver.received.length === before; i++) await Bun.sleep(50)
      const [first, again] = receiver.received.filter((r) => r.headers.get('x-crewbase-event') === 'webhook.test')
      expect(again?.headers.get('x-crewbase-delivery')).toBe(first!.headers.get('x-crewbase-delivery')!)

      await log.getByLabel('Status').selectOption('failed')
      await log.getByText('No deliveries with this status.').waitFor()
      await log.getByLabel('Status').selectOption('')
      await item.getByRole('button', { name: /Show attempts/ }).click()
      await item.locator('.attempt').nth(1).waitFor()
      expect(await item.locator('.attempt').nth(1).textContent()).toContain('#2 (manual)')
      await screenshot(page, viewport, 'webhook-deliveries')
      await expectNoSidewaysScroll(page, viewport)
    })

    test('editing, disabling and rotating the secret of an endpoint', async () => {
      await page.getByRole('link', { name: 'Edit' }).click()
      await page.getByRole('heading', { level: 1, name: 'Edit endpoint' }).waitFor()
      expect(await page.getByLabel('job.created').isChecked()).toBe(true)
      expect(await page.getByLabel('Header 1 value').inputValue()).toBe('s3cret-token')
      await page.getByLabel('Description').fill('Office dashboard (wall screen)')
      await page.getByLabel('Debounce (seconds)').fill('301')
      await page.getByRole('button', { name: 'Save changes' }).click()
      const debounce = page.getByLabel('Debounce (seconds)')
      await page.locator(`#${await debounce.getAttribute('id')}[aria-invalid="true"]`).waitFor()
      await debounce.fill('0')
      await page.getByRole('button', { name: 'Save changes' }).click()
      await page.getByRole('heading', { level: 1, name: 'Webhook endpoint' }).waitFor()
      await page.locator('dl.summary').filter({ hasText: 'wall screen' }).waitFor()

      await page.getByRole('button', { name: 'Disable' }).click()
      await page.locator('dl.summary').filter({ hasText: 'Disabled' }).waitFor()
      expect((await (await api('/api/v1/webhooks')).json()).data[0].enabled).toBe(false)
      await page.getByRole('button', { name: 'Enable' }).click()
      await page.locator('dl.summary').filter({ hasText: 'Enabled' }).waitFor()

      await page.getByRole('button', { name: 'Rotate secret' }).click()
      await page.getByRole('dialog', { name: 'Rotate the signing secret?' }).getByRole('button', { name: 'Rotate secret' }).click()
      const rotated = await page.getByRole('region', { name: 'New signing secret' }).getByRole('textbox', { name: 'Signing secret' }).inputValue()
      expect(rotated).toMatch(/^whsec_/)
      expect(rotated).not.toBe(secret)
    })

    test('a failing receiver shows up in the Test result and in the endpoint list’s health', async () => {
      await go(page, 'Webhooks')
      await page.getByRole('link', { name: 'Add endpoint' }).click()
      await page.getByLabel('Endpoint URL').fill(receiver.failingUrl)
      await page.getByRole('button', { name: 'Add endpoint' }).click()
      await page.getByRole('button', { name: 'Send test event' }).click()
      const result = page.locator('.test-result .attempt')
      await result.waitFor()
      const text = (await result.textContent()) ?? ''
      expect(text).toContain('failed')
      expect(text).toContain('500')
      expect(text).toContain('receiver is down')

      await go(page, 'Webhooks')
      const row = page.getByRole('row').filter({ hasText: receiver.failingUrl })
      await expect(row.textContent()).resolves.toContain('1 failure in a row')
      await expect(page.getByRole('row').filter({ hasText: receiver.url }).textContent()).resolves.toContain('100% succeeded')
      await screenshot(page, viewport, 'webhooks')
      await expectNoSidewaysScroll(page, viewport)
    })

    test('revoking the key asks first, and the key is refused from then on', async () => {
      await go(page, 'API keys')
      await page.getByRole('button', { name: 'Revoke key CRM sync' }).click()
      const dialog = page.getByRole('dialog', { name: 'Revoke “CRM sync”?' })
      await dialog.waitFor()
      await dialog.getByRole('button', { name: 'Revoke key' }).click()
      await page.getByText('No active API keys yet.').waitFor()
      const after = await api('/api/v1/webhooks')
      expect(after.status).toBe(401)
    })

    test('signing out ends the session; signing in again works', async () => {
      const token = await page.evaluate(() => sessionStorage.getItem('crewbase.session'))
      expect(token).toBeTruthy()
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.getByRole('heading', { name: 'Sign in' }).waitFor()
      expect((await api('/api/auth', {}, token!)).status).toBe(401)
      await screenshot(page, viewport, 'sign-in')

      await page.getByLabel('Email').fill(OWNER.email)
      await page.getByLabel('Password').fill('wrong password')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('alert').filter({ hasText: 'Email or password is wrong' }).waitFor()
      await page.getByLabel('Password').fill(OWNER.password)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor()
    })

    test('the page never asked for anything but the server, and threw no errors', () => {
      expect(v.blocked).toEqual([])
      expect(v.pageErrors).toEqual([])
    })
  })
}

flow('desktop')
flow('phone')
