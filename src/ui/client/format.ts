/** Dates as the person's own locale shows them, with the exact UTC time on hover. */
export function when(iso: string | null | undefined, never = 'never'): HTMLElement | string {
  if (!iso) return never
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const time = document.createElement('time')
  time.dateTime = iso
  time.title = iso
  time.textContent = date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
  return time
}

export function percent(value: unknown): string {
  if (typeof value !== 'number' || Number.isNaN(value)) return '—'
  // Accept both a 0–1 ratio and a 0–100 percentage.
  const pct = value <= 1 ? value * 100 : value
  return `${Math.round(pct * 10) / 10}%`
}

export function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`
}
