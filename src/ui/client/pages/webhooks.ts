import { api, listAll } from '../api'
import { badge, dataTable, emptyState, notice } from '../components'
import { type Child, h, replaceChildren } from '../dom'
import { button } from '../forms'
import { percent, plural, when } from '../format'
import type { PageContext } from '../shell'
import type { Webhook } from '../types'
import { pageHeading, section } from './common'

export const MAX_ENDPOINTS = 5

export function eventsSummary(events: string[]): string {
  if (events.includes('*')) return 'All events'
  if (events.length <= 3) return events.join(', ')
  return `${plural(events.length, 'event')}: ${events.slice(0, 2).join(', ')}…`
}

export function statusBadge(w: Webhook): Child {
  return w.enabled ? badge('Enabled', 'ok') : badge('Disabled', 'muted')
}

/** Success rate, failures in a row and what happens next: enough to see a broken receiver at a glance. */
export function healthSummary(w: Webhook): Child {
  const hl = w.health
  const failing = hl.consecutive_failures > 0
  return h(
    'div',
    { class: 'health' },
    hl.success_rate === null
      ? h('span', null, 'No attempts in 24 h')
      : h('span', null, h('strong', null, percent(hl.success_rate)), ' succeeded (24 h)'),
    failing
      ? h('span', { class: 'bad-text' }, `${plural(hl.consecutive_failures, 'failure')} in a row`, hl.failing_since ? [' since ', when(hl.failing_since)] : null)
      : hl.last_success_at
        ? h('span', null, 'Last success ', when(hl.last_success_at))
        : null,
    hl.next_attempt_at ? h('span', null, 'Next attempt ', when(hl.next_attempt_at)) : null,
    hl.skipped > 0 ? h('span', { class: 'warn-text' }, `${plural(hl.skipped, 'skipped delivery', 'skipped deliveries')} kept — recover sends them`) : null,
    w.disabled_reason ? h('span', { class: 'bad-text' }, 'Disabled by Crewbase: ', w.disabled_reason) : null,
  )
}

/** PATCH {enabled}; If-Match so a change made elsewhere meanwhile is reported, not overwritten. */
export async function setEnabled(w: Webhook, enabled: boolean) {
  await api('PATCH', `/api/v1/webhooks/${encodeURIComponent(w.id)}`, { enabled }, { 'if-match': `"v${w.version}"` })
  notice(enabled ? 'Endpoint enabled.' : 'Endpoint disabled: nothing is sent to it until you enable it again.')
}

export async function webhooksPage(ctx: PageContext) {
  const list = h('div')
  const addLink = h('a', { href: '#/webhooks/new', class: 'button primary' }, 'Add endpoint')
  const load = async () => {
    const hooks = await listAll<Webhook>('/api/v1/webhooks')
    if (!ctx.current()) return
    addLink.hidden = hooks.length >= MAX_ENDPOINTS
    replaceChildren(
      list,
      hooks.length ? endpointsTable(hooks, load) : emptyState('No endpoints yet. Add one to hear about jobs, invoices and more as they happen.'),
      hooks.length >= MAX_ENDPOINTS ? h('p', { class: 'hint' }, `An organization can have ${MAX_ENDPOINTS} endpoints; delete one to add another.`) : null,
    )
  }
  await load()
  if (!ctx.current()) return
  replaceChildren(
    ctx.main,
    pageHeading('Webhooks', addLink),
    h(
      'p',
      { class: 'lead' },
      'Crewbase POSTs a signed JSON event to each endpoint when something happens. Failed deliveries are retried after 1, 5 and 30 minutes.',
    ),
    section('Endpoints', list),
  )
}

function endpointsTable(hooks: Webhook[], reload: () => Promise<void>) {
  return dataTable(
    'Webhook endpoints',
    ['Endpoint', 'Events', 'Status', 'Health', ''],
    hooks.map((w) => [
      h(
        'div',
        null,
        h('a', { href: `#/webhooks/${encodeURIComponent(w.id)}`, class: 'url' }, w.url),
        w.description ? h('div', { class: 'hint' }, w.description) : null,
      ),
      eventsSummary(w.events),
      statusBadge(w),
      healthSummary(w),
      h(
        'div',
        { class: 'row-actions' },
        h('a', { href: `#/webhooks/${encodeURIComponent(w.id)}`, class: 'button', 'aria-label': `Open ${w.url}` }, 'Open'),
        button(w.enabled ? 'Disable' : 'Enable', {
          'aria-label': `${w.enabled ? 'Disable' : 'Enable'} ${w.url}`,
          onclick: async () => {
            try {
              await setEnabled(w, !w.enabled)
            } catch (error) {
              notice((error as Error).message, 'error')
            }
            await reload()
          },
        }),
      ),
    ]),
  )
}
