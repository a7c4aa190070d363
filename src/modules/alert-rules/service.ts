import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import { defineResource, type ResourceService } from '../resource'
import { assertReference, findInOrg, sentFields, updateVersioned } from '../../db/rows'
import type { AlertRuleRow } from '../../db/schema'
import { transaction, type Trx } from '../../db/transaction'
import { invalid } from '../../http/errors'
import { assertIfMatch } from '../../http/etag'
import { endRuleAlerts } from '../alerts/firing'
import { placeRuleCovers } from '../alerts/place-rules'
import {
  type AlertRuleCreateInput,
  type AlertRuleListFilters,
  type AlertRuleObject,
  type AlertRulePatchInput,
  isPlaceRule,
  toAlertRule,
} from './model'

type RuleShape = Pick<AlertRuleRow, 'type' | 'minutes' | 'priority' | 'client_id' | 'place_id'>

/** Job rules wait `minutes` and filter jobs; place rules fire on a crossing and filter places. */
function assertRuleFits(rule: RuleShape) {
  if (isPlaceRule(rule.type)) {
    if (rule.minutes !== null) throw invalid('/minutes', `${rule.type} rules fire on arrival or departure; leave minutes out`)
    if (rule.priority !== null) throw invalid('/priority', `filters jobs; ${rule.type} rules watch places`)
    if (rule.client_id !== null) throw invalid('/client_id', `filters jobs; ${rule.type} rules watch places`)
  } else {
    if (rule.minutes === null) throw invalid('/minutes', `is required for ${rule.type} rules`)
    if (rule.place_id !== null) throw invalid('/place_id', 'applies only to place_enter and place_leave rules')
  }
}

/** Filters given in a body must name rows of the caller's org (400 otherwise, like every reference). */
async function assertFilterReferences(trx: Trx, orgId: string, filters: Partial<Pick<AlertRuleRow, 'client_id' | 'contractor_id' | 'place_id'>>) {
  if (filters.client_id) await assertReference(trx, 'clients', orgId, filters.client_id, '/client_id', 'client')
  if (filters.contractor_id) await assertReference(trx, 'contractors', orgId, filters.contractor_id, '/contractor_id', 'contractor')
  if (filters.place_id) await assertReference(trx, 'places', orgId, filters.place_id, '/place_id', 'place')
}

const base = defineResource({
  table: 'alert_rules',
  idPrefix: 'alr',
  name: 'Alert rule',
  toItem: toAlertRule,
  async toInsert(trx, orgId, input: AlertRuleCreateInput) {
    const columns = {
      type: input.type,
      title: input.title,
      description: input.description ?? null,
      minutes: input.minutes ?? null,
      priority: input.priority ?? null,
      client_id: input.client_id ?? null,
      contractor_id: input.contractor_id ?? null,
      place_id: input.place_id ?? null,
      enabled: input.enabled === false ? 0 : 1,
    }
    assertRuleFits(columns)
    await assertFilterReferences(trx, orgId, columns)
    return columns
  },
  // Updates go through `updateAlertRule` below, which also settles the rule's alerts.
  toChanges: () => ({}),
  filter(query, filters: AlertRuleListFilters) {
    let narrowed = query
    if (filters.type) narrowed = narrowed.where('alert_rules.type', '=', filters.type)
    if (filters.enabled) narrowed = narrowed.where('alert_rules.enabled', '=', filters.enabled === 'true' ? 1 : 0)
    return narrowed
  },
})

async function changesFor(trx: Trx, orgId: string, input: AlertRulePatchInput, row: AlertRuleRow): Promise<Partial<AlertRuleRow>> {
  const { enabled, ...sent } = sentFields(input)
  const changes: Partial<AlertRuleRow> = { ...sent, ...(enabled !== undefined ? { enabled: enabled ? 1 : 0 } : {}) }
  assertRuleFits({ ...row, ...changes })
  await assertFilterReferences(trx, orgId, sent)
  return changes
}

/**
 * A disabled rule stops watching: its alerts are resolved. A place rule whose filters
 * narrowed resolves the alerts it no longer covers. (Time rules settle on the next
 * evaluation, which compares with what the changed rule matches.)
 */
async function settleAlerts(trx: Trx, before: AlertRuleRow, after: AlertRuleRow, now: Date) {
  if (after.enabled === 0) {
    if (before.enabled === 1) await endRuleAlerts(trx, after.id, 'rule_disabled', now)
    return
  }
  if (isPlaceRule(after.type)) {
    await endRuleAlerts(trx, after.id, 'rule_changed', now, (alert) => placeRuleCovers(after, alert.place_id, alert.contractor_id))
  }
}

export function updateAlertRule(
  db: Db,
  orgId: string,
  id: string,
  input: AlertRulePatchInput,
  ifMatch: string | null,
  clock: Clock,
): Promise<AlertRuleObject> {
  return transaction(db, async (trx) => {
    const row = await findInOrg(trx, 'alert_rules', orgId, id, 'Alert rule')
    assertIfMatch(ifMatch, row.version)
    const changes = await changesFor(trx, orgId, input, row)
    if (!Object.entries(changes).some(([key, value]) => row[key as keyof AlertRuleRow] !== value)) return toAlertRule(row)
    const now = clock.now()
    const updated = await updateVersioned(trx, 'alert_rules', row, changes, now.toISOString())
    await settleAlerts(trx, row, updated, now)
    return toAlertRule(updated)
  })
}

/** Deleting a rule resolves its alerts; the alerts themselves stay as history. */
export function deleteAlertRule(db: Db, orgId: string, id: string, clock: Clock): Promise<void> {
  return transaction(db, async (trx) => {
    const row = await findInOrg(trx, 'alert_rules', orgId, id, 'Alert rule')
    await endRuleAlerts(trx, row.id, 'rule_deleted', clock.now())
    await trx.deleteFrom('alert_rules').where('id', '=', row.id).execute()
  })
}

export const alertRules: ResourceService<AlertRuleObject, AlertRuleCreateInput, AlertRulePatchInput, AlertRuleListFilters> = {
  ...base,
  update: updateAlertRule,
  remove: deleteAlertRule,
}
