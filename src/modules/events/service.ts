import type { Db } from '../../db/client'
import { cachedCount } from '../../db/count-cache'
import { ApiError } from '../../http/errors'
import { toUtcIso } from '../../http/time'
import { DEFAULT_PER_PAGE, paginate } from '../../http/pagination'
import { type EventListFilters, toEvent } from './model'

function filtered(db: Db, orgId: string, filters: EventListFilters) {
  let query = db.selectFrom('events').selectAll().where('events.org_id', '=', orgId)
  if (filters.type) query = query.where('events.type', '=', filters.type)
  if (filters.created_after) query = query.where('events.created_at', '>', toUtcIso(filters.created_after))
  return query
}

/**
 * Newest first like every list; with `after`, a feed instead: the events after that id,
 * oldest first. Ids are time-ordered and handed out inside the writing transaction, one
 * writer at a time, so a poller that resumes from its last id misses nothing.
 */
export async function listEvents(db: Db, orgId: string, filters: EventListFilters) {
  if (filters.after === undefined) return paginate(filtered(db, orgId, filters), 'events.id', filters, toEvent)
  if (filters.cursor !== undefined) {
    throw new ApiError('validation_failed', 'Send either after or cursor, not both', [{ field: '/cursor', message: 'cannot be combined with after' }])
  }
  const page = filters.page ?? 1
  const perPage = filters.per_page ?? DEFAULT_PER_PAGE
  const feed = filtered(db, orgId, filters).where('events.id', '>', filters.after)
  const [rows, total] = await Promise.all([
    feed.orderBy('events.id', 'asc').limit(perPage).offset((page - 1) * perPage).execute(),
    cachedCount(feed),
  ])
  return {
    data: rows.map(toEvent),
    // The feed continues with after=<last id>, not with a cursor.
    pagination: { page, per_page: perPage, total, next_cursor: null },
  }
}

/**
 * Where a feed may resume: an event of the organization, or an id at or below the newest one
 * retention has deleted there (it was an event once; ids are time-ordered, so the feed pages on
 * from it without the row). The `after=` check (unknown id → 400) must accept both.
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

