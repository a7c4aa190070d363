import type { Clock } from '../../clock'
import type { AlertRuleRow } from '../../db/schema'
import type { Trx } from '../../db/transaction'
import type { PlaceCheckObject } from '../place-checks/model'
import { PLACE_RULE_TYPES } from '../alert-rules/model'
import { endAlert, fireAlert, subjectKey } from './firing'

/** Does the place rule watch this crew member at this place? */
export const placeRuleCovers = (rule: Pick<AlertRuleRow, 'place_id' | 'contractor_id'>, placeId: string | null, contractorId: string | null) =>
  (rule.place_id === null || rule.place_id === placeId) && (rule.contractor_id === null || rule.contractor_id === contractorId)

export interface PlaceCrossing {
  check: PlaceCheckObject
  placeName: string
  contractorName: string
}

/**
 * A crew member arrived at or left a place: `place_enter` rules fire on arrival and their
 * alert lasts while the crew member is there; `place_leave` rules the other way round.
 */
export async function applyPlaceRules(trx: Trx, orgId: string, crossing: PlaceCrossing, clock: Clock): Promise<void> {
  const { check } = crossing
  const rules = await trx
    .selectFrom('alert_rules')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('enabled', '=', 1)
    .where('type', 'in', PLACE_RULE_TYPES)
    .orderBy('id')
    .execute()
  const subject = { jobId: null, contractorId: check.contractor_id, placeId: check.place_id }
  for (const rule of rules) {
    if (!placeRuleCovers(rule, check.place_id, check.contractor_id)) continue
    const firesOn = rule.type === 'place_enter' ? 'in' : 'out'
    if (check.type === firesOn) {
      await fireAlert(trx, rule, { ...subject, subjectType: 'place', subjectId: check.place_id, message: describe(crossing) }, clock)
      continue
    }
    const active = await trx
      .selectFrom('alerts')
      .selectAll()
      .where('rule_id', '=', rule.id)
      .where('subject_key', '=', subjectKey(subject))
      .where('active', '=', 1)
      .executeTakeFirst()
    if (active) await endAlert(trx, active, 'auto', clock.now())
  }
}

function describe({ check, placeName, contractorName }: PlaceCrossing): string {
  const where = `${Math.round(check.distance_m)} m from its centre`
  return check.type === 'in'
    ? `${contractorName} arrived at ${placeName} at ${check.at} (${where})`
    : `${contractorName} left ${placeName} at ${check.at} (${where})`
}
