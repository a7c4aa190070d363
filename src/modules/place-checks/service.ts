import type { Db } from '../../db/client'
import { findInOrg } from '../../db/rows'
import { paginate } from '../../http/pagination'
import { type PlaceCheckListFilters, toPlaceCheck } from './model'

export function listPlaceChecks(db: Db, orgId: string, filters: PlaceCheckListFilters) {
  let query = db.selectFrom('place_checks').selectAll().where('org_id', '=', orgId)
  if (filters.place_id) query = query.where('place_id', '=', filters.place_id)
  if (filters.contractor_id) query = query.where('contractor_id', '=', filters.contractor_id)
  if (filters.type) query = query.where('type', '=', filters.type)
  return paginate(query, 'place_checks.id', filters, toPlaceCheck)
}

export async function getPlaceCheck(db: Db, orgId: string, id: string) {
  return toPlaceCheck(await findInOrg(db, 'place_checks', orgId, id, 'Place check'))
}
