import { ApiFailure } from './api'
import { type Attrs, type Child, h, uid } from './dom'

/**
 * Form building blocks. Every control gets a visible <label>; each field container carries the JSON pointer
 * of its body field (`data-field="/email"`), so an API error's details[].field lands next to the right input.
 */
const FIELD_SELECTOR = '[data-field]'
const CONTROLS = 'input, select, textarea'

export interface FieldOptions {
  label: string
  field: string
  type?: string
  value?: string
  required?: boolean
  hint?: string
  attrs?: Attrs
}

/** A labelled input inside its field container; returns both. */
export function inputField(o: FieldOptions) {
  const id = uid('in')
  const hintId = o.hint ? uid('hint') : undefined
  const input = h('input', {
    id,
    name: o.field.slice(1),
    type: o.type ?? 'text',
    value: o.value ?? '',
    required: o.required,
    'aria-describedby': hintId,
    ...o.attrs,
  })
  const container = h(
    'div',
    { class: 'field', 'data-field': o.field },
    h('label', { for: id }, o.label, o.required ? null : h('span', { class: 'optional' }, ' (optional)')),
    input,
    o.hint ? h('p', { class: 'hint', id: hintId }, o.hint) : null,
  )
  return { container, input }
}

export function selectField(o: { label: string; field: string; options: Array<[string, string]>; value?: string; hint?: string }) {
  const id = uid('sel')
  const hintId = o.hint ? uid('hint') : undefined
  const select = h(
    'select',
    { id, name: o.field.slice(1), 'aria-describedby': hintId },
    o.options.map(([value, text]) => h('option', { value, selected: value === o.value }, text)),
  )
  const container = h(
    'div',
    { class: 'field', 'data-field': o.field },
    h('label', { for: id }, o.label),
    select,
    o.hint ? h('p', { class: 'hint', id: hintId }, o.hint) : null,
  )
  return { container, select }
}

export function button(label: Child, attrs: Attrs = {}) {
  return h('button', { type: 'button', ...attrs }, label)
}

/** Where errors that belong to no single field go; announced when filled. */
export function formAlert() {
  return h('div', { class: 'form-alert', role: 'alert', hidden: true })
}

export function clearErrors(form: HTMLElement) {
  for (const el of form.querySelectorAll('.field-error')) el.remove()
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid')
  for (const el of form.querySelectorAll<HTMLElement>(CONTROLS)) {
    const ids = (el.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !id.startsWith('err-'))
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '))
    else el.removeAttribute('aria-describedby')
  }
  const alert = form.querySelector<HTMLElement>('.form-alert')
  if (alert) {
    alert.hidden = true
    alert.textContent = ''
  }
}

/** The field container whose pointer is the longest prefix of `pointer` (/headers/X-Foo → /headers). */
function containerFor(form: HTMLElement, pointer: string): HTMLElement | null {
  let best: HTMLElement | null = null
  for (const el of form.querySelectorAll<HTMLElement>(FIELD_SELECTOR)) {
    const own = el.dataset.field ?? ''
    const matches = pointer === own || pointer.startsWith(`${own}/`)
    if (matches && own.length > (best?.dataset.field?.length ?? -1)) best = el
  }
  return best
}

function markField(container: HTMLElement, message: string) {
  const id = uid('err')
  container.append(h('p', { class: 'field-error', id }, message))
  for (const control of container.querySelectorAll<HTMLElement>(CONTROLS)) {
    control.setAttribute('aria-invalid', 'true')
    const described = control.getAttribute('aria-describedby')
    control.setAttribute('aria-describedby', described ? `${described} ${id}` : id)
  }
}

/** Shows an API failure: details next to their fields, the rest in the form's alert; focuses the first problem. */
export function showErrors(form: HTMLElement, error: unknown) {
  clearErrors(form)
  const failure =
    error instanceof ApiFailure ? error : new ApiFailure(0, 'client', error instanceof Error ? error.message : String(error))
  const unplaced: string[] = []
  let first: HTMLElement | null = null
  for (const detail of failure.details) {
    const container = containerFor(form, detail.field)
    if (!container) {
      unplaced.push(`${detail.field.replace(/^\//, '') || 'body'}: ${detail.message}`)
      continue
    }
    markField(container, detail.message)
    first ??= container.querySelector<HTMLElement>(CONTROLS)
  }
  const alert = form.querySelector<HTMLElement>('.form-alert')
  if (failure.details.length === 0 || unplaced.length > 0) {
    const text = failure.details.length === 0 ? failure.message : unplaced.join('; ')
    if (alert) {
      alert.textContent = text
      alert.hidden = false
    }
  }
  if (first) first.focus()
}

export function setBusy(el: HTMLButtonElement, busy: boolean) {
  el.disabled = busy
  if (busy) el.setAttribute('aria-busy', 'true')
  else el.removeAttribute('aria-busy')
}

/**
 * Wires a form to an API call: no native validation bubbles (the API's own messages are the ones shown),
 * the submit button is disabled while the request runs, and failures land next to their fields.
 */
export function onSubmit(form: HTMLFormElement, submit: () => Promise<void>) {
  form.noValidate = true
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const submitter = form.querySelector<HTMLButtonElement>('button[type=submit]')
    if (submitter?.disabled) return
    clearErrors(form)
    if (submitter) setBusy(submitter, true)
    try {
      await submit()
    } catch (error) {
      showErrors(form, error)
    } finally {
      if (submitter) setBusy(submitter, false)
    }
  })
}
