import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import { defineResource } from '../resource'
import { assertNotReferenced, assertReference, findInOrg, sentFields, uniqueOr, updateVersioned } from '../../db/rows'
import type { ContractorRatingRow } from '../../db/schema'
import { transaction, type Trx } from '../../db/transaction'
import { recordEvent } from '../../events/record'
import { ApiError, conflict, invalid } from '../../http/errors'
import { type PageParams, paginate } from '../../http/pagination'
import { newId } from '../../ids'
import {
  type ContractorCreateInput,
  type ContractorListFilters,
  type ContractorPatchInput,
  type RatingCreateInput,
  toContractor,
  toRating,
} from './model'

/** A crew member can be linked to one user of the org, and a user to one crew member. */
async function assertUserLinkable(trx: Trx, orgId: string, userId: string, contractorId: string | null) {
  await assertReference(trx, 'users', orgId, userId, '/user_id', 'user')
  const taken = await trx
    .selectFrom('contractors')
    .select('id')
    .where('user_id', '=', userId)
    .$if(contractorId !== null, (q) => q.where('id', '!=', contractorId!))
    .executeTakeFirst()
  if (taken) {
    throw new ApiError('conflict', `User ${userId} is already linked to contractor ${taken.id}`, [
      { field: '/user_id', message: 'already linked to another contractor' },
    ])
  }
}

export const contractors = defineResource({
  table: 'contractors',
  idPrefix: 'ctr',
  name: 'Contractor',
  toItem: toContractor,
  async toInsert(trx, orgId, input: ContractorCreateInput) {
    if (input.user_id) await assertUserLinkable(trx, orgId, input.user_id, null)
    return {
      user_id: input.user_id ?? null,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      trade: input.trade ?? null,
      active: input.active === false ? 0 : 1,
      rating_average: null,
      rating_count: 0,
    }
  },
  async toChanges(trx, orgId, input: ContractorPatchInput, row) {
    const { active, ...changes } = sentFields(input)
    if (changes.user_id) await assertUserLinkable(trx, orgId, changes.user_id, row.id)
    return { ...changes, ...(active !== undefined ? { active: active ? 1 : 0 } : {}) }
  },
  filter(query, filters: ContractorListFilters) {
    let narrowed = query
    if (filters.active) narrowed = narrowed.where('contractors.active', '=', filters.active === 'true' ? 1 : 0)
    if (filters.trade) narrowed = narrowed.where('contractors.trade', '=', filters.trade)
    return narrowed
  },
  searchColumns: ['contractors.name', 'contractors.email'],
  async beforeDelete(trx, orgId, row) {
    await assertNotReferenced(trx, orgId, 'Contractor', row.id, [
      { table: 'job_assignments', column: 'contractor_id', label: 'job assignment' },
      { table: 'contractor_ratings', column: 'contractor_id', label: 'rating' },
      { table: 'job_checkins', column: 'contractor_id', label: 'check-in' },
      { table: 'job_messages', column: 'contractor_id', label: 'message' },
    ])
  },
})

// ── ratings: each one re-computes the crew member's average in the same transaction ──

export async function listRatings(db: Db, orgId: string, contractorId: string, params: PageParams) {
  await findInOrg(db, 'contractors', orgId, contractorId, 'Contractor')
  return paginate(
    db.selectFrom('contractor_ratings').selectAll().where('contractor_id', '=', contractorId),
    'contractor_ratings.id',
    params,
    toRating,
  )
}

export function rateContractor(db: Db, orgId: string, contractorId: string, input: RatingCreateInput, clock: Clock) {
  return transaction(db, async (trx) => {
    const contractor = await findInOrg(trx, 'contractors', orgId, contractorId, 'Contractor')
    await assertReference(trx, 'jobs', orgId, input.job_id, '/job_id', 'job', { live: true })
    const assigned = await trx
      .selectFrom('job_assignments')
      .select('id')
      .where('job_id', '=', input.job_id)
      .where('contractor_id', '=', contractorId)
      .executeTakeFirst()
    if (!assigned) throw invalid('/job_id', `contractor ${contractorId} was not assigned to job ${input.job_id}`)
    const now = clock.now()
    const row: ContractorRatingRow = {
      id: newId('rtg'),
      org_id: orgId,
      contractor_id: contractorId,
      job_id: input.job_id,
      score: input.score,
      comment: input.comment ?? null,
      version: 1,
      created_at: now.toISOString(),
    }
    // One rating per crew member and job: the unique (contractor_id, job_id) index decides, also between two racing.
    await uniqueOr(trx, () => trx.insertInto('contractor_ratings').values(row).execute(), () =>
      conflict(`Contractor ${contractorId} was already rated for job ${input.job_id}`),
    )
    const totals = await trx
      .selectFrom('contractor_ratings')
      .select((eb) => [eb.fn.avg<number>('score').as('average'), eb.fn.countAll<number>().as('count')])
      .where('contractor_id', '=', contractorId)
      .executeTakeFirstOrThrow()
    await updateVersioned(
      trx,
      'contractors',
      contractor,
      { rating_average: Number(totals.average), rating_count: Number(totals.count) },
      now.toISOString(),
    )
    const rating = toRating(row)
    await recordEvent(trx, { orgId, type: 'crew.rated', object: rating, at: now })
    return rating
  })
}
