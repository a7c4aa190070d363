import { writeAnswering } from '../../http/idempotency'
import { Elysia, t } from 'elysia'
import { transaction, type Trx } from '../../db/transaction'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams, NoBody } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope, PaginationSchema } from '../../http/pagination'
import { assertJobVisible, assertNotCrew, crewScope } from './crew'
import { Job, JobComplete, JobCreate, JobDelay, JobListQuery, JobPatch, JobSummary } from './model'
import { jobPartsRoutes } from './parts-routes'
import { archiveJob, completeJob, createJob, delayJob, deleteJob, getJob, listJobs, startJob, updateJob } from './service'

// The list is the hot path (benchmarked at a million jobs): checking 50 mapped rows against
// their schema on every answer cost ~40 % of the request. toJobSummary builds exactly that
// shape, and test/domain/jobs.test.ts checks a list answer against the schema instead.
export const JobListEnvelope = t.Object(
  { data: t.Array(JobSummary), pagination: PaginationSchema },
  { description: 'Jobs, newest first (without phases and assignments)', noValidate: true },
)
const oneJob = (description: string) => dataEnvelope(Job, description)
const ACTION_ERRORS = errorResponses(400, 401, 403, 404, 409, 429)

export const jobsRoutes = (deps: AppDeps) => {
  const inTx = <T>(fn: (trx: Trx) => Promise<T>) => transaction(deps.db, fn)
  return new Elysia({ prefix: '/jobs', normalize: false })
    .use(authenticated(deps))
    .onBeforeHandle(async ({ principal, params }) => {
      const id = (params as { id?: string } | undefined)?.id
      if (id !== undefined) await assertJobVisible(deps.db, principal, id)
    })
    .get('', async ({ principal, query }) => listJobs(deps.db, principal.orgId, query, await crewScope(deps.db, principal)), {
      query: JobListQuery,
      response: { 200: JobListEnvelope, ...errorResponses(400, 401, 403, 429) },
      detail: doc('Jobs', 'listJobs', 'List jobs', 'Crew members see only the jobs they are assigned to.'),
    })
    .get('/:id', async ({ principal, params }) => ({ data: await getJob(deps.db, principal.orgId, params.id) }), {
      params: IdParams,
      response: { 200: oneJob('The job with its phases and assignments'), ...errorResponses(401, 403, 404, 429) },
      detail: doc('Jobs', 'getJob', 'Get a job with its phases and assignments'),
    })
    .post(
      '',
      async ({ principal, body, set, request }) => {
        assertNotCrew(principal, 'create jobs')
        set.status = 201
        return { data: await writeAnswering(deps.db, request, 201, (trx) => createJob(trx, principal.orgId, body, deps.clock)) }
      },
      {
        body: JobCreate,
        response: { 201: oneJob('The new job, status `scheduled`'), ...errorResponses(400, 401, 403, 409, 429) },
        detail: doc('Jobs', 'createJob', 'Create a job', 'Phases and whole-job assignments can be given inline.'),
      },
    )
    .patch(
      '/:id',
      async ({ principal, params, body, headers }) => {
        assertNotCrew(principal, 'edit jobs')
        const ifMatch = headers['if-match'] ?? null
        return { data: await inTx((trx) => updateJob(trx, principal.orgId, params.id, body, ifMatch, deps.clock)) }
      },
      {
        params: IdParams,
        body: JobPatch,
        response: { 200: oneJob('The updated job'), ...errorResponses(400, 401, 403, 404, 409, 412, 429) },
        detail: doc('Jobs', 'updateJob', 'Change a job', 'Status changes only through start, complete, delay and archive.'),
      },
    )
    .delete(
      '/:id',
      async ({ principal, params, set }) => {
        assertNotCrew(principal, 'delete jobs')
        await inTx((trx) => deleteJob(trx, principal.orgId, params.id, deps.clock))
        set.status = 204
      },
      {
        params: IdParams,
        response: { 204: t.Void({ description: 'Deleted; gone from lists and GET' }), ...errorResponses(401, 403, 404, 429) },
        detail: doc('Jobs', 'deleteJob', 'Delete a job', 'Records `job.deleted`.'),
      },
    )
    .post('/:id/start', async ({ principal, params }) => ({ data: await inTx((trx) => startJob(trx, principal.orgId, params.id, deps.clock)) }), {
      params: IdParams,
      body: NoBody,
      response: { 200: oneJob('The job, now `in_progress`'), ...ACTION_ERRORS },
      detail: doc('Jobs', 'startJob', 'Start a job', 'From `scheduled` or `delayed`; anything else is 409.'),
    })
    .post(
      '/:id/complete',
      async ({ principal, params, body }) => ({
        data: await inTx((trx) => completeJob(trx, principal.orgId, params.id, body, deps.clock)),
      }),
      {
        params: IdParams,
        body: JobComplete,
        response: { 200: oneJob('The job, now `completed`'), ...ACTION_ERRORS },
        detail: doc('Jobs', 'completeJob', 'Complete a job', 'From `in_progress` only, with outcome `success` or `failure`.'),
      },
    )
    .post(
      '/:id/delay',
      async ({ principal, params, body }) => ({ data: await inTx((trx) => delayJob(trx, principal.orgId, params.id, body, deps.clock)) }),
      {
        params: IdParams,
        body: JobDelay,
        response: { 200: oneJob('The job, now `delayed`'), ...ACTION_ERRORS },
        detail: doc('Jobs', 'delayJob', 'Delay a job', 'From `scheduled` or `in_progress`; `new_start` moves the schedule.'),
      },
    )
    .post(
      '/:id/archive',
      async ({ principal, params }) => {
        assertNotCrew(principal, 'archive jobs')
        return { data: await inTx((trx) => archiveJob(trx, principal.orgId, params.id, deps.clock)) }
      },
      {
        params: IdParams,
        body: NoBody,
        response: { 200: oneJob('The job, now `archived`'), ...ACTION_ERRORS },
        detail: doc('Jobs', 'archiveJob', 'Archive a job', 'From any status but `archived`.'),
      },
    )
    .use(jobPartsRoutes(deps))
}
