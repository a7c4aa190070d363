import { t } from 'elysia'
import { invalid } from './errors'
import { FormatRegistry } from 'elysia/type-system'

/**
 * ISO 8601 date-time with a zone (`2026-03-02T14:05:00Z`, `…+02:00`, optional seconds and
 * fraction), on a real calendar day. Elysia's own `date-time` also takes dates alone and
 * rolls `02-30` over to March; a time without a zone would be read in the server's zone.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:[Zz]|([+-])(\d{2}):?(\d{2}))$/

interface Parts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  millisecond: number
  offsetMinutes: number
}

function parts(value: string): Parts | null {
  const m = TIMESTAMP.exec(value)
  if (!m) return null
  const [year, month, day, hour, minute, second = '0', fraction = '.0', sign = '+', zoneHour = '0', zoneMinute = '0'] = m.slice(1)
  if (Number(zoneHour) > 23 || Number(zoneMinute) > 59) return null
  return {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    millisecond: Math.floor(Number(fraction) * 1000),
    offsetMinutes: (sign === '-' ? -1 : 1) * (Number(zoneHour) * 60 + Number(zoneMinute)),
  }
}

/** Milliseconds since the epoch, or null when `value` is not such a timestamp on a real day. */
function epochMs(value: string): number | null {
  const p = parts(value)
  if (!p || p.hour > 23 || p.minute > 59 || p.second > 59) return null
  const date = new Date(0)
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(p.year, p.month - 1, p.day)
  if (date.getUTCFullYear() !== p.year || date.getUTCMonth() !== p.month - 1 || date.getUTCDate() !== p.day) return null
  date.setUTCHours(p.hour, p.minute, p.second, p.millisecond)
  const ms = date.getTime() - p.offsetMinutes * 60_000
  // Stored as text and compared as text: keep to four-digit years in UTC too.
  return ms >= FIRST_MS && ms <= LAST_MS ? ms : null
}

const FIRST_MS = Date.parse('0001-01-01T00:00:00.000Z')
const LAST_MS = Date.parse('9999-12-31T23:59:59.999Z')

export const isTimestamp = (value: string) => epochMs(value) !== null

FormatRegistry.Set('iso8601-timestamp', isTimestamp)

/** A body field holding such a timestamp; read it with `toUtcIso`. */
export const Timestamp = (description: string) =>
  t.String({
    format: 'iso8601-timestamp',
    maxLength: 40,
    error: 'must be a date-time with a time zone, like 2026-03-02T14:05:00Z',
    description: `${description}; ISO 8601 with a zone`,
  })

/** The API speaks UTC: `2026-03-02T16:05:00+02:00` becomes `2026-03-02T14:05:00.000Z`. Throws on a non-timestamp. */
export function toUtcIso(timestamp: string): string {
  const ms = epochMs(timestamp)
  if (ms === null) throw new RangeError(`not an ISO 8601 timestamp: ${timestamp}`)
  return new Date(ms).toISOString()
}

/** A body field holding a calendar date (`due_date`…); read it with `toCalendarDate`. */
export const CalendarDate = (description: string) =>
  t.String({ format: 'date', maxLength: 10, description: `${description} (YYYY-MM-DD)`, examples: ['2026-03-31'] })

/** A real calendar date `YYYY-MM-DD` (Elysia's `date` format takes 2026-02-30); 400 naming `field` otherwise. */
export function toCalendarDate(value: string, field: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null
  if (!date || date.toISOString().slice(0, 10) !== value) throw invalid(field, 'must be a calendar date YYYY-MM-DD')
  return value
}
