import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import { findInOrg, updateVersioned } from '../../db/rows'
import type { Trx } from '../../db/transaction'
import { paginate } from '../../http/pagination'
import { alertStatusMachine } from './firing'
import { type AlertListFilters, type AlertObject, toAlert } from './model'

export function listAlerts(db: Db, orgId: string, filters: AlertListFilters) {
  let query = db.selectFrom('alerts').selectAll().where('org_id', '=', orgId)
  if (filters.status) query = query.where('status', '=', filters.status)
  if (filters.type) query = query.where('type', '=', filters.type)
  if (filters.rule_id) query = query.where('rule_id', '=', filters.rule_id)
  if (filters.job_id) query = query.where('job_id', '=', filters.job_id)
  if (filters.contractor_id) query = query.where('contractor_id', '=', filters.contractor_id)
  if (filters.place_id) query = query.where('place_id', '=', filters.place_id)
  return paginate(query, 'alerts.id', filters, toAlert)
}

export async function getAlert(db: Db, orgId: string, id: string): Promise<AlertObject> {
  return toAlert(await findInOrg(db, 'alerts', orgId, id, 'Alert'))
}

/** Someone has seen it and is on it; it stays until resolved (by them or by the condition ending). */
export async function acknowledgeAlert(trx: Trx, orgId: string, id: string, userId: string | null, clock: Clock) {
  const row = await findInOrg(trx, 'alerts', orgId, id, 'Alert')
  const status = alertStatusMachine.next('acknowledge', row.status)
  const now = clock.now().toISOString()
  return toAlert(await updateVersioned(trx, 'alerts', row, { status, acknowledged_at: now, acknowledged_by: userId }, now))
}

/**
 * Resolved by a person. While the condition lasts the alert stays active, so the rule
 * does not fire again for the same subject a minute later.
 */
export async function resolveAlert(trx: Trx, orgId: string, id: string, userId: string | null, clock: Clock) {
  const row = await findInOrg(trx, 'alerts', orgId, id, 'Alert')
  const status = alertStatusMachine.next('resolve', row.status)
  const now = clock.now().toISOString()
  return toAlert(
    await updateVersioned(trx, 'alerts', row, { status, resolved_at: now, resolved_by: userId, resolution: 'manual' }, now),
  )
}
