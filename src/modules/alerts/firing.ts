import type { Clock } from '../../clock'
import { updateVersioned } from '../../db/rows'
import type { AlertResolution, AlertRow, AlertRuleRow, AlertSubjectType } from '../../db/schema'
import type { Trx } from '../../db/transaction'
import { recordEvent } from '../../events/record'
import { defineStatusMachine } from '../../status-machine'
import { newId } from '../../ids'
import { type AlertObject, toAlert } from './model'

// How an alert is born and how it ends. The evaluator (time rules) and location pings
// (place rules) both go through here, so "one alert per rule and subject while the
// condition lasts" and `alert.triggered` are written in one place.

/** `open` → `acknowledged` → `resolved`; `open` → `resolved`. */
export const alertStatusMachine = defineStatusMachine<AlertRow['status'], 'acknowledge' | 'resolve'>('alert', {
  acknowledge: { from: ['open'], to: 'acknowledged' },
  resolve: { from: ['open', 'acknowledged'], to: 'resolved' },
})

/** What a rule found: who or what it is about, and the sentence a dispatcher reads. */
export interface AlertMatch {
  subjectType: AlertSubjectType
  subjectId: string
  jobId: string | null
  contractorId: string | null
  placeId: string | null
  message: string
}

/** "The same subject" for the uniqueness of an alert: the job, crew member and place it concerns. */
export const subjectKey = (match: Pick<AlertMatch, 'jobId' | 'contractorId' | 'placeId'>) =>
  [match.jobId ?? '', match.contractorId ?? '', match.placeId ?? ''].join('|')

/**
 * Stores the alert and records `alert.triggered`, unless an alert of this rule for this
 * subject is still active: then nothing happens and null is returned. The unique partial
 * index makes that hold even when two evaluations race.
 */
export async function fireAlert(trx: Trx, rule: AlertRuleRow, match: AlertMatch, clock: Clock): Promise<AlertObject | null> {
  const now = clock.now()
  const row: AlertRow = {
    id: newId('alt'),
    org_id: rule.org_id,
    rule_id: rule.id,
    type: rule.type,
    rule_title: rule.title,
    rule_description: rule.description,
    rule_minutes: rule.minutes,
    subject_type: match.subjectType,
    subject_id: match.subjectId,
    subject_key: subjectKey(match),
    job_id: match.jobId,
    contractor_id: match.contractorId,
    place_id: match.placeId,
    message: match.message,
    status: 'open',
    active: 1,
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    resolved_by: null,
    resolution: null,
    version: 1,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  }
  const inserted = await trx
    .insertInto('alerts')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!inserted) return null
  const alert = toAlert(row)
  await recordEvent(trx, { orgId: rule.org_id, type: 'alert.triggered', object: alert, at: now })
  return alert
}

/**
 * The condition behind an active alert is over (or its rule no longer watches it): the
 * alert stops being active and, unless a person already resolved it, is resolved now.
 */
export async function endAlert(trx: Trx, row: AlertRow, resolution: AlertResolution, now: Date): Promise<AlertObject> {
  const iso = now.toISOString()
  const changes: Partial<AlertRow> =
    row.status === 'resolved'
      ? { active: 0 }
      : { active: 0, status: alertStatusMachine.next('resolve', row.status), resolved_at: iso, resolved_by: null, resolution }
  return toAlert(await updateVersioned(trx, 'alerts', row, changes, iso))
}

export function activeAlertsOfRule(trx: Trx, ruleId: string) {
  return trx.selectFrom('alerts').selectAll().where('rule_id', '=', ruleId).where('active', '=', 1).execute()
}

/** Ends the rule's active alerts (all, or those `stillWatched` says the rule no longer covers). */
export async function endRuleAlerts(
  trx: Trx,
  ruleId: string,
  resolution: AlertResolution,
  now: Date,
  stillWatched: (alert: AlertRow) => boolean = () => false,
): Promise<number> {
  let ended = 0
  for (const alert of await activeAlertsOfRule(trx, ruleId)) {
    if (stillWatched(alert)) continue
    await endAlert(trx, alert, resolution, now)
    ended++
  }
  return ended
}
