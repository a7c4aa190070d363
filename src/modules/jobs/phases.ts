import { t } from 'elysia'
import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import { sentFields } from '../../db/rows'
import type { JobPhaseRow } from '../../db/schema'
import type { Trx } from '../../db/transaction'
import { conflict, notFound } from '../../http/errors'
import { assertIfMatch } from '../../http/etag'
import { DEFAULT_PER_PAGE, pageQuery } from '../../http/pagination'
import { newId } from '../../ids'
import { assertJobEditable } from './status'
import { type PhaseCreateInput, type PhasePatchInput, toPhase } from './model'
import { findJobRow, loadJob, recordJobChildrenChange } from './service'

// Phases are the ordered steps of a job: positions stay 1..n without gaps, whatever is
// inserted, moved or removed.

export const MAX_PHASES_PER_JOB = 100

/** Phases are listed in their order, not newest first, so they page by position only. */
export const PhaseListQuery = t.Object(
  { page: pageQuery.page, per_page: pageQuery.per_page },
  { additionalProperties: false },
)

export async function listPhases(db: Db, orgId: string, jobId: string, params: { page?: number; per_page?: number }) {
  await findJobRow(db, orgId, jobId)
  const page = params.page ?? 1
  const perPage = params.per_page ?? DEFAULT_PER_PAGE
  const all = db.selectFrom('job_phases').where('job_id', '=', jobId)
  const [rows, count] = await Promise.all([
    all.selectAll().orderBy('position').orderBy('id').limit(perPage).offset((page - 1) * perPage).execute(),
    all.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  const total = Number(count.n)
  return { data: rows.map(toPhase), pagination: { page, per_page: perPage, total, next_cursor: null } }
}

async function phasesInOrder(trx: Trx, jobId: string) {
  return trx.selectFrom('job_phases').selectAll().where('job_id', '=', jobId).orderBy('position').orderBy('id').execute()
}

/**
 * Renumbers a job's phases 1..n with `placed` (if any) at `position` (clamped to the end).
 * Every other phase whose position changes gets a new version; `placed` is left to the caller.
 */
async function renumberPhases(trx: Trx, jobId: string, now: string, placed?: { id: string; position: number }): Promise<number> {
  const phases = await phasesInOrder(trx, jobId)
  const order = phases.filter((phase) => phase.id !== placed?.id)
  let finalPosition = 0
  if (placed) {
    const index = Math.min(placed.position - 1, order.length)
    order.splice(index, 0, phases.find((phase) => phase.id === placed.id)!)
    finalPosition = index + 1
  }
  for (const [index, phase] of order.entries()) {
    if (phase.id === placed?.id || phase.position === index + 1) continue
    await trx
      .updateTable('job_phases')
      .set({ position: index + 1, version: phase.version + 1, updated_at: now })
      .where('id', '=', phase.id)
      .execute()
  }
  return finalPosition
}

async function findPhase(trx: Trx, jobId: string, phaseId: string): Promise<JobPhaseRow> {
  const phase = await trx.selectFrom('job_phases').selectAll().where('job_id', '=', jobId).where('id', '=', phaseId).executeTakeFirst()
  if (!phase) throw notFound('Phase')
  return phase
}

export async function createPhase(trx: Trx, orgId: string, jobId: string, input: PhaseCreateInput, clock: Clock) {
  const job = await findJobRow(trx, orgId, jobId)
  assertJobEditable(job)
  const before = await loadJob(trx, job)
  if (before.phases.length >= MAX_PHASES_PER_JOB) throw conflict(`A job can have at most ${MAX_PHASES_PER_JOB} phases`)
  const now = clock.now().toISOString()
  const row: JobPhaseRow = {
    id: newId('jph'),
    org_id: orgId,
    job_id: jobId,
    position: before.phases.length + 1,
    title: input.title,
    description: input.description ?? null,
    status: input.status ?? 'pending',
    version: 1,
    created_at: now,
    updated_at: now,
  }
  await trx.insertInto('job_phases').values(row).execute()
  if (input.position !== undefined) {
    row.position = await renumberPhases(trx, jobId, now, { id: row.id, position: input.position })
    await trx.updateTable('job_phases').set({ position: row.position }).where('id', '=', row.id).execute()
  }
  await recordJobChildrenChange(trx, orgId, before, clock)
  return toPhase(row)
}

export async function updatePhase(
  trx: Trx,
  orgId: string,
  jobId: string,
  phaseId: string,
  input: PhasePatchInput,
  ifMatch: string | null,
  clock: Clock,
) {
  const job = await findJobRow(trx, orgId, jobId)
  const phase = await findPhase(trx, jobId, phaseId)
  assertIfMatch(ifMatch, phase.version)
  assertJobEditable(job)
  const before = await loadJob(trx, job)
  const now = clock.now().toISOString()
  const { position, ...fields } = sentFields(input)
  const changes: Partial<JobPhaseRow> = { ...fields }
  if (position !== undefined && position !== phase.position) {
    changes.position = await renumberPhases(trx, jobId, now, { id: phase.id, position })
  }
  const changed = Object.entries(changes).some(([key, value]) => phase[key as keyof JobPhaseRow] !== value)
  if (!changed) return toPhase(phase)
  const updated = await trx
    .updateTable('job_phases')
    .set({ ...changes, version: phase.version + 1, updated_at: now })
    .where('id', '=', phase.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  await recordJobChildrenChange(trx, orgId, before, clock)
  return toPhase(updated)
}

/** Removing a step also removes the crew assigned to that step. */
export async function deletePhase(trx: Trx, orgId: string, jobId: string, phaseId: string, clock: Clock) {
  const job = await findJobRow(trx, orgId, jobId)
  const phase = await findPhase(trx, jobId, phaseId)
  assertJobEditable(job)
  const before = await loadJob(trx, job)
  await trx.deleteFrom('job_assignments').where('phase_id', '=', phase.id).execute()
  await trx.deleteFrom('job_phases').where('id', '=', phase.id).execute()
  await renumberPhases(trx, jobId, clock.now().toISOString())
  await recordJobChildrenChange(trx, orgId, before, clock)
}
