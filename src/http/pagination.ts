import { type SelectQueryBuilder, sql } from 'kysely'
import { type TSchema, t } from 'elysia'
import { countRows } from '../db/count'
import { ApiError } from './errors'
import { QueryInteger } from './query'

export const MAX_PER_PAGE = 100
export const DEFAULT_PER_PAGE = 50
export const MAX_PAGE = 1_000_000

/** Query parameters every list accepts; spread into a route's `query` schema. */
export const pageQuery = {
  page: t.Optional(QueryInteger({ minimum: 1, maximum: MAX_PAGE, description: 'Page number, from 1' })),
  per_page: t.Optional(QueryInteger({ minimum: 1, maximum: MAX_PER_PAGE, description: 'Items per page (max 100)' })),
  cursor: t.Optional(
    t.String({ maxLength: 200, description: 'Opaque `pagination.next_cursor` of the previous page; use instead of `page`' }),
  ),
}

export interface PageParams {
  page?: number
  per_page?: number
  cursor?: string
}

export interface Pagination {
  page: number | null
  per_page: number
  total: number
  next_cursor: string | null
}

export interface Page<T> {
  data: T[]
  pagination: Pagination
}

export const PaginationSchema = t.Object({
  page: t.Union([t.Integer(), t.Null()], { description: 'null when walking by cursor' }),
  per_page: t.Integer(),
  total: t.Integer({ description: 'Items matching the filters' }),
  next_cursor: t.Union([t.String(), t.Null()], { description: 'Pass as `cursor` for the next page; null on the last' }),
})

export const listEnvelope = <T extends TSchema>(item: T, description: string) =>
  t.Object({ data: t.Array(item), pagination: PaginationSchema }, { description })
export const dataEnvelope = <T extends TSchema>(item: T, description: string) => t.Object({ data: item }, { description })

// A cursor is the last id of the page before it, and which way the list runs: `>` marks
// an oldest-first walk (the event feed), so a cursor is never read in the other direction.
const ID = /^[a-z]+_[0-9a-z]{26}$/
const encodeCursor = (id: string, order: ListOrder) => Buffer.from(order === 'asc' ? `>${id}` : id, 'utf8').toString('base64url')

function readCursor(cursor: string): { id: string; order: ListOrder } | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  const order: ListOrder = text.startsWith('>') ? 'asc' : 'desc'
  const id = order === 'asc' ? text.slice(1) : text
  return ID.test(id) ? { id, order } : null
}

/** The order a cursor walks in, or null when it is not one of ours. */
export const cursorOrder = (cursor: string): ListOrder | null => readCursor(cursor)?.order ?? null

function decodeCursor(cursor: string, order: ListOrder): string {
  const read = readCursor(cursor)
  if (!read || read.order !== order) {
    throw new ApiError('validation_failed', 'cursor is not a cursor this server issued for this list', [
      { field: '/cursor', message: 'invalid cursor' },
    ])
  }
  return read.id
}

export type ListOrder = 'asc' | 'desc'

export interface PaginateOptions {
  /**
   * Pick the page's ids first, then load those rows. For a range filter (dates) the index
   * does not give id order, so SQLite sorts every match: sorting ids read from a covering
   * index is far cheaper than sorting whole rows.
   */
  idsFirst?: boolean
  /** `desc` (default): newest first. `asc`: oldest first, for feeds that resume where they stopped. */
  order?: ListOrder
}

/**
 * Newest first by id (ids are time-ordered, so this is creation order and unique, which
 * keyset paging needs), or oldest first with `order: 'asc'`. `query` is the filtered,
 * unordered select; `idColumn` its id.
 */
export async function paginate<DB, TB extends keyof DB, Row extends { id: string }, T>(
  query: SelectQueryBuilder<DB, TB, Row>,
  idColumn: string,
  params: PageParams,
  toItem: (row: Row) => T,
  options: PaginateOptions = {},
): Promise<Page<T>> {
  const perPage = params.per_page ?? DEFAULT_PER_PAGE
  if (params.cursor !== undefined && params.page !== undefined) {
    throw new ApiError('validation_failed', 'Send either page or cursor, not both', [
      { field: '/cursor', message: 'cannot be combined with page' },
    ])
  }
  const page = params.page ?? 1
  const order = options.order ?? 'desc'
  const id = sql.ref(idColumn)
  let rowsQuery = query.orderBy(id as never, order).limit(perPage + 1)
  if (params.cursor !== undefined) {
    rowsQuery = rowsQuery.where(id as never, order === 'desc' ? '<' : '>', decodeCursor(params.cursor, order) as never)
  } else rowsQuery = rowsQuery.offset((page - 1) * perPage)
  if (options.idsFirst) {
    const pageIds = rowsQuery.clearSelect().select(id as never)
    rowsQuery = query.clearWhere().where(id as never, 'in', pageIds as never).orderBy(id as never, order)
  }

  const [rows, total] = await Promise.all([rowsQuery.execute(), countRows(query)])
  const more = rows.length > perPage
  const pageRows = more ? rows.slice(0, perPage) : rows
  return {
    data: pageRows.map(toItem),
    pagination: {
      page: params.cursor !== undefined ? null : page,
      per_page: perPage,
      total,
      next_cursor: more ? encodeCursor(pageRows[pageRows.length - 1]!.id, order) : null,
    },
  }
}
