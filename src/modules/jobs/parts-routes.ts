import { Elysia, t } from 'elysia'
import { transaction, type Trx } from '../../db/transaction'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope, pageQuery } from '../../http/pagination'
import { createAssignment, deleteAssignment, listAssignments } from './assignments'
import { assertActsAsSelf, assertJobVisible, assertNotCrew, linkedContractorId } from './crew'
import { createCheckin, createMessage, listCheckins, listMessages } from './job-log'
import { Checkin, CheckinCreate, Message, MessageCreate } from './log-model'
import { AssignmentCreate, JobAssignment, JobPhase, PhaseCreate, PhasePatch } from './model'
import { createPhase, deletePhase, listPhases, PhaseListQuery, updatePhase } from './phases'

const PhaseParams = t.Object({ id: t.String({ maxLength: 64 }), phase_id: t.String({ maxLength: 64 }) })
const AssignmentParams = t.Object({ id: t.String({ maxLength: 64 }), assignment_id: t.String({ maxLength: 64 }) })
const PageQuery = t.Object(pageQuery, { additionalProperties: false })
const LIST_ERRORS = errorResponses(400, 401, 403, 404, 429)
const WRITE_ERRORS = errorResponses(400, 401, 403, 404, 409, 429)
const Removed = t.Void({ description: 'Removed' })

/** The parts of a job: phases, assignments (both embedded in the job), check-ins and messages. */
export const jobPartsRoutes = (deps: AppDeps) => {
  const inTx = <T>(fn: (trx: Trx) => Promise<T>) => transaction(deps.db, fn)
  return new Elysia({ normalize: false })
    .use(authenticated(deps))
    .onBeforeHandle(({ principal, params }) => assertJobVisible(deps.db, principal, (params as { id: string }).id))
    .get('/:id/phases', ({ principal, params, query }) => listPhases(deps.db, principal.orgId, params.id, query), {
      params: IdParams,
      query: PhaseListQuery,
      response: { 200: listEnvelope(JobPhase, 'The job’s phases in order'), ...LIST_ERRORS },
      detail: doc('Jobs', 'listJobPhases', 'List a job’s phases in order'),
    })
    .post(
      '/:id/phases',
      async ({ principal, params, body, set }) => {
        assertNotCrew(principal, 'plan phases')
        set.status = 201
        return { data: await inTx((trx) => createPhase(trx, principal.orgId, params.id, body, deps.clock)) }
      },
      {
        params: IdParams,
        body: PhaseCreate,
        response: { 201: dataEnvelope(JobPhase, 'The new phase'), ...WRITE_ERRORS },
        detail: doc('Jobs', 'createJobPhase', 'Add a phase', 'Records `job.updated` on the job.'),
      },
    )
    .patch(
      '/:id/phases/:phase_id',
      async ({ principal, params, body, headers }) => {
        const ifMatch = headers['if-match'] ?? null
        return { data: await inTx((trx) => updatePhase(trx, principal.orgId, params.id, params.phase_id, body, ifMatch, deps.clock)) }
      },
      {
        params: PhaseParams,
        body: PhasePatch,
        response: { 200: dataEnvelope(JobPhase, 'The updated phase'), ...errorResponses(400, 401, 403, 404, 409, 412, 429) },
        detail: doc('Jobs', 'updateJobPhase', 'Change or move a phase', 'Records `job.updated` on the job.'),
      },
    )
    .delete(
      '/:id/phases/:phase_id',
      async ({ principal, params, set }) => {
        assertNotCrew(principal, 'plan phases')
        await inTx((trx) => deletePhase(trx, principal.orgId, params.id, params.phase_id, deps.clock))
        set.status = 204
      },
      {
        params: PhaseParams,
        response: { 204: Removed, ...WRITE_ERRORS },
        detail: doc('Jobs', 'deleteJobPhase', 'Remove a phase and its assignments'),
      },
    )
    .get('/:id/assignments', ({ principal, params, query }) => listAssignments(deps.db, principal.orgId, params.id, query), {
      params: IdParams,
      query: PageQuery,
      response: { 200: listEnvelope(JobAssignment, 'Crew on the job, newest first'), ...LIST_ERRORS },
      detail: doc('Jobs', 'listJobAssignments', 'List a job’s assignments'),
    })
    .post(
      '/:id/assignments',
      async ({ principal, params, body, set }) => {
        assertNotCrew(principal, 'assign crew')
        set.status = 201
        return { data: await inTx((trx) => createAssignment(trx, principal.orgId, params.id, body, deps.clock)) }
      },
      {
        params: IdParams,
        body: AssignmentCreate,
        response: { 201: dataEnvelope(JobAssignment, 'The new assignment'), ...WRITE_ERRORS },
        detail: doc('Jobs', 'createJobAssignment', 'Assign a crew member to the job or one phase'),
      },
    )
    .delete(
      '/:id/assignments/:assignment_id',
      async ({ principal, params, set }) => {
        assertNotCrew(principal, 'assign crew')
        await inTx((trx) => deleteAssignment(trx, principal.orgId, params.id, params.assignment_id, deps.clock))
        set.status = 204
      },
      {
        params: AssignmentParams,
        response: { 204: Removed, ...WRITE_ERRORS },
        detail: doc('Jobs', 'deleteJobAssignment', 'Remove an assignment'),
      },
    )
    .get('/:id/checkins', ({ principal, params, query }) => listCheckins(deps.db, principal.orgId, params.id, query), {
      params: IdParams,
      query: PageQuery,
      response: { 200: listEnvelope(Checkin, 'Check-ins and check-outs, newest first'), ...LIST_ERRORS },
      detail: doc('Jobs', 'listJobCheckins', 'List a job’s check-ins'),
    })
    .post(
      '/:id/checkins',
      async ({ principal, params, body, set }) => {
        await assertActsAsSelf(deps.db, principal, body.contractor_id)
        set.status = 201
        return { data: await inTx((trx) => createCheckin(trx, principal.orgId, params.id, body, deps.clock)) }
      },
      {
        params: IdParams,
        body: CheckinCreate,
        response: { 201: dataEnvelope(Checkin, 'The check-in'), ...WRITE_ERRORS },
        detail: doc('Jobs', 'createJobCheckin', 'Check a crew member in or out', 'Records `job.checkin` or `job.checkout`.'),
      },
    )
    .get('/:id/messages', ({ principal, params, query }) => listMessages(deps.db, principal.orgId, params.id, query), {
      params: IdParams,
      query: PageQuery,
      response: { 200: listEnvelope(Message, 'The job conversation, newest first'), ...LIST_ERRORS },
      detail: doc('Jobs', 'listJobMessages', 'List a job’s messages'),
    })
    .post(
      '/:id/messages',
      async ({ principal, params, body, set }) => {
        const author = { userId: principal.userId, contractorId: await linkedContractorId(deps.db, principal) }
        set.status = 201
        return { data: await inTx((trx) => createMessage(trx, principal.orgId, params.id, body, author, deps.clock)) }
      },
      {
        params: IdParams,
        body: MessageCreate,
        response: { 201: dataEnvelope(Message, 'The message'), ...WRITE_ERRORS },
        detail: doc('Jobs', 'createJobMessage', 'Post a message on the job', 'Records `message.sent`.'),
      },
    )
}
