import { type SelectQueryBuilder, sql } from 'kysely'
import { type TSchema, t } from 'elysia'
import { countQuery, countRows, totalOf } from '../db/count'
import type { Db } from '../db/engine'
import { type Prepared, perDialect, prepare, runPrepared, slot } from '../db/prepared'
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

/** Which page a request asks for: by number (offset) or after a cursor. */
interface PageWindow {
  perPage: number
  page: number
  /** The id the cursor stands for; undefined when paging by number. */
  after: string | undefined
  order: ListOrder
}

function pageWindow(params: PageParams, order: ListOrder): PageWindow {
  if (params.cursor !== undefined && params.page !== undefined) {
    throw new ApiError('validation_failed', 'Send either page or cursor, not both', [
      { field: '/cursor', message: 'cannot be combined with page' },
    ])
  }
  const after = params.cursor === undefined ? undefined : decodeCursor(params.cursor, order)
  return { perPage: params.per_page ?? DEFAULT_PER_PAGE, page: params.page ?? 1, after, order }
}

/**
 * The page's rows, newest first by id (ids are time-ordered, so this is creation order and
 * unique, which keyset paging needs) or oldest first with `order: 'asc'`, one more than a
 * page to tell whether another follows. `limit`, `offset` and `after` are values or
 * prepared-query slots.
 */
function pageRowsQuery<DB, TB extends keyof DB, Row>(
  query: SelectQueryBuilder<DB, TB, Row>,
  idColumn: string,
  keyset: boolean,
  { limit, offset, after }: { limit: unknown; offset: unknown; after: unknown },
  options: PaginateOptions,
): SelectQueryBuilder<DB, TB, Row> {
  const order = options.order ?? 'desc'
  const id = sql.ref(idColumn)
  let rowsQuery = query.orderBy(id as never, order).limit(limit as number)
  rowsQuery = keyset ? rowsQuery.where(id as never, order === 'desc' ? '<' : '>', after as never) : rowsQuery.offset(offset as number)
  if (!options.idsFirst) return rowsQuery
  const pageIds = rowsQuery.clearSelect().select(id as never)
  return query.clearWhere().where(id as never, 'in', pageIds as never).orderBy(id as never, order)
}

function toPage<Row extends { id: string }, T>(rows: Row[], total: number, window: PageWindow, toItem: (row: Row) => T): Page<T> {
  const more = rows.length > window.perPage
  const pageRows = more ? rows.slice(0, window.perPage) : rows
  return {
    data: pageRows.map(toItem),
    pagination: {
      page: window.after !== undefined ? null : window.page,
      per_page: window.perPage,
      total,
      next_cursor: more ? encodeCursor(pageRows[pageRows.length - 1]!.id, window.order) : null,
    },
  }
}

/** `query` is the filtered, unordered select; `idColumn` its id. */
export async function paginate<DB, TB extends keyof DB, Row extends { id: string }, T>(
  query: SelectQueryBuilder<DB, TB, Row>,
  idColumn: string,
  params: PageParams,
  toItem: (row: Row) => T,
  options: PaginateOptions = {},
): Promise<Page<T>> {
  const window = pageWindow(params, options.order ?? 'desc')
  const bounds = { limit: window.perPage + 1, offset: (window.page - 1) * window.perPage, after: window.after }
  const rowsQuery = pageRowsQuery(query, idColumn, window.after !== undefined, bounds, options)
  const [rows, total] = await Promise.all([rowsQuery.execute(), countRows(query)])
  return toPage(rows as Row[], total, window, toItem)
}

export interface PreparedListOptions<Names extends string> {
  /** Filters whose value shapes the SQL itself (a search pattern): a list given one is built per request. */
  dynamic?: readonly Names[]
  /** Range filters: given any, the page picks its ids first (PaginateOptions.idsFirst). */
  ranged?: readonly Names[]
}

/**
 * A hot list whose SQL depends only on which of its filters are given: its page and count
 * queries are built and compiled once per combination (and paging mode), and each request
 * only binds values. Building and compiling both through Kysely on every request was ~30 %
 * of GET /api/v1/jobs (bench/profiles). `build` gets a placeholder for each given filter
 * (undefined for the others) and, like preparedQuery's, uses them only as values. Newest first.
 */
export function preparedList<const Names extends string, Row extends { id: string }>(
  idColumn: string,
  build: (db: Db, p: Partial<Record<Names, any>>) => SelectQueryBuilder<any, any, Row>,
  options: PreparedListOptions<Names> = {},
) {
  const shapes = perDialect(() => new Map<string, { rows: Prepared<Row>; count: Prepared }>())
  return async <T>(db: Db, values: Partial<Record<Names, unknown>>, params: PageParams, toItem: (row: Row) => T): Promise<Page<T>> => {
    const given = (Object.keys(values) as Names[]).filter((name) => values[name] !== undefined).sort()
    const idsFirst = given.some((name) => options.ranged?.includes(name))
    if (given.some((name) => options.dynamic?.includes(name))) return paginate(build(db, values), idColumn, params, toItem, { idsFirst })
    const window = pageWindow(params, 'desc')
    const keyset = window.after !== undefined
    const key = `${given.join(',')}|${keyset ? 'cursor' : 'page'}`
    const cache = shapes(db)
    let shape = cache.get(key)
    if (!shape) {
      const base = build(db, Object.fromEntries(given.map((name) => [name, slot(name)])) as Partial<Record<Names, any>>)
      const bounds = { limit: slot('$limit'), offset: slot('$offset'), after: slot('$after') }
      shape = { rows: prepare(pageRowsQuery(base, idColumn, keyset, bounds, { idsFirst })), count: prepare(countQuery(base)) }
      cache.set(key, shape)
    }
    const bound = { ...values, $limit: window.perPage + 1, $offset: (window.page - 1) * window.perPage, $after: window.after }
    const [rows, count] = await Promise.all([runPrepared(db, shape.rows, bound), runPrepared(db, shape.count, bound)])
    return toPage(rows.rows, totalOf(count.rows[0]), window, toItem)
  }
}
