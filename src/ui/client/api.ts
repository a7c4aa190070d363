/**
 * The page's only way to the server: the public API with a session token, exactly as an integrator would call it.
 * The token lives in sessionStorage: it survives a reload but ends with the tab, and no other tab or later visitor
 * of a shared shop computer inherits it (localStorage would keep an admin session for 14 days).
 */
const TOKEN_KEY = 'crewbase.session'

export interface FieldProblem {
  field: string
  message: string
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message)
  }
}

export interface Page<T> {
  data: T[]
  pagination: { page: number | null; per_page: number; total: number; next_cursor: string | null }
}

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY)
  },
  set token(value: string | null) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value)
    else sessionStorage.removeItem(TOKEN_KEY)
  },
}

let onSessionEnded: () => void = () => {}
/** Called when the server stops accepting the token (expired, signed out elsewhere, user removed). */
export function whenSessionEnds(handler: () => void) {
  onSessionEnded = handler
}

export async function api<T = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders }
  const token = session.token
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new ApiFailure(0, 'network', 'The server did not answer. Check that Crewbase is running and try again.')
  }
  if (response.status === 204) return undefined as T
  const payload = await response.json().catch(() => null)
  if (response.ok) return payload as T
  const error = payload?.error ?? {}
  const failure = new ApiFailure(
    response.status,
    error.code ?? 'unknown',
    error.message ?? `The server answered ${response.status}`,
    Array.isArray(error.details) ? error.details : [],
  )
  // A session that ended mid-visit sends the person back to sign in; a wrong password on sign-in does not.
  if (response.status === 401 && token && path !== '/api/auth') {
    session.token = null
    onSessionEnded()
  }
  throw failure
}

/** Every page of a list, following next_cursor (lists here are short: keys, endpoints, users). */
export async function listAll<T>(path: string): Promise<T[]> {
  const items: T[] = []
  let cursor: string | null = null
  do {
    const sep = path.includes('?') ? '&' : '?'
    const page: Page<T> = await api('GET', `${path}${sep}per_page=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    items.push(...page.data)
    cursor = page.pagination?.next_cursor ?? null
  } while (cursor)
  return items
}
