import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely'
import type { AlertRuleRow, DB } from '../../db/schema'
import type { Trx } from '../../db/transaction'
import type { AlertMatch } from './firing'

// What each time rule looks for, as one query per rule: every subject for which the
// expected thing has not happened `minutes` after it was due. Timestamps are stored as
// UTC ISO strings, so comparing strings compares times.

type TimeRuleType = 'job_late_start' | 'no_check_in' | 'no_check_out' | 'job_overrun'

const MINUTE_MS = 60_000
const minutesSince = (iso: string, now: Date) => Math.floor((now.getTime() - Date.parse(iso)) / MINUTE_MS)
const jobLabel = (job: { number: string; title: string }) => `${job.number} "${job.title}"`
const plural = (n: number) => `${n} minute${n === 1 ? '' : 's'}`

/** Jobs the rule's filters select; `jobs` is joined in every condition query. */
function withJobFilters<O>(query: SelectQueryBuilder<DB, any, O>, rule: AlertRuleRow, contractorColumn?: string) {
  let narrowed = query.where('jobs.org_id', '=', rule.org_id).where('jobs.deleted_at', 'is', null)
  if (rule.priority !== null) narrowed = narrowed.where('jobs.priority', '=', rule.priority)
  if (rule.client_id !== null) narrowed = narrowed.where('jobs.client_id', '=', rule.client_id)
  if (rule.contractor_id !== null) {
    narrowed = contractorColumn
      ? narrowed.where(contractorColumn as 'jobs.id', '=', rule.contractor_id)
      : narrowed.where((eb: ExpressionBuilder<DB, 'jobs'>) =>
          eb.exists(
            eb
              .selectFrom('job_assignments')
              .select('job_assignments.id')
              .whereRef('job_assignments.job_id', '=', 'jobs.id')
              .where('job_assignments.contractor_id', '=', rule.contractor_id),
          ),
        )
  }
  return narrowed
}

async function lateStarts(trx: Trx, rule: AlertRuleRow, due: string, now: Date): Promise<AlertMatch[]> {
  const jobs = await withJobFilters(trx.selectFrom('jobs').select(['jobs.id', 'jobs.number', 'jobs.title', 'jobs.scheduled_start']), rule)
    .where('jobs.status', 'in', ['scheduled', 'delayed'])
    .where('jobs.started_at', 'is', null)
    .where('jobs.scheduled_start', '<=', due)
    .execute()
  return jobs.map((job) => ({
    subjectType: 'job',
    subjectId: job.id,
    jobId: job.id,
    contractorId: null,
    placeId: null,
    message: `${jobLabel(job)} has not started ${plural(minutesSince(job.scheduled_start!, now))} after its scheduled start (${job.scheduled_start})`,
  }))
}

async function overruns(trx: Trx, rule: AlertRuleRow, due: string, now: Date): Promise<AlertMatch[]> {
  const jobs = await withJobFilters(trx.selectFrom('jobs').select(['jobs.id', 'jobs.number', 'jobs.title', 'jobs.scheduled_end']), rule)
    .where('jobs.status', '=', 'in_progress')
    .where('jobs.scheduled_end', '<=', due)
    .execute()
  return jobs.map((job) => ({
    subjectType: 'job',
    subjectId: job.id,
    jobId: job.id,
    contractorId: null,
    placeId: null,
    message: `${jobLabel(job)} is still in progress ${plural(minutesSince(job.scheduled_end!, now))} after its scheduled end (${job.scheduled_end})`,
  }))
}

/** Crew assigned to a live job whose start is `minutes` past, with no check-in on it at all. */
async function missingCheckIns(trx: Trx, rule: AlertRuleRow, due: string, now: Date): Promise<AlertMatch[]> {
  const rows = await withJobFilters(
    trx
      .selectFrom('job_assignments')
      .innerJoin('jobs', 'jobs.id', 'job_assignments.job_id')
      .innerJoin('contractors', 'contractors.id', 'job_assignments.contractor_id')
      .select(['jobs.id as job_id', 'jobs.number', 'jobs.title', 'jobs.scheduled_start', 'contractors.id as contractor_id', 'contractors.name'])
      .distinct(),
    rule,
    'job_assignments.contractor_id',
  )
    .where('jobs.status', 'in', ['scheduled', 'delayed', 'in_progress'])
    .where('jobs.scheduled_start', '<=', due)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('job_checkins')
            .select('job_checkins.id')
            .whereRef('job_checkins.job_id', '=', 'jobs.id')
            .whereRef('job_checkins.contractor_id', '=', 'job_assignments.contractor_id')
            .where('job_checkins.type', '=', 'in'),
        ),
      ),
    )
    .execute()
  return rows.map((row) => ({
    subjectType: 'contractor',
    subjectId: row.contractor_id,
    jobId: row.job_id,
    contractorId: row.contractor_id,
    placeId: null,
    message: `${row.name} has not checked in on ${jobLabel(row)} ${plural(minutesSince(row.scheduled_start!, now))} after its scheduled start (${row.scheduled_start})`,
  }))
}

/** Crew whose latest check-in or check-out on a job (by `at`) is a check-in older than `minutes`. */
async function missingCheckOuts(trx: Trx, rule: AlertRuleRow, due: string, now: Date): Promise<AlertMatch[]> {
  const latestCheckIns = trx
    .selectFrom('job_checkins as k')
    .innerJoin('jobs', 'jobs.id', 'k.job_id')
    .innerJoin('contractors', 'contractors.id', 'k.contractor_id')
    .select(['jobs.id as job_id', 'jobs.number', 'jobs.title', 'k.at', 'contractors.id as contractor_id', 'contractors.name'])
    .where('k.type', '=', 'in')
    .where('k.at', '<=', due)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('job_checkins as later')
            .select('later.id')
            .whereRef('later.job_id', '=', 'k.job_id')
            .whereRef('later.contractor_id', '=', 'k.contractor_id')
            .where((inner) =>
              inner.or([
                inner('later.at', '>', inner.ref('k.at')),
                inner.and([inner('later.at', '=', inner.ref('k.at')), inner('later.id', '>', inner.ref('k.id'))]),
              ]),
            ),
        ),
      ),
    )
  const rows = await withJobFilters(latestCheckIns, rule, 'k.contractor_id').where('jobs.status', '!=', 'archived').execute()
  return rows.map((row) => ({
    subjectType: 'contractor',
    subjectId: row.contractor_id,
    jobId: row.job_id,
    contractorId: row.contractor_id,
    placeId: null,
    message: `${row.name} has been checked in on ${jobLabel(row)} for ${plural(minutesSince(row.at, now))} (since ${row.at}) without checking out`,
  }))
}

const CONDITIONS: Record<TimeRuleType, (trx: Trx, rule: AlertRuleRow, due: string, now: Date) => Promise<AlertMatch[]>> = {
  job_late_start: lateStarts,
  no_check_in: missingCheckIns,
  no_check_out: missingCheckOuts,
  job_overrun: overruns,
}

/** Everything the time rule matches at `now`; place rules match nothing here (pings fire them). */
export function findMatches(trx: Trx, rule: AlertRuleRow, now: Date): Promise<AlertMatch[]> {
  const condition = CONDITIONS[rule.type as TimeRuleType]
  if (!condition || rule.minutes === null) return Promise.resolve([])
  const due = new Date(now.getTime() - rule.minutes * MINUTE_MS).toISOString()
  return condition(trx, rule, due, now)
}
