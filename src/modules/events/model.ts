import { type Static, t } from 'elysia'
import type { EventRow } from '../../db/schema'
import { EVENT_TYPE_NAMES, type EventType } from '../../events/catalog'
import { literals } from '../../http/fields'
import { Timestamp } from '../../http/time'
import { pageQuery } from '../../http/pagination'

export const EventTypeSchema = literals(EVENT_TYPE_NAMES as readonly EventType[] as readonly [EventType, ...EventType[]])

/** Exactly the body a webhook delivery carries. */
export const Event = t.Object({
  id: t.String({ examples: ['evt_01jd3k5q7x0000000000000000'] }),
  type: EventTypeSchema,
  created_at: t.String({ format: 'date-time' }),
  org_id: t.String(),
  data: t.Object({
    object: t.Record(t.String(), t.Any(), { description: 'The resource as its GET returned it at that moment' }),
    previous: t.Optional(t.Record(t.String(), t.Any(), { description: 'Changed fields before the change' })),
  }),
})

export const EventListQuery = t.Object(
  {
    ...pageQuery,
    type: t.Optional(EventTypeSchema),
    created_after: t.Optional(Timestamp('Only events created after this time')),
    after: t.Optional(
      t.String({
        pattern: '^evt_[0-9a-z]{26}$',
        error: 'must be an event id (evt_…)',
        description:
          'Feed mode: the events after this one, oldest first. Poll again with the id of the last event you received; nothing is skipped.',
      }),
    ),
  },
  { additionalProperties: false },
)
export type EventListFilters = Static<typeof EventListQuery>

export function toEvent(row: EventRow) {
  const data = JSON.parse(row.data) as { object: Record<string, unknown>; previous?: Record<string, unknown> }
  return { id: row.id, type: row.type as Static<typeof EventTypeSchema>, created_at: row.created_at, org_id: row.org_id, data }
}
