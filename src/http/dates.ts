import { t } from 'elysia'
import { invalid } from './errors'

// TypeBox's `date` format accepts 2026-02-30 and its `date-time` accepts a bare date, so
// these schemas document the shape and the functions below check the calendar.

export const Timestamp = (description: string) =>
  t.String({ format: 'date-time', maxLength: 40, description: `${description} (ISO 8601 with time zone)`, examples: ['2026-03-02T14:05:00Z'] })

export const CalendarDate = (description: string) =>
  t.String({ format: 'date', maxLength: 10, description: `${description} (YYYY-MM-DD)`, examples: ['2026-03-31'] })

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i

/** An ISO 8601 timestamp with a zone, normalized to UTC `…Z`; 400 naming `field` otherwise. */
export function toUtcTimestamp(value: string, field: string): string {
  const ms = TIMESTAMP.test(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(ms)) throw invalid(field, 'must be an ISO 8601 timestamp with a time zone, e.g. 2026-03-02T14:05:00Z')
  return new Date(ms).toISOString()
}

/** A real calendar date `YYYY-MM-DD` (no 30 February); 400 naming `field` otherwise. */
export function toCalendarDate(value: string, field: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null
  if (!date || date.toISOString().slice(0, 10) !== value) throw invalid(field, 'must be a calendar date YYYY-MM-DD')
  return value
}
