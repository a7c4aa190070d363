import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import type { JobAssignmentRow } from '../../db/schema'
import type { Trx } from '../../db/transaction'
import { conflict, invalid, notFound } from '../../http/errors'
import { type PageParams, paginate } from '../../http/pagination'
import { newId } from '../../ids'
import { assertJobEditable } from './status'
import { type AssignmentCreateInput, toAssignment } from './model'
import { assertContractorAssignable, findJobRow, loadJob, recordJobChildrenChange } from './service'

export async function listAssignments(db: Db, orgId: string, jobId: string, params: PageParams) {
  await findJobRow(db, orgId, jobId)
  return paginate(
    db.selectFrom('job_assignments').selectAll().where('job_id', '=', jobId),
    'job_assignments.id',
    params,
    toAssignment,
  )
}

export async function createAssignment(trx: Trx, orgId: string, jobId: string, input: AssignmentCreateInput, clock: Clock) {
  const job = await findJobRow(trx, orgId, jobId)
  assertJobEditable(job)
  await assertContractorAssignable(trx, orgId, input.contractor_id, '/contractor_id')
  const phaseId = input.phase_id ?? null
  if (phaseId !== null) {
    const phase = await trx.selectFrom('job_phases').select('id').where('job_id', '=', jobId).where('id', '=', phaseId).executeTakeFirst()
    if (!phase) throw invalid('/phase_id', `no phase ${phaseId} on this job`)
  }
  const before = await loadJob(trx, job)
  if (before.assignments.some((a) => a.contractor_id === input.contractor_id && a.phase_id === phaseId)) {
    throw conflict(`Contractor ${input.contractor_id} is already assigned to this ${phaseId ? 'phase' : 'job'}`)
  }
  const row: JobAssignmentRow = {
    id: newId('jas'),
    org_id: orgId,
    job_id: jobId,
    phase_id: phaseId,
    contractor_id: input.contractor_id,
    role: input.role ?? null,
    version: 1,
    created_at: clock.now().toISOString(),
  }
  await trx.insertInto('job_assignments').values(row).execute()
  await recordJobChildrenChange(trx, orgId, before, clock)
  return toAssignment(row)
}

export async function deleteAssignment(trx: Trx, orgId: string, jobId: string, assignmentId: string, clock: Clock) {
  const job = await findJobRow(trx, orgId, jobId)
  const found = await trx
    .selectFrom('job_assignments')
    .select('id')
    .where('job_id', '=', jobId)
    .where('id', '=', assignmentId)
    .executeTakeFirst()
  if (!found) throw notFound('Assignment')
  assertJobEditable(job)
  const before = await loadJob(trx, job)
  await trx.deleteFrom('job_assignments').where('id', '=', assignmentId).execute()
  await recordJobChildrenChange(trx, orgId, before, clock)
}
