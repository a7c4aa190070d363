import { type Static, t } from 'elysia'
import type { ContractorRatingRow, ContractorRow } from '../../db/schema'
import { Email, JsonInteger, literals, Nullable, Phone, SearchText } from '../../http/fields'
import { pageQuery } from '../../http/pagination'

export const Contractor = t.Object({
  id: t.String({ examples: ['ctr_01jd3k5q7x0000000000000000'] }),
  user_id: Nullable(t.String({ description: 'The user who signs in as this crew member (role `crew` sees only their jobs)' })),
  name: t.String(),
  email: Nullable(t.String()),
  phone: Nullable(t.String()),
  trade: Nullable(t.String({ examples: ['plumber'] })),
  active: t.Boolean({ description: 'Inactive crew cannot be assigned to jobs' }),
  rating_average: Nullable(t.Number({ description: 'Mean of all ratings, 2 decimals; null before the first' })),
  rating_count: JsonInteger(),
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
})

const fields = {
  name: t.String({ minLength: 1, maxLength: 200, examples: ['Sam Ortega'] }),
  email: t.Optional(Nullable(Email)),
  phone: t.Optional(Nullable(Phone)),
  trade: t.Optional(Nullable(t.String({ maxLength: 100 }))),
  active: t.Optional(t.Boolean()),
  user_id: t.Optional(Nullable(t.String({ maxLength: 64, description: 'Link a user of the organization' }))),
}
export const ContractorCreate = t.Object(fields, { additionalProperties: false })
export const ContractorPatch = t.Object({ ...fields, name: t.Optional(fields.name) }, { additionalProperties: false })
export const ContractorListQuery = t.Object(
  {
    ...pageQuery,
    active: t.Optional(literals(['true', 'false'] as const)),
    trade: t.Optional(t.String({ maxLength: 100 })),
    q: SearchText('Text in the name or email'),
  },
  { additionalProperties: false },
)
export type ContractorCreateInput = Static<typeof ContractorCreate>
export type ContractorPatchInput = Static<typeof ContractorPatch>
export type ContractorListFilters = Static<typeof ContractorListQuery>

export const Rating = t.Object({
  id: t.String({ examples: ['rtg_01jd3k5q7x0000000000000000'] }),
  contractor_id: t.String(),
  job_id: t.String(),
  score: JsonInteger({ minimum: 1, maximum: 5 }),
  comment: Nullable(t.String()),
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
})
export const RatingCreate = t.Object(
  {
    job_id: t.String({ maxLength: 64, description: 'A job the crew member was assigned to' }),
    score: JsonInteger({ minimum: 1, maximum: 5 }),
    comment: t.Optional(Nullable(t.String({ maxLength: 2_000 }))),
  },
  { additionalProperties: false },
)
export type RatingCreateInput = Static<typeof RatingCreate>

const twoDecimals = (value: number) => Math.round(value * 100) / 100

export function toContractor(row: ContractorRow) {
  return {
    id: row.id,
    user_id: row.user_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    trade: row.trade,
    active: row.active === 1,
    rating_average: row.rating_average === null ? null : twoDecimals(row.rating_average),
    rating_count: row.rating_count,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

export function toRating(row: ContractorRatingRow) {
  return {
    id: row.id,
    contractor_id: row.contractor_id,
    job_id: row.job_id,
    score: row.score,
    comment: row.comment,
    version: row.version,
    created_at: row.created_at,
  }
}

// Webhook payloads carry these objects; the OpenAPI `webhooks` section documents them with these schemas.
