import { type Child, h } from '../dom'

/** The page title; focusable so navigation can move focus to it. */
export function pageHeading(title: string, ...after: Child[]) {
  return h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, title), after)
}

export function section(title: string, ...children: Child[]) {
  const id = `sec-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`
  return h('section', { class: 'block', 'aria-labelledby': id }, h('h2', { id }, title), children)
}
