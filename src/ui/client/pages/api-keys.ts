import { type Access, type Permissions, RESOURCES } from '../../../http/permissions'
import { api, listAll } from '../api'
import { confirmDialog, dataTable, emptyState, notice, shownOnce } from '../components'
import { h, replaceChildren, uid } from '../dom'
import { button, formAlert, inputField, onSubmit } from '../forms'
import { when } from '../format'
import type { PageContext } from '../shell'
import type { ApiKey, ApiKeyWithSecret } from '../types'
import { pageHeading, section } from './common'

// PRODUCT.md §2; the API refuses the sixth with its own message either way.
const MAX_ACTIVE_KEYS = 5

/** "write: jobs, clients · read: invoices · admin" — the grid folded into one readable line. */
export function describePermissions(p: Permissions): string {
  const writes = RESOURCES.filter((r) => p[r] === 'write')
  const reads = RESOURCES.filter((r) => p[r] === 'read')
  const admin = p.admin === 'write'
  if (writes.length === RESOURCES.length) return admin ? 'Everything (write + admin)' : 'Write on every resource'
  const parts = [
    writes.length ? `write: ${writes.join(', ')}` : '',
    reads.length ? `read: ${reads.join(', ')}` : '',
    admin ? 'admin' : '',
  ].filter(Boolean)
  return parts.length ? parts.join(' · ') : 'No access'
}

export async function apiKeysPage(ctx: PageContext) {
  const reveal = h('div')
  const list = h('div')

  const load = async () => {
    const keys = await listAll<ApiKey>('/api/v1/api-keys')
    if (!ctx.current()) return
    replaceChildren(list, keys.length ? keysTable(keys, load) : emptyState('No active API keys yet.'))
  }
  await load()
  if (!ctx.current()) return

  replaceChildren(
    ctx.main,
    pageHeading('API keys'),
    h(
      'p',
      { class: 'lead' },
      'Programs call the API with ',
      h('code', null, 'Authorization: Bearer <key>'),
      `. Give each program its own key with only the access it needs. At most ${MAX_ACTIVE_KEYS} keys can be active.`,
    ),
    reveal,
    section('Active keys', list),
    section(
      'Create a key',
      createForm(async (created) => {
        replaceChildren(
          reveal,
          shownOnce({
            title: `Key “${created.label}” created`,
            label: 'API key',
            secret: created.key,
            warning: 'This is the only time the full key is shown. Only a hash is stored, so it cannot be shown again; if you lose it, revoke it and create a new one.',
            extra: h('p', { class: 'hint' }, 'Try it: ', h('code', null, `curl -H "Authorization: Bearer ${created.key}" ${location.origin}/api/v1/jobs`)),
          }),
        )
        await load()
        reveal.querySelector<HTMLInputElement>('input')?.focus()
      }),
    ),
  )
}

function keysTable(keys: ApiKey[], reload: () => Promise<void>) {
  return dataTable(
    'Active API keys',
    ['Label', 'Prefix', 'Permissions', 'Last used', 'Created', ''],
    keys.map((key) => [
      h('strong', null, key.label),
      h('code', null, `${key.prefix}…`),
      h('span', { class: 'perms' }, describePermissions(key.permissions as Permissions)),
      when(key.last_used_at),
      [when(key.created_at), key.expires_at ? h('div', { class: 'hint' }, 'expires ', when(key.expires_at)) : null],
      button('Revoke', {
        class: 'danger',
        'aria-label': `Revoke key ${key.label}`,
        onclick: async () => {
          const yes = await confirmDialog({
            title: `Revoke “${key.label}”?`,
            body: 'Programs using this key get 401 Unauthorized from their next request. This cannot be undone.',
            confirm: 'Revoke key',
            danger: true,
          })
          if (!yes) return
          try {
            await api('DELETE', `/api/v1/api-keys/${encodeURIComponent(key.id)}`)
            notice(`Key “${key.label}” revoked.`)
            await reload()
          } catch (error) {
            notice((error as Error).message, 'error')
          }
        },
      }),
    ]),
  )
}

function createForm(created: (key: ApiKeyWithSecret) => Promise<void>) {
  const label = inputField({ label: 'Label', field: '/label', required: true, hint: 'Who uses it, e.g. “CRM sync”.', attrs: { maxlength: 100 } })
  const expires = inputField({ label: 'Expires on', field: '/expires_at', type: 'date', hint: 'Leave empty for a key that does not expire.' })
  const grid = permissionGrid()
  const form = h(
    'form',
    { class: 'card' },
    formAlert(),
    label.container,
    grid.fieldset,
    expires.container,
    h('button', { type: 'submit', class: 'primary' }, 'Create key'),
  )
  onSubmit(form, async () => {
    const body: Record<string, unknown> = { label: label.input.value, permissions: grid.value() }
    // The end of the chosen day in the person's own time zone.
    if (expires.input.value) body.expires_at = new Date(`${expires.input.value}T23:59:59`).toISOString()
    const answer = await api<{ data: ApiKeyWithSecret }>('POST', '/api/v1/api-keys', body)
    form.reset()
    grid.reset()
    await created(answer.data)
  })
  return form
}

/** none/read/write per resource plus admin none/write: one radio group per row, each radio named for screen readers. */
function permissionGrid() {
  const rows: Array<{ resource: string; levels: Access[] }> = [
    ...RESOURCES.map((resource) => ({ resource, levels: ['none', 'read', 'write'] as Access[] })),
    { resource: 'admin', levels: ['none', 'write'] },
  ]
  const group = uid('perm')
  const radios = new Map<string, HTMLInputElement[]>()
  const body = rows.map(({ resource, levels }) => {
    const cells = (['none', 'read', 'write'] as Access[]).map((level) => {
      if (!levels.includes(level)) return h('td', { class: 'na' }, '—')
      const radio = h('input', {
        type: 'radio',
        name: `${group}-${resource}`,
        value: level,
        checked: level === 'none',
        'aria-label': `${resource}: ${level}`,
      })
      radios.set(resource, [...(radios.get(resource) ?? []), radio])
      return h('td', null, h('label', { class: 'radio-cell' }, radio))
    })
    return h(
      'tr',
      null,
      h('th', { scope: 'row' }, resource, resource === 'admin' ? h('span', { class: 'hint block' }, 'API keys, users, ingress URLs') : null),
      cells,
    )
  })
  const setAll = (level: Access) => {
    for (const [resource, group] of radios) {
      if (resource === 'admin') continue
      for (const radio of group) radio.checked = radio.value === level
    }
  }
  const fieldset = h(
    'fieldset',
    { class: 'field grid', 'data-field': '/permissions' },
    h('legend', null, 'Permissions'),
    h(
      'div',
      { class: 'set-all' },
      h('span', null, 'Set every resource to'),
      (['none', 'read', 'write'] as Access[]).map((level) => button(level, { onclick: () => setAll(level), 'aria-label': `Set every resource to ${level}` })),
    ),
    h(
      'table',
      { class: 'perm-grid' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Resource'), h('th', { scope: 'col' }, 'None'), h('th', { scope: 'col' }, 'Read'), h('th', { scope: 'col' }, 'Write'))),
      h('tbody', null, body),
    ),
  )
  return {
    fieldset,
    value: (): Permissions =>
      Object.fromEntries([...radios].map(([resource, group]) => [resource, (group.find((r) => r.checked)?.value ?? 'none') as Access])),
    reset: () => {
      for (const group of radios.values()) for (const radio of group) radio.checked = radio.value === 'none'
    },
  }
}

