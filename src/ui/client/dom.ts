/** A tiny hyperscript: builds real DOM nodes. Text always goes in as text nodes, so API data can never become markup. */
export type Child = Node | string | number | null | undefined | false | Child[]
export type Attrs = Record<string, unknown>

// Set as DOM properties (their live value), everything else as attributes.
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'readOnly', 'indeterminate'])

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value as EventListener)
    } else if (PROPERTIES.has(name)) {
      ;(el as unknown as Record<string, unknown>)[name] = value
    } else {
      el.setAttribute(name, value === true ? '' : String(value))
    }
  }
  append(el, children)
  return el
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    if (Array.isArray(child)) append(parent, child)
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)))
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, children)
}

let nextId = 0
/** Unique ids to tie labels, hints and errors to their inputs. */
export const uid = (prefix: string) => `${prefix}-${++nextId}`
