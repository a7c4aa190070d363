import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import type { AlertRuleRow } from '../../db/schema'
import { transaction, type Trx } from '../../db/transaction'
import type { Logger } from '../../log'
import { TIME_RULE_TYPES } from '../alert-rules/model'
import { findJobRow, delayJob } from '../jobs/service'
import { findMatches } from './conditions'
import { activeAlertsOfRule, endAlert, fireAlert, subjectKey } from './firing'

/**
 * Alerts fired or resolved per transaction. A new rule over a backlog of old jobs can
 * match thousands at once; writing them in slices keeps each transaction (and so the
 * wait of API writes queued behind it) short.
 */
export const WRITES_PER_TRANSACTION = 100

export interface EvaluationResult {
  rules: number
  fired: number
  resolved: number
  failed: number
}

/**
 * One pass over every enabled time rule of every organization, all measured against the
 * same `clock.now()`: fires an alert for each new subject, resolves those whose condition
 * has ended. The cron calls it; tests call it directly after moving a TestClock.
 */
export async function evaluateAlerts(deps: { db: Db; clock: Clock; logger?: Logger }): Promise<EvaluationResult> {
  const now = deps.clock.now()
  const rules = await deps.db
    .selectFrom('alert_rules')
    .select('id')
    .where('enabled', '=', 1)
    .where('type', 'in', TIME_RULE_TYPES)
    .orderBy('id')
    .execute()
  const result: EvaluationResult = { rules: 0, fired: 0, resolved: 0, failed: 0 }
  for (const { id } of rules) {
    // Transactions per rule: a rule that fails (say, a job changed under it) does not hold back the others.
    try {
      let outcome: RuleOutcome
      do {
        outcome = await transaction(deps.db, (trx) => evaluateRule(trx, id, now, deps.clock))
        result.fired += outcome.fired
        result.resolved += outcome.resolved
      } while (outcome.more && outcome.fired + outcome.resolved > 0)
      result.rules++
    } catch (error) {
      result.failed++
      deps.logger?.error('alert rule evaluation failed', { rule: id, error: (error as Error).stack ?? String(error) })
    }
  }
  return result
}

interface RuleOutcome {
  fired: number
  resolved: number
  /** Writes were left for the next slice. */
  more: boolean
}

/** One slice: compares what the rule matches now with its active alerts and writes up to WRITES_PER_TRANSACTION changes. */
async function evaluateRule(trx: Trx, ruleId: string, now: Date, clock: Clock): Promise<RuleOutcome> {
  // Read again inside the transaction: the rule may have been disabled or deleted meanwhile.
  const rule = await trx.selectFrom('alert_rules').selectAll().where('id', '=', ruleId).where('enabled', '=', 1).executeTakeFirst()
  if (!rule) return { fired: 0, resolved: 0, more: false }
  const matches = new Map((await findMatches(trx, rule, now)).map((match) => [subjectKey(match), match]))
  const active = await activeAlertsOfRule(trx, rule.id)
  const ended = active.filter((alert) => !matches.has(alert.subject_key))
  const activeKeys = new Set(active.map((alert) => alert.subject_key))
  const fresh = [...matches].filter(([key]) => !activeKeys.has(key)).map(([, match]) => match)

  let budget = WRITES_PER_TRANSACTION
  let resolved = 0
  for (const alert of ended.slice(0, budget)) {
    await endAlert(trx, alert, 'auto', now)
    resolved++
  }
  budget -= resolved
  let fired = 0
  for (const match of fresh.slice(0, budget)) {
    if (!(await fireAlert(trx, rule, match, clock))) continue
    fired++
    if (rule.type === 'job_late_start') await delayLateJob(trx, rule, match.jobId!, clock)
  }
  return { fired, resolved, more: ended.length + fresh.length > WRITES_PER_TRANSACTION }
}

/** What a dispatcher would do with a job that did not start: mark it delayed, through the job status machine. */
async function delayLateJob(trx: Trx, rule: AlertRuleRow, jobId: string, clock: Clock) {
  const job = await findJobRow(trx, rule.org_id, jobId)
  if (job.status !== 'scheduled') return
  const reason = `Not started ${rule.minutes} minute${rule.minutes === 1 ? '' : 's'} after its scheduled start (alert rule "${rule.title}")`
  await delayJob(trx, rule.org_id, jobId, { reason }, clock)
}
