import { EVENT_TYPES } from '../../../events/catalog'
import { ApiFailure, api } from '../api'
import { h, replaceChildren, uid } from '../dom'
import { button, formAlert, inputField, onSubmit } from '../forms'
import type { PageContext } from '../shell'
import type { Webhook, WebhookWithSecret } from '../types'
import { pageHeading } from './common'

/** The signing secret of an endpoint just created, handed to its page to show once. */
export const justCreated: { id: string | null; secret: string | null } = { id: null, secret: null }

export async function webhookFormPage(ctx: PageContext, id: string | null) {
  const existing = id ? (await api<{ data: Webhook }>('GET', `/api/v1/webhooks/${encodeURIComponent(id)}`)).data : null
  if (!ctx.current()) return
  const editor = endpointEditor(existing, { portal: false })
  const form = h(
    'form',
    { class: 'card' },
    formAlert(),
    editor.nodes,
    h(
      'div',
      { class: 'actions' },
      h('a', { href: existing ? `#/webhooks/${encodeURIComponent(existing.id)}` : '#/webhooks', class: 'button' }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary' }, existing ? 'Save changes' : 'Add endpoint'),
    ),
  )
  onSubmit(form, async () => {
    const body = editor.body()
    if (existing) {
      await api('PATCH', `/api/v1/webhooks/${encodeURIComponent(existing.id)}`, body, { 'if-match': `"v${existing.version}"` })
      location.hash = `#/webhooks/${encodeURIComponent(existing.id)}`
    } else {
      const created = await api<{ data: WebhookWithSecret }>('POST', '/api/v1/webhooks', body)
      justCreated.id = created.data.id
      justCreated.secret = created.data.secret
      location.hash = `#/webhooks/${encodeURIComponent(created.data.id)}`
    }
  })
  replaceChildren(ctx.main, pageHeading(existing ? 'Edit endpoint' : 'Add a webhook endpoint'), form)
}

/** A number box's value for the API: empty → `empty`, non-numeric text as is (so the API's own message explains it). */
const numberValue = (input: HTMLInputElement, empty: number | null) =>
  input.value === '' ? empty : Number.isNaN(input.valueAsNumber) ? input.value : input.valueAsNumber

export const FILTER_EXAMPLE = { type: { $in: ['invoice.paid', 'payment.received'] }, 'data.object.total_cents': { $gte: 100000 } }

/**
 * The endpoint's editable fields, shared by the settings page and a subscriber's portal (which may change
 * URL, events, filter, rate limit and headers only). `body()` is what PATCH/POST sends.
 */
export function endpointEditor(existing: Webhook | null, options: { portal: boolean }) {
  const url = inputField({
    label: 'Endpoint URL',
    field: '/url',
    type: 'url',
    required: true,
    value: existing?.url,
    hint: 'HTTPS address that receives the POSTs.',
    attrs: { placeholder: 'https://example.com/hooks/crewbase', spellcheck: 'false', autocomplete: 'off' },
  })
  const description = inputField({ label: 'Description', field: '/description', value: existing?.description ?? '', attrs: { maxlength: 500 } })
  const events = eventChecklist(existing?.events ?? ['*'])
  const filter = filterField(existing?.filter ?? null)
  const rateLimit = inputField({
    label: 'Rate limit (deliveries per second)',
    field: '/rate_limit_per_second',
    type: 'number',
    value: existing?.rate_limit_per_second == null ? '' : String(existing.rate_limit_per_second),
    hint: '1–1000; empty for no limit. Retries and recovers count too; a backlog drains at this pace.',
    attrs: { min: 1, max: 1000, step: 1, inputmode: 'numeric', class: 'short' },
  })
  const headers = headerRows(existing?.headers ?? {})
  const debounce = inputField({
    label: 'Debounce (seconds)',
    field: '/debounce_seconds',
    type: 'number',
    value: String(existing?.debounce_seconds ?? 0),
    hint: '0–300. Several updates of the same record inside this window are sent once, with the latest state.',
    attrs: { min: 0, max: 300, step: 1, inputmode: 'numeric', class: 'short' },
  })
  const enabledId = uid('en')
  const enabled = h('input', { type: 'checkbox', id: enabledId, checked: existing ? existing.enabled : true })
  const nodes = options.portal
    ? [url.container, events.fieldset, filter.container, rateLimit.container, headers.fieldset]
    : [
        url.container,
        description.container,
        events.fieldset,
        filter.container,
        rateLimit.container,
        headers.fieldset,
        debounce.container,
        h('div', { class: 'field check', 'data-field': '/enabled' }, enabled, h('label', { for: enabledId }, 'Enabled — send deliveries to this endpoint')),
      ]
  return {
    nodes,
    body(): Record<string, unknown> {
      const shared = {
        url: url.input.value.trim(),
        events: events.value(),
        filter: filter.value(),
        rate_limit_per_second: numberValue(rateLimit.input, null),
        headers: headers.value(),
      }
      if (options.portal) return shared
      return {
        ...shared,
        description: description.input.value.trim() || null,
        debounce_seconds: numberValue(debounce.input, 0),
        enabled: enabled.checked,
      }
    },
  }
}

/** The payload filter as JSON text, with the syntax at hand and an example to start from. */
function filterField(initial: Record<string, unknown> | null) {
  const id = uid('flt')
  const hintId = uid('hint')
  const textarea = h('textarea', {
    id,
    name: 'filter',
    rows: 6,
    spellcheck: 'false',
    autocomplete: 'off',
    class: 'code',
    'aria-describedby': hintId,
    placeholder: JSON.stringify(FILTER_EXAMPLE, null, 2),
  })
  textarea.value = initial ? JSON.stringify(initial, null, 2) : ''
  const container = h(
    'div',
    { class: 'field', 'data-field': '/filter' },
    h('label', { for: id }, 'Payload filter', h('span', { class: 'optional' }, ' (optional)')),
    textarea,
    h(
      'div',
      { class: 'hint', id: hintId },
      h('p', null, 'Only events whose body matches are sent; empty sends every chosen event. Keys are dotted paths into the body (', h('code', null, 'type'), ', ', h('code', null, 'data.object.status'), '); a plain value means equality (against a list: contains).'),
      h('p', null, 'Operators: ', h('code', null, '$eq $neq $gt $gte $lt $lte $in $nin $exist $startsWith $endsWith'), '; combine with ', h('code', null, '$and'), ', ', h('code', null, '$or'), ' (lists) and ', h('code', null, '$not'), '. At most 4 KB and 32 conditions.'),
      h('p', null, 'Example — paid invoices and payments of 1,000.00 or more:'),
      h('pre', { class: 'example' }, JSON.stringify(FILTER_EXAMPLE, null, 2)),
    ),
    button('Use the example', {
      onclick: () => {
        textarea.value = JSON.stringify(FILTER_EXAMPLE, null, 2)
        textarea.focus()
      },
    }),
  )
  return {
    container,
    value(): unknown {
      const text = textarea.value.trim()
      if (text === '') return null
      try {
        return JSON.parse(text)
      } catch (error) {
        throw new ApiFailure(400, 'validation_failed', 'The filter is not valid JSON', [
          { field: '/filter', message: `is not valid JSON (${(error as Error).message})` },
        ])
      }
    },
  }
}

/** Groups of the event catalog by resource (job.*, invoice.*, …), in catalog order. */
function eventGroups(): Array<[string, string[]]> {
  const groups = new Map<string, string[]>()
  for (const type of Object.keys(EVENT_TYPES)) {
    const resource = type.split('.')[0] ?? type
    groups.set(resource, [...(groups.get(resource) ?? []), type])
  }
  return [...groups]
}

/**
 * "All events" (`*`), a whole resource (`job.*`) or single types. Choosing a wider box greys out the narrower
 * ones under it, so what is sent is always what is shown.
 */
function eventChecklist(selected: string[]) {
  const chosen = new Set(selected)
  const all = h('input', { type: 'checkbox', id: uid('ev'), checked: chosen.has('*') })
  const groupBoxes: Array<{ resource: string; box: HTMLInputElement | null; items: HTMLInputElement[]; fieldset: HTMLFieldSetElement }> = []
  for (const [resource, types] of eventGroups()) {
    const wildcard = `${resource}.*`
    const box = types.length > 1 ? h('input', { type: 'checkbox', id: uid('ev'), checked: chosen.has(wildcard) }) : null
    const items = types.map((type) => h('input', { type: 'checkbox', id: uid('ev'), value: type, checked: chosen.has(type) }))
    const fieldset = h(
      'fieldset',
      { class: 'event-group' },
      h('legend', null, resource),
      box ? h('div', { class: 'check' }, box, h('label', { for: box.id }, `All ${resource} events `, h('code', null, wildcard))) : null,
      items.map((item) =>
        h(
          'div',
          { class: 'check' },
          item,
          h('label', { for: item.id }, h('code', null, item.value), h('span', { class: 'hint block' }, EVENT_TYPES[item.value as keyof typeof EVENT_TYPES].replaceAll('`', ''))),
        ),
      ),
    )
    groupBoxes.push({ resource, box, items, fieldset })
  }
  const groups = h('div', { class: 'event-groups' }, groupBoxes.map((g) => g.fieldset))
  const sync = () => {
    groups.hidden = all.checked
    for (const g of groupBoxes) {
      if (g.box) g.box.disabled = all.checked
      for (const item of g.items) item.disabled = all.checked || Boolean(g.box?.checked)
    }
  }
  all.addEventListener('change', sync)
  for (const g of groupBoxes) g.box?.addEventListener('change', sync)
  sync()
  const fieldset = h(
    'fieldset',
    { class: 'field events', 'data-field': '/events' },
    h('legend', null, 'Events'),
    h('div', { class: 'check all-events' }, all, h('label', { for: all.id }, h('strong', null, 'All events'), ' — including types added in later versions. Untick to choose.')),
    groups,
  )
  return {
    fieldset,
    value(): string[] {
      if (all.checked) return ['*']
      return groupBoxes.flatMap((g) => (g.box?.checked ? [`${g.resource}.*`] : g.items.filter((i) => i.checked).map((i) => i.value)))
    },
  }
}

/** Name/value rows for custom headers sent with every delivery. */
function headerRows(initial: Record<string, string>) {
  const rows = h('div', { class: 'header-rows' })
  let count = 0
  const addRow = (name = '', value = '') => {
    const n = ++count
    const nameInput = h('input', { type: 'text', id: uid('hn'), value: name, spellcheck: 'false', autocomplete: 'off', placeholder: 'X-Api-Token', class: 'header-name' })
    const valueInput = h('input', { type: 'text', id: uid('hv'), value, spellcheck: 'false', autocomplete: 'off', class: 'header-value' })
    const row: HTMLDivElement = h(
      'div',
      { class: 'header-row' },
      h('div', null, h('label', { for: nameInput.id }, `Header ${n} name`), nameInput),
      h('div', null, h('label', { for: valueInput.id }, `Header ${n} value`), valueInput),
      button('Remove', { 'aria-label': `Remove header ${n}`, onclick: () => row.remove() }),
    )
    rows.append(row)
    return nameInput
  }
  for (const [name, value] of Object.entries(initial)) addRow(name, value)
  const fieldset = h(
    'fieldset',
    { class: 'field', 'data-field': '/headers' },
    h('legend', null, 'Custom headers', h('span', { class: 'optional' }, ' (optional)')),
    h('p', { class: 'hint' }, 'Sent with every delivery, e.g. a token your receiver expects. They cannot replace the signature headers.'),
    rows,
    button('Add header', { onclick: () => addRow().focus() }),
  )
  return {
    fieldset,
    value(): Record<string, string> {
      const out: Record<string, string> = {}
      for (const row of rows.querySelectorAll('.header-row')) {
        const name = row.querySelector<HTMLInputElement>('.header-name')?.value.trim() ?? ''
        const value = row.querySelector<HTMLInputElement>('.header-value')?.value ?? ''
        if (name) out[name] = value
      }
      return out
    },
  }
}
