// Users, ingress URLs, keyboard use and ended sessions on the real page in headless Chromium.
// Not part of `bun test` (the file name does not end in .test.ts): run `npm run test:browser`.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { type RunningServer, runBinary, startBinary, tempDir } from '../helpers/binary'
import { horizontalOverflow, launchChromium, screenshot, type ViewportName, type Visit, visit } from './harness'

const OWNER = { org: 'Acme Plumbing', email: 'owner@acme.example', password: 'correct horse battery' }

let browser: Browser
let server: RunningServer
let ownerKey = ''
beforeAll(async () => {
  const db = `${tempDir()}/crewbase.sqlite`
  const init = runBinary(['init', '--org', OWNER.org, '--email', OWNER.email, '--password', OWNER.password, '--json'], { CREWBASE_DB: db })
  expect(init.code).toBe(0)
  ownerKey = JSON.parse(init.stdout).api_key.key
  server = await startBinary({}, db)
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const api = (path: string, init: RequestInit = {}, token = ownerKey) =>
  fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } })

async function signIn(page: Page, email = OWNER.email, password = OWNER.password) {
  await page.goto(`${server.url}/`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'API keys' }).or(page.getByRole('heading', { level: 1, name: 'Not available to your role' })).waitFor()
}

async function go(page: Page, section: string) {
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: section }).click()
  await page.getByRole('heading', { level: 1, name: section }).waitFor()
}

/** The accessible name of the focused element, as far as a test needs it. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    return (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim()
  })

/** Presses Tab until the element named `name` has focus, as a keyboard user would. */
async function tabTo(page: Page, name: string, limit = 80) {
  for (let i = 0; i < limit; i++) {
    if ((await focusedName(page)) === name) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached “${name}”`)
}

for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
  describe(`users and ingress URLs at ${viewport} width`, () => {
    let v: Visit
    beforeAll(async () => {
      v = await visit(browser, server.url, viewport)
      await signIn(v.page)
    })
    afterAll(async () => {
      await v?.context.close()
    })

    test('adding a user: the API’s message lands on the bad field, then the user is listed', async () => {
      const { page } = v
      await go(page, 'Users')
      const email = `dispatch-${viewport}@acme.example`
      const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add user' }) })
      await form.getByLabel('Email').fill(email)
      await form.getByLabel('Name').fill('Dana Dispatch')
      await form.getByLabel('Password').fill('short')
      await form.getByLabel('Role').selectOption('dispatcher')
      await form.getByRole('button', { name: 'Add user' }).click()
      await form.locator('[aria-invalid="true"]').first().waitFor()
      expect(await form.getByLabel('Password').getAttribute('aria-invalid')).toBe('true')
      expect(await form.getByLabel('Email').getAttribute('aria-invalid')).toBeNull()
      expect(await form.locator('.field-error').textContent()).toContain('8')

      await form.getByLabel('Password').fill('a much longer password')
      await form.getByRole('button', { name: 'Add user' }).click()
      const row = page.getByRole('row').filter({ hasText: email })
      await row.waitFor()
      expect(await row.textContent()).toContain('dispatcher')
      await screenshot(page, viewport, 'users')
      if (viewport === 'phone') expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0)
    })

    test('a taken email is refused with the API’s message at the email field', async () => {
      const { page } = v
      const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add user' }) })
      await form.getByLabel('Email').fill(OWNER.email)
      await form.getByLabel('Password').fill('a much longer password')
      await form.getByRole('button', { name: 'Add user' }).click()
      await form.locator('.field-error').filter({ hasText: 'already in use' }).waitFor()
      expect(await form.getByLabel('Email').getAttribute('aria-invalid')).toBe('true')
      const users = (await (await api('/api/v1/users')).json()).data as Array<{ email: string }>
      expect(users.filter((u) => u.email === OWNER.email)).toHaveLength(1)
    })

    test('changing a user’s role and removing them', async () => {
      const { page } = v
      const email = `dispatch-${viewport}@acme.example`
      await page.getByRole('button', { name: `Edit ${email}` }).click()
      const dialog = page.getByRole('dialog', { name: `Edit ${email}` })
      await dialog.getByLabel('Role').selectOption('crew')
      await dialog.getByRole('button', { name: 'Save changes' }).click()
      await dialog.waitFor({ state: 'detached' })
      const row = page.getByRole('row').filter({ hasText: email })
      await row.filter({ hasText: 'crew' }).waitFor()

      await page.getByRole('button', { name: `Remove ${email}` }).click()
      await page.getByRole('dialog', { name: `Remove ${email}?` }).getByRole('button', { name: 'Remove user' }).click()
      await row.waitFor({ state: 'detached' })
      const users = (await (await api('/api/v1/users')).json()).data as Array<{ email: string }>
      expect(users.map((u) => u.email)).not.toContain(email)
    })

    test('creating an ingress URL shows it once; it takes activities until revoked', async () => {
      const { page } = v
      await go(page, 'Ingress URLs')
      await page.getByLabel('Name').fill(`Phone system ${viewport}`)
      await page.getByRole('button', { name: 'Create URL' }).click()
      const shown = page.getByRole('region', { name: `Ingress URL “Phone system ${viewport}” created` })
      const url = await shown.getByRole('textbox', { name: 'Ingress URL' }).inputValue()
      expect(url).toStartWith(`${server.url}/webhooks/ingress/`)
      await screenshot(page, viewport, 'ingress')
      if (viewport === 'phone') expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0)

      const activity = { title: 'Customer call logged', startTime: '2026-03-02T14:05:00Z' }
      const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) })
      expect((await post()).status).toBe(201)

      await page.getByRole('button', { name: `Revoke ingress URL Phone system ${viewport}` }).click()
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke URL' }).click()
      await page.getByRole('row').filter({ hasText: `Phone system ${viewport}` }).waitFor({ state: 'detached' })
      expect((await post()).status).toBe(404)
    })

    test('the Data page says how long things are kept and how pruning last went', async () => {
      const { page } = v
      await go(page, 'Data')
      const kept = page.getByRole('table', { name: 'How long things are kept' })
      expect(await kept.getByRole('row').filter({ hasText: 'Webhook deliveries' }).textContent()).toContain('30 days')
      expect(await kept.getByRole('row').filter({ hasText: 'Events' }).textContent()).toContain('90 days')
      expect(await page.getByRole('region', { name: 'Pruning' }).textContent()).toContain('0 0 * * * *')
      await screenshot(page, viewport, 'data')
      if (viewport === 'phone') expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0)
    })

    test('the page asked for nothing but the server and threw no errors', () => {
      expect(v.blocked).toEqual([])
      expect(v.pageErrors).toEqual([])
    })
  })
}

describe('with the keyboard only', () => {
  test('sign in, reach a section, and revoke a key through the confirmation dialog', async () => {
    const created = await api('/api/v1/api-keys', { method: 'POST', body: JSON.stringify({ label: 'Keyboard key', permissions: { admin: 'write' } }) })
    const key = (await created.json()).data.key as string
    const v = await visit(browser, server.url, 'desktop')
    const { page } = v
    await page.goto(`${server.url}/`)
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    // The form focuses its first field on arrival.
    await page.keyboard.type(OWNER.email)
    await page.keyboard.press('Tab')
    await page.keyboard.type(OWNER.password)
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor()

    await tabTo(page, 'Revoke key Keyboard key')
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Revoke “Keyboard key”?' })
    await dialog.waitFor()
    expect(await focusedName(page)).toBe('Cancel')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect((await api('/api/v1/users', {}, key)).status).toBe(200)

    await tabTo(page, 'Revoke key Keyboard key')
    await page.keyboard.press('Enter')
    await dialog.waitFor()
    await page.keyboard.press('Tab')
    expect(await focusedName(page)).toBe('Revoke key')
    await page.keyboard.press('Enter')
    await page.getByRole('row').filter({ hasText: 'Keyboard key' }).waitFor({ state: 'detached' })
    expect((await api('/api/v1/users', {}, key)).status).toBe(401)

    await tabTo(page, 'Users')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor()
    // Focus moves to the new page's heading, so the next Tab starts inside it.
    expect(await focusedName(page)).toBe('Users')
    expect(v.pageErrors).toEqual([])
    await v.context.close()
  })
})

describe('sessions', () => {
  test('a session ended elsewhere sends the page back to sign-in with a reason', async () => {
    const v = await visit(browser, server.url, 'desktop')
    const { page } = v
    await signIn(page)
    const token = await page.evaluate(() => sessionStorage.getItem('crewbase.session'))
    expect((await api('/api/auth', { method: 'DELETE' }, token!)).status).toBe(204)
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Users' }).click()
    await page.getByText('Your session ended. Sign in again.').waitFor()
    expect(await page.evaluate(() => sessionStorage.getItem('crewbase.session'))).toBeNull()
    await v.context.close()
  })

  test('a crew member who signs in is told plainly that settings are not for their role', async () => {
    const created = await api('/api/v1/users', {
      method: 'POST',
      body: JSON.stringify({ email: 'crew@acme.example', password: 'crew password 1', role: 'crew' }),
    })
    expect(created.status).toBe(201)
    const v = await visit(browser, server.url, 'desktop')
    await signIn(v.page, 'crew@acme.example', 'crew password 1')
    await v.page.getByRole('heading', { level: 1, name: 'Not available to your role' }).waitFor()
    expect(await v.page.getByRole('alert').textContent()).toContain('Ask an owner or admin')
    await v.context.close()
  })
})
