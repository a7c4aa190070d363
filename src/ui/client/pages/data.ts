import { api } from '../api'
import { badge, dataTable } from '../components'
import { h, replaceChildren } from '../dom'
import { plural, when } from '../format'
import type { PageContext } from '../shell'
import type { Maintenance, MaintenanceRun } from '../types'
import { pageHeading, section } from './common'

/** How long the server keeps things, and how its scheduled maintenance last went (a failure is shown here, not only logged). */
export async function dataPage(ctx: PageContext) {
  const { data } = await api<{ data: Maintenance }>('GET', '/api/v1/maintenance')
  if (!ctx.current()) return
  const r = data.retention
  replaceChildren(
    ctx.main,
    pageHeading('Data'),
    h('p', { class: 'lead' }, 'What Crewbase keeps and for how long. These are set by the server’s environment variables.'),
    section(
      'How long things are kept',
      dataTable(
        'How long things are kept',
        ['What', 'Kept for', 'Setting'],
        [
          ['Webhook deliveries and their attempts, once finished', plural(r.deliveries_days, 'day'), h('code', null, 'CREWBASE_DELIVERY_RETENTION_DAYS')],
          ['Events (the event log and feed)', plural(r.events_days, 'day'), h('code', null, 'CREWBASE_EVENT_RETENTION_DAYS')],
          ['Idempotency-Key answers', plural(r.idempotency_keys_hours, 'hour'), '—'],
          ['Sign-in sessions', 'until they expire', '—'],
        ],
      ),
      h('p', { class: 'hint' }, 'Pending and retrying deliveries are never deleted, nor the events they carry. An event goes together with its finished deliveries.'),
    ),
    section('Pruning', runCard(data.pruning.schedule, data.pruning.last_run, 'CREWBASE_PRUNE_CRON')),
  )
}

export function runCard(schedule: string | null, run: MaintenanceRun | null, variable: string) {
  const status = !run ? badge('not run yet', 'muted') : run.ok ? badge('ok', 'ok') : badge('failed', 'bad')
  return h(
    'div',
    { class: 'card' },
    h('p', null, 'Schedule: ', schedule ? h('code', null, schedule) : 'off', ' ', h('span', { class: 'hint' }, `(${variable})`)),
    h('p', null, 'Last run: ', status, ' ', run ? when(run.finished_at) : ''),
    run ? h('p', run.ok ? null : { role: 'alert' }, run.summary) : null,
    run && !run.ok ? h('p', { class: 'hint' }, 'Last success: ', when(run.last_ok_at)) : null,
  )
}
