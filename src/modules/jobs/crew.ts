import type { Db } from '../../db/client'
import type { Principal } from '../../http/auth'
import { ApiError, notFound } from '../../http/errors'

// What a crew-role user may do with jobs: see and work on the jobs they are assigned to
// (through the contractor linked to their user), nothing else. Keys and other roles are
// governed by their permissions alone.

const isCrew = (principal: Principal) => principal.kind === 'session' && principal.role === 'crew'

/** Matches no contractor: a crew user not linked to one sees no jobs at all. */
const NO_CONTRACTOR = ''

/** The contractor linked to the signed-in user, if any. */
export async function linkedContractorId(db: Db, principal: Principal): Promise<string | null> {
  if (principal.kind !== 'session' || principal.userId === null) return null
  const row = await db
    .selectFrom('contractors')
    .select('id')
    .where('org_id', '=', principal.orgId)
    .where('user_id', '=', principal.userId)
    .executeTakeFirst()
  return row?.id ?? null
}

/** `undefined` when the caller sees every job; otherwise the contractor whose jobs they see. */
export async function crewScope(db: Db, principal: Principal): Promise<string | undefined> {
  if (!isCrew(principal)) return undefined
  return (await linkedContractorId(db, principal)) ?? NO_CONTRACTOR
}

/** A job a crew member is not assigned to does not exist for them (404, like another org's). */
export async function assertJobVisible(db: Db, principal: Principal, jobId: string): Promise<void> {
  const contractorId = await crewScope(db, principal)
  if (contractorId === undefined) return
  const assigned = await db
    .selectFrom('job_assignments')
    .select('id')
    .where('job_id', '=', jobId)
    .where('contractor_id', '=', contractorId)
    .executeTakeFirst()
  if (!assigned) throw notFound('Job')
}

/** Planning work (creating, editing, staffing, archiving, deleting jobs) is the office's. */
export function assertNotCrew(principal: Principal, what: string): void {
  if (isCrew(principal)) throw new ApiError('forbidden', `Crew members cannot ${what}`)
}

/** A crew member checks in and out as themselves only. */
export async function assertActsAsSelf(db: Db, principal: Principal, contractorId: string): Promise<void> {
  const own = await crewScope(db, principal)
  if (own !== undefined && own !== contractorId) {
    throw new ApiError('forbidden', 'Crew members can check in and out only as themselves')
  }
}
