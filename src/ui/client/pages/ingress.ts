import { api, listAll } from '../api'
import { confirmDialog, dataTable, emptyState, notice, shownOnce } from '../components'
import { h, replaceChildren } from '../dom'
import { button, formAlert, inputField, onSubmit } from '../forms'
import { plural, when } from '../format'
import type { PageContext } from '../shell'
import type { IngressUrl, IngressUrlWithSecret } from '../types'
import { pageHeading, section } from './common'

export async function ingressPage(ctx: PageContext) {
  const reveal = h('div')
  const list = h('div')
  const load = async () => {
    const urls = await listAll<IngressUrl>('/api/v1/ingress-webhooks')
    if (!ctx.current()) return
    replaceChildren(list, urls.length ? ingressTable(urls, load) : emptyState('No ingress URLs yet.'))
  }
  await load()
  if (!ctx.current()) return
  replaceChildren(
    ctx.main,
    pageHeading('Ingress URLs'),
    h(
      'p',
      { class: 'lead' },
      'A secret URL another tool can POST activities to (a phone system, a form, a script) — no API key needed. ',
      'Whoever has the URL can post to it, so treat it like a password.',
    ),
    reveal,
    section('Active ingress URLs', list),
    section(
      'Create an ingress URL',
      createForm(async (created) => {
        const url = created.url
        replaceChildren(
          reveal,
          shownOnce({
            title: `Ingress URL “${created.name}” created`,
            label: 'Ingress URL',
            secret: url,
            warning: 'This is the only time the URL is shown: only a hash of its secret part is stored. If you lose it, revoke it and create a new one.',
            extra: h(
              'p',
              { class: 'hint' },
              'Try it: ',
              h('code', null, `curl -X POST ${url} -H 'Content-Type: application/json' -d '{"title":"Test","startTime":"${new Date().toISOString()}"}'`),
            ),
          }),
        )
        await load()
        reveal.querySelector<HTMLInputElement>('input')?.focus()
      }),
    ),
  )
}

function ingressTable(urls: IngressUrl[], reload: () => Promise<void>) {
  return dataTable(
    'Active ingress URLs',
    ['Name', 'Job', 'Received', 'Created', ''],
    urls.map((item) => [
      h('strong', null, item.name),
      item.job_id ? h('code', null, item.job_id) : '—',
      item.received_count ? [plural(item.received_count, 'request'), h('div', { class: 'hint' }, 'last ', when(item.last_received_at))] : 'nothing yet',
      when(item.created_at),
      button('Revoke', {
        class: 'danger',
        'aria-label': `Revoke ingress URL ${item.name}`,
        onclick: async () => {
          const yes = await confirmDialog({
            title: `Revoke “${item.name}”?`,
            body: 'Posts to this URL will get 404 Not Found from now on. Activities already received stay.',
            confirm: 'Revoke URL',
            danger: true,
          })
          if (!yes) return
          try {
            await api('DELETE', `/api/v1/ingress-webhooks/${encodeURIComponent(item.id)}`)
            notice(`Ingress URL “${item.name}” revoked.`)
            await reload()
          } catch (error) {
            notice((error as Error).message, 'error')
          }
        },
      }),
    ]),
  )
}

function createForm(created: (item: IngressUrlWithSecret) => Promise<void>) {
  const name = inputField({ label: 'Name', field: '/name', required: true, hint: 'What posts to it, e.g. “Phone system”.', attrs: { maxlength: 100 } })
  const job = inputField({ label: 'Job ID', field: '/job_id', hint: 'Attach every activity to one job (e.g. job_01…).', attrs: { maxlength: 64, spellcheck: 'false' } })
  const form = h('form', { class: 'card' }, formAlert(), name.container, job.container, h('button', { type: 'submit', class: 'primary' }, 'Create URL'))
  onSubmit(form, async () => {
    const body: Record<string, unknown> = { name: name.input.value }
    if (job.input.value.trim()) body.job_id = job.input.value.trim()
    const answer = await api<{ data: IngressUrlWithSecret }>('POST', '/api/v1/ingress-webhooks', body)
    form.reset()
    await created(answer.data)
  })
  return form
}
