import { defineResource } from '../resource'
import { assertNotReferenced, sentFields } from '../../db/rows'
import { DEFAULT_RADIUS_M, type PlaceCreateInput, type PlaceListFilters, type PlacePatchInput, toPlace } from './model'

export const places = defineResource({
  table: 'places',
  idPrefix: 'plc',
  name: 'Place',
  toItem: toPlace,
  toInsert(_trx, _orgId, input: PlaceCreateInput) {
    return {
      name: input.name,
      address: input.address ?? null,
      lat: input.lat,
      lng: input.lng,
      radius_m: input.radius_m ?? DEFAULT_RADIUS_M,
    }
  },
  toChanges(_trx, _orgId, input: PlacePatchInput) {
    return sentFields(input)
  },
  searchColumns: ['places.name', 'places.address'],
  // Who is inside the place goes with it (cascade); its place checks and alerts stay as history.
  async beforeDelete(trx, orgId, row) {
    await assertNotReferenced(trx, orgId, 'Place', row.id, [{ table: 'alert_rules', column: 'place_id', label: 'alert rule' }])
  },
})
