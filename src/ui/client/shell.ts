import { logo } from './components'
import { ApiFailure } from './api'
import { type Child, h, replaceChildren } from './dom'
import { button } from './forms'
import { apiKeysPage } from './pages/api-keys'
import { dataPage } from './pages/data'
import { ingressPage } from './pages/ingress'
import { usersPage } from './pages/users'
import { webhookDetailPage } from './pages/webhook-detail'
import { webhookFormPage } from './pages/webhook-form'
import { webhooksPage } from './pages/webhooks'

export interface Me {
  user: { id: string; email: string; name: string | null; role: string }
  org: { id: string; name: string }
}

/** What a page gets: where to draw, who is signed in, and whether it is still the page on screen. */
export interface PageContext {
  main: HTMLElement
  me: Me
  current: () => boolean
}

type PageRenderer = (ctx: PageContext, ...params: string[]) => Promise<void> | void

const SECTIONS = [
  { hash: '#/api-keys', label: 'API keys' },
  { hash: '#/webhooks', label: 'Webhooks' },
  { hash: '#/ingress', label: 'Ingress URLs' },
  { hash: '#/users', label: 'Users' },
  { hash: '#/data', label: 'Data' },
] as const

const ROUTES: Array<[RegExp, PageRenderer]> = [
  [/^#\/api-keys$/, apiKeysPage],
  [/^#\/webhooks$/, webhooksPage],
  [/^#\/webhooks\/new$/, (ctx) => webhookFormPage(ctx, null)],
  [/^#\/webhooks\/([^/]+)\/edit$/, (ctx, id) => webhookFormPage(ctx, id ?? null)],
  [/^#\/webhooks\/([^/]+)$/, webhookDetailPage],
  [/^#\/ingress$/, ingressPage],
  [/^#\/users$/, usersPage],
  [/^#\/data$/, dataPage],
]

/** Header, navigation and the hash router; everything is one page, so the server only ever serves `/`. */
export function renderShell(root: HTMLElement, me: Me, signOut: () => Promise<void>) {
  const main = h('main', { id: 'main', class: 'page', tabindex: '-1' })
  const links = SECTIONS.map((s) => h('a', { href: s.hash }, s.label))
  replaceChildren(
    root,
    h('a', { class: 'skip', href: '#main', onclick: skipToMain }, 'Skip to content'),
    h(
      'header',
      { class: 'top' },
      h('div', { class: 'brand' }, logo(), h('span', null, me.org.name)),
      h('nav', { 'aria-label': 'Settings' }, h('ul', null, links.map((a) => h('li', null, a)))),
      h(
        'div',
        { class: 'account' },
        h('span', { class: 'who' }, me.user.email, ' · ', me.user.role),
        button('Sign out', { onclick: () => void signOut() }),
      ),
    ),
    main,
    h('div', { id: 'notice', class: 'notice', role: 'status', 'aria-live': 'polite' }),
  )

  let renderCount = 0
  const route = async (focus: boolean) => {
    const hash = location.hash || '#/api-keys'
    const match = ROUTES.map(([pattern, render]) => ({ m: pattern.exec(hash), render })).find((r) => r.m)
    if (!match?.m) return void (location.hash = '#/api-keys')
    const mine = ++renderCount
    for (const a of links) {
      const active = hash === a.getAttribute('href') || hash.startsWith(`${a.getAttribute('href')}/`)
      if (active) a.setAttribute('aria-current', 'page')
      else a.removeAttribute('aria-current')
    }
    replaceChildren(main, h('p', { class: 'loading' }, 'Loading…'))
    try {
      await match.render({ main, me, current: () => mine === renderCount }, ...match.m.slice(1).map(decodeURIComponent))
    } catch (error) {
      if (mine === renderCount) replaceChildren(main, ...failedPage(error, me))
    }
    // Move focus to the new page's heading so keyboard and screen-reader users start at the top of it.
    if (focus && mine === renderCount) main.querySelector<HTMLElement>('h1')?.focus()
  }
  window.onhashchange = () => void route(true)
  void route(false)
}

function skipToMain(event: Event) {
  event.preventDefault()
  document.getElementById('main')?.focus()
}

/** A page that could not load: a role without access is told so plainly, anything else gets the API's message. */
function failedPage(error: unknown, me: Me): Child[] {
  if (error instanceof ApiFailure && error.status === 403) {
    return [
      h('h1', { tabindex: '-1' }, 'Not available to your role'),
      h('p', { role: 'alert' }, `As ${me.user.role} you cannot manage this. Ask an owner or admin of ${me.org.name}.`),
    ]
  }
  if (error instanceof ApiFailure && error.status === 404) {
    return [h('h1', { tabindex: '-1' }, 'Not found'), h('p', { role: 'alert' }, error.message), h('p', null, h('a', { href: '#/api-keys' }, 'Back to settings'))]
  }
  return [h('h1', { tabindex: '-1' }, 'Something went wrong'), h('p', { role: 'alert' }, (error as Error).message)]
}
