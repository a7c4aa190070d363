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

/** A 0–1 ratio as a percentage with at most one decimal. */
export function percent(ratio: number | null): string {
  if (ratio === null || Number.isNaN(ratio)) return '—'
  return `${Math.round(ratio * 1000) / 10}%`
}

export function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`
}
