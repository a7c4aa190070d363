import type { Db } from '../../db/client'
import { ApiError, invalid } from '../../http/errors'
import { cursorOrder, paginate } from '../../http/pagination'
import { toUtcIso } from '../../http/time'
import { type EventListFilters, toEvent } from './model'

function filtered(db: Db, orgId: string, filters: EventListFilters) {
  let query = db.selectFrom('events').selectAll().where('events.org_id', '=', orgId)
  if (filters.type) query = query.where('events.type', '=', filters.type)
  if (filters.created_after) query = query.where('events.created_at', '>', toUtcIso(filters.created_after))
  return query
}

/**
 * Newest first like every list; with `after`, a feed instead: the events after that id,
 * oldest first, paged by `next_cursor` (which remembers the direction, so following it
 * with or without `after` reads on to the end). Ids are time-ordered and handed out inside
 * the writing transaction, one writer at a time, so a poller that resumes from its last
 * id misses nothing.
 */
export async function listEvents(db: Db, orgId: string, filters: EventListFilters) {
  const feed = filters.after !== undefined || (filters.cursor !== undefined && cursorOrder(filters.cursor) === 'asc')
  if (!feed) return paginate(filtered(db, orgId, filters), 'events.id', filters, toEvent)
  let query = filtered(db, orgId, filters)
  if (filters.after !== undefined) {
    await assertEventOfOrg(db, orgId, filters.after)
    query = query.where('events.id', '>', filters.after)
  }
  return paginate(query, 'events.id', filters, toEvent, { order: 'asc' })
}

/** `after=` must name an event of the organization: a typo must not restart the feed from the top. */
async function assertEventOfOrg(db: Db, orgId: string, id: string) {
  if (!(await isFeedPosition(db, orgId, id))) throw invalid('/after', 'is not an event of this organization')
}

/**
 * Where a feed may resume: an event of the organization, or an id at or below the newest one
 * retention has deleted there (it was an event once; ids are time-ordered, so the feed pages on
 * from it without the row, and a poller that was away longer than the retention reads on).
 */
export async function isFeedPosition(db: Db, orgId: string, id: string): Promise<boolean> {
  const [event, mark] = await Promise.all([
    db.selectFrom('events').select('id').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst(),
    db.selectFrom('event_prune_marks').select('pruned_through').where('org_id', '=', orgId).executeTakeFirst(),
  ])
  return event !== undefined || (mark !== undefined && id <= mark.pruned_through)
}

export async function getEvent(db: Db, orgId: string, id: string) {
  const row = await db.selectFrom('events').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
  if (!row) throw new ApiError('not_found', 'Event not found')
  return toEvent(row)
}

