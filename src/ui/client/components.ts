import { type Child, h, uid } from './dom'
import { button } from './forms'

/**
 * A secret the server shows exactly once (API key, webhook signing secret, ingress URL): read-only text,
 * a copy button that works on a plain-http LAN address too, and a plain warning.
 */
export function shownOnce(o: { title: string; label: string; secret: string | null; warning: string; extra?: Child }) {
  const id = uid('secret')
  // null: the answer was a replay of an earlier request, and the secret exists only in that first answer.
  if (o.secret === null) {
    return h('section', { class: 'shown-once', role: 'alert' }, h('h3', null, o.title), h('p', { class: 'warning' }, `The ${o.label.toLowerCase()} was already shown once and cannot be shown again. Revoke or rotate it for a new one.`))
  }
  const input = h('input', { id, type: 'text', readOnly: true, value: o.secret, class: 'secret', spellcheck: 'false' })
  const status = h('span', { class: 'copy-status', role: 'status' })
  const copy = button('Copy', {
    class: 'primary',
    'aria-label': `Copy ${o.label}`,
    onclick: async () => {
      status.textContent = (await copyText(input)) ? 'Copied' : 'Select the text and copy it by hand'
    },
  })
  input.addEventListener('focus', () => input.select())
  return h(
    'section',
    { class: 'shown-once', 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, o.title),
    h('p', { class: 'warning' }, h('strong', null, 'Copy it now. '), o.warning),
    h('label', { for: id }, o.label),
    h('div', { class: 'copy-row' }, input, copy),
    status,
    o.extra,
  )
}

/** navigator.clipboard exists only on https or localhost; a shop server is often plain http on the LAN. */
async function copyText(input: HTMLInputElement): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(input.value)
      return true
    }
  } catch {}
  input.focus()
  input.select()
  try {
    return document.execCommand('copy')
  } catch {
    return false
  }
}

/** A modal yes/no question in a native <dialog>: focus is trapped and Escape cancels, for free. */
export function confirmDialog(o: { title: string; body: string; confirm: string; danger?: boolean }): Promise<boolean> {
  return new Promise((resolve) => {
    const titleId = uid('dlg')
    const dialog = h(
      'dialog',
      { 'aria-labelledby': titleId, class: 'confirm' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: titleId }, o.title),
        h('p', null, o.body),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit', value: 'cancel', autofocus: true }, 'Cancel'),
          h('button', { type: 'submit', value: 'confirm', class: o.danger ? 'danger' : 'primary' }, o.confirm),
        ),
      ),
    )
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm')
      dialog.remove()
    })
    document.body.append(dialog)
    dialog.showModal()
  })
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined
/** A polite live region for "Saved", "Revoked" and the like; it clears itself so it never hides the page for long. */
export function notice(text: string, kind: 'ok' | 'error' = 'ok') {
  const region = document.getElementById('notice')
  if (!region) return
  region.className = `notice ${kind}`
  region.textContent = text
  clearTimeout(noticeTimer)
  noticeTimer = setTimeout(() => {
    region.textContent = ''
  }, 8000)
}

export function emptyState(text: string) {
  return h('p', { class: 'empty' }, text)
}

/** A table that turns into labelled cards at phone width (each cell carries its column name). */
export function dataTable(caption: string, columns: string[], rows: Child[][]) {
  return h(
    'table',
    { class: 'data' },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      null,
      // One wrapper per cell keeps its content together when the phone layout makes the cell a two-column grid.
      rows.map((cells) => h('tr', null, cells.map((cell, i) => h('td', { 'data-label': columns[i] ?? '' }, h('div', null, cell))))),
    ),
  )
}

export function badge(text: string, kind: 'ok' | 'warn' | 'bad' | 'muted') {
  return h('span', { class: `badge ${kind}` }, text)
}

/**
 * A form in a modal <dialog> (edit a user, edit headers…). `submit` runs the API call; the dialog closes when it
 * resolves and stays open, errors shown, when it throws.
 */
export function formDialog(o: { title: string; form: HTMLFormElement; submitLabel: string }) {
  const titleId = uid('dlg')
  const dialog = h('dialog', { 'aria-labelledby': titleId, class: 'form-dialog' }, h('h2', { id: titleId }, o.title), o.form)
  o.form.append(
    h(
      'div',
      { class: 'actions' },
      button('Cancel', { onclick: () => dialog.close() }),
      h('button', { type: 'submit', class: 'primary' }, o.submitLabel),
    ),
  )
  dialog.addEventListener('close', () => dialog.remove())
  document.body.append(dialog)
  dialog.showModal()
  o.form.querySelector<HTMLElement>('input, select, textarea')?.focus()
  return dialog
}

/** The Crewbase mark; decorative, the text next to it names the page. */
export const logo = () => h('img', { src: '/ui/icon.svg', alt: '', class: 'logo', width: '24', height: '24' })
