import { api, type Page } from '../api'
import { confirmDialog, emptyState, notice, shownOnce } from '../components'
import { type Child, h, replaceChildren, uid } from '../dom'
import { button, formAlert, inputField, onSubmit, selectField, setBusy } from '../forms'
import { plural, when } from '../format'
import type { PageContext } from '../shell'
import { type Attempt, DELIVERY_STATUS_OPTIONS, type Delivery, type DeliveryDetail, type TestResult, type Webhook, type WebhookWithSecret } from '../types'
import { pageHeading, section } from './common'
import { justCreated } from './webhook-form'
import { eventsSummary, healthSummary, setEnabled, statusBadge } from './webhooks'

const path = (id: string) => `/api/v1/webhooks/${encodeURIComponent(id)}`

export async function webhookDetailPage(ctx: PageContext, id: string) {
  const reveal = h('div')
  const summary = h('div')
  const actions = h('div', { class: 'actions wrap' })
  const testResult = h('div', { class: 'test-result', role: 'status', 'aria-live': 'polite' })
  const deliveries = deliveryLog(id)
  let endpoint: Webhook

  const load = async () => {
    endpoint = (await api<{ data: Webhook }>('GET', path(id))).data
    if (!ctx.current()) return
    replaceChildren(summary, endpointSummary(endpoint))
    replaceChildren(actions, ...endpointActions(endpoint))
  }
  const showSecret = (secret: string | null, title: string) =>
    replaceChildren(
      reveal,
      shownOnce({
        title,
        label: 'Signing secret',
        secret,
        warning: 'This is the only time the secret is shown. Your receiver uses it to check the X-Crewbase-Signature of every delivery.',
      }),
    )

  const endpointActions = (w: Webhook): Child[] => [
    button('Send test event', {
      class: 'primary',
      onclick: async (event: Event) => {
        const trigger = event.currentTarget as HTMLButtonElement
        setBusy(trigger, true)
        replaceChildren(testResult, h('p', null, 'Sending webhook.test…'))
        try {
          const answer = await api<{ data: TestResult }>('POST', `${path(w.id)}/test`)
          replaceChildren(testResult, attemptView(answer.data.attempt, 'Test result'))
        } catch (error) {
          replaceChildren(testResult, h('p', { class: 'bad-text' }, (error as Error).message))
        } finally {
          setBusy(trigger, false)
        }
        await Promise.all([load(), deliveries.reload()])
      },
    }),
    h('a', { href: `#/webhooks/${encodeURIComponent(w.id)}/edit`, class: 'button' }, 'Edit'),
    button(w.enabled ? 'Disable' : 'Enable', {
      onclick: async () => {
        try {
          await setEnabled(w, !w.enabled)
        } catch (error) {
          notice((error as Error).message, 'error')
        }
        await load()
      },
    }),
    button('Rotate secret', {
      onclick: async () => {
        const yes = await confirmDialog({
          title: 'Rotate the signing secret?',
          body: 'A new secret is made now. For 24 hours deliveries carry signatures of both, so you can update your receiver without losing any.',
          confirm: 'Rotate secret',
        })
        if (!yes) return
        try {
          const answer = await api<{ data: WebhookWithSecret }>('POST', `${path(w.id)}/rotate-secret`)
          showSecret(answer.data.secret, 'New signing secret')
          reveal.querySelector<HTMLInputElement>('input')?.focus()
        } catch (error) {
          notice((error as Error).message, 'error')
        }
      },
    }),
    button('Delete', {
      class: 'danger',
      onclick: async () => {
        const yes = await confirmDialog({
          title: 'Delete this endpoint?',
          body: `Nothing more is sent to ${w.url}, and its delivery log is deleted with it.`,
          confirm: 'Delete endpoint',
          danger: true,
        })
        if (!yes) return
        try {
          await api('DELETE', path(w.id))
          location.hash = '#/webhooks'
          notice('Endpoint deleted.')
        } catch (error) {
          notice((error as Error).message, 'error')
        }
      },
    }),
  ]

  await Promise.all([load(), deliveries.reload()])
  if (!ctx.current()) return
  if (justCreated.id === id && justCreated.secret) showSecret(justCreated.secret, 'Endpoint added')
  justCreated.id = justCreated.secret = null
  replaceChildren(
    ctx.main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/webhooks' }, '← Webhooks')),
    pageHeading('Webhook endpoint'),
    reveal,
    summary,
    actions,
    testResult,
    section('Delivery log', deliveries.element),
  )
}

function endpointSummary(w: Webhook) {
  const headerNames = Object.keys(w.headers ?? {})
  const row = (term: string, ...value: Child[]) => [h('dt', null, term), h('dd', null, ...value)]
  return h(
    'dl',
    { class: 'summary card' },
    row('URL', h('code', { class: 'url' }, w.url)),
    w.description ? row('Description', w.description) : null,
    row('Status', statusBadge(w)),
    row('Health', healthSummary(w)),
    row('Events', eventsSummary(w.events)),
    row('Payload filter', w.filter ? h('pre', { class: 'example' }, JSON.stringify(w.filter, null, 2)) : 'none — every chosen event'),
    row('Rate limit', w.rate_limit_per_second ? `${w.rate_limit_per_second} per second` : 'none'),
    row('Custom headers', headerNames.length ? headerNames.join(', ') : 'none'),
    row('Debounce', `${w.debounce_seconds ?? 0} s`),
    row('Created', when(w.created_at)),
  )
}

/** One attempt: what came back, how long it took, and the start of the body. */
export function attemptView(a: Attempt, title?: string) {
  const ok = a.succeeded
  const heading = title ? h('h3', null, title, ' — ', ok ? 'delivered' : 'failed') : null
  return h(
    'div',
    { class: `attempt ${ok ? 'ok' : 'bad'}` },
    heading,
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Status code'),
      h('dd', null, a.status_code === null ? 'no answer' : String(a.status_code)),
      h('dt', null, 'Duration'),
      h('dd', null, `${a.duration_ms} ms`),
      a.error ? [h('dt', null, 'Error'), h('dd', { class: 'bad-text' }, a.error, a.error_message ? `: ${a.error_message}` : '')] : null,
      h('dt', null, 'Attempt'),
      h('dd', null, `#${a.number} (${a.trigger})`),
      h('dt', null, 'At'),
      h('dd', null, when(a.started_at)),
    ),
    h('p', { class: 'excerpt-label' }, 'Response'),
    h('pre', { class: 'excerpt', tabindex: '0' }, a.response_excerpt || '(empty)'),
  )
}

/** The endpoint's deliveries, newest first, filtered by status, each opening its attempts. */
function deliveryLog(webhookId: string) {
  const status = selectField({ label: 'Status', field: '/status', options: DELIVERY_STATUS_OPTIONS })
  const list = h('div', { class: 'deliveries' })
  const more = button('Load more', { hidden: true })
  let cursor: string | null = null

  const fetchPage = async (reset: boolean) => {
    if (reset) cursor = null
    const query = new URLSearchParams({ per_page: '20' })
    if (status.select.value) query.set('status', status.select.value)
    if (cursor) query.set('cursor', cursor)
    const page = await api<Page<Delivery>>('GET', `${path(webhookId)}/deliveries?${query}`)
    if (reset) list.replaceChildren()
    if (reset && page.data.length === 0) list.append(emptyState(status.select.value ? 'No deliveries with this status.' : 'No deliveries yet.'))
    for (const d of page.data) list.append(deliveryItem(d, () => fetchPage(true)))
    cursor = page.pagination?.next_cursor ?? null
    more.hidden = !cursor
  }
  const guarded = (reset: boolean) => fetchPage(reset).catch((error) => notice((error as Error).message, 'error'))
  status.select.addEventListener('change', () => void guarded(true))
  more.addEventListener('click', () => void guarded(false))
  return {
    element: h('div', null, h('div', { class: 'filters' }, status.container), list, more, recoverForm(webhookId, () => guarded(true))),
    reload: () => fetchPage(true),
  }
}

/** POST /webhooks/:id/recover: after an outage, queue every failed delivery since a time in one go. */
function recoverForm(webhookId: string, reload: () => Promise<unknown>) {
  const dayAgo = new Date(Date.now() - 24 * 3600 * 1000)
  const local = new Date(dayAgo.getTime() - dayAgo.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
  const since = inputField({
    label: 'Failed since',
    field: '/since',
    type: 'datetime-local',
    value: local,
    required: true,
    hint: 'Your receiver was down? Send every delivery that failed since then again.',
  })
  const form = h('form', { class: 'card recover' }, h('h3', null, 'Retry failed deliveries'), formAlert(), since.container, h('button', { type: 'submit' }, 'Retry failed deliveries'))
  onSubmit(form, async () => {
    const at = new Date(since.input.value)
    const body = { since: Number.isNaN(at.getTime()) ? since.input.value : at.toISOString() }
    const answer = await api<{ data: { queued: number } }>('POST', `${path(webhookId)}/recover`, body)
    notice(answer.data.queued ? `${plural(answer.data.queued, 'failed delivery', 'failed deliveries')} queued.` : 'No failed deliveries since then.')
    await reload()
  })
  return form
}

function deliveryItem(d: Delivery, reload: () => Promise<void>) {
  const attemptsId = uid('att')
  const attempts = h('div', { id: attemptsId, class: 'attempts', hidden: true })
  const eventType = d.event_type
  const toggle = button('Show attempts', {
    'aria-expanded': 'false',
    'aria-controls': attemptsId,
    'aria-label': `Show attempts of ${eventType} delivery ${d.id}`,
    onclick: async () => {
      const open = toggle.getAttribute('aria-expanded') === 'true'
      if (open) {
        attempts.hidden = true
        toggle.setAttribute('aria-expanded', 'false')
        toggle.textContent = 'Show attempts'
        return
      }
      try {
        const full = (await api<{ data: DeliveryDetail }>('GET', `/api/v1/deliveries/${encodeURIComponent(d.id)}`)).data
        const list = full.attempts
        replaceChildren(
          attempts,
          list.length ? h('ol', { class: 'attempt-list' }, list.map((a) => h('li', null, attemptView(a)))) : emptyState('Not attempted yet.'),
        )
        attempts.hidden = false
        toggle.setAttribute('aria-expanded', 'true')
        toggle.textContent = 'Hide attempts'
      } catch (error) {
        notice((error as Error).message, 'error')
      }
    },
  })
  const redeliver = button('Redeliver', {
    'aria-label': `Redeliver ${eventType} delivery ${d.id}`,
    onclick: async () => {
      try {
        await api('POST', `/api/v1/deliveries/${encodeURIComponent(d.id)}/redeliver`)
        notice('Redelivery queued; it is sent within seconds.')
        await reload()
      } catch (error) {
        notice((error as Error).message, 'error')
      }
    },
  })
  const kind = d.status === 'succeeded' ? 'ok' : d.status === 'failed' ? 'bad' : 'warn'
  const lastCode = d.last_status_code === null ? null : `last answer ${d.last_status_code}`
  return h(
    'article',
    { class: 'delivery', 'aria-label': `${eventType} delivery, ${d.status}` },
    h(
      'div',
      { class: 'delivery-head' },
      h('code', null, eventType),
      h('span', { class: `badge ${kind}` }, d.in_flight ? 'sending' : d.status),
      h(
        'span',
        { class: 'hint' },
        when(d.created_at),
        ' · ',
        plural(d.attempt_count, 'attempt'),
        lastCode ? ` · ${lastCode}` : null,
        d.last_error ? h('span', { class: 'bad-text' }, ` · ${d.last_error}`) : null,
        d.next_attempt_at ? [' · next ', when(d.next_attempt_at)] : null,
      ),
      h('div', { class: 'row-actions' }, toggle, redeliver),
    ),
    attempts,
  )
}
