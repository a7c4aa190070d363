import { assertNotReferenced, assertReference, sentFields } from '../../db/rows'
import { defineResource } from '../resource'
import { assertCoordinates } from '../../http/fields'
import { detachDeletedJobs } from '../jobs/service'
import { type PropertyCreateInput, type PropertyListFilters, type PropertyPatchInput, toProperty } from './model'

export const properties = defineResource({
  table: 'properties',
  idPrefix: 'prp',
  name: 'Property',
  toItem: toProperty,
  async toInsert(trx, orgId, input: PropertyCreateInput) {
    await assertReference(trx, 'clients', orgId, input.client_id, '/client_id', 'client')
    const lat = input.lat ?? null
    const lng = input.lng ?? null
    assertCoordinates(lat, lng)
    return { client_id: input.client_id, name: input.name ?? null, address: input.address, lat, lng, notes: input.notes ?? null }
  },
  toChanges(_trx, _orgId, input: PropertyPatchInput, row) {
    const changes = sentFields(input)
    assertCoordinates(changes.lat !== undefined ? changes.lat : row.lat, changes.lng !== undefined ? changes.lng : row.lng)
    return changes
  },
  filter(query, filters: PropertyListFilters) {
    let narrowed = query
    if (filters.client_id) narrowed = narrowed.where('properties.client_id', '=', filters.client_id)
    return narrowed
  },
  searchColumns: ['properties.name', 'properties.address'],
  async beforeDelete(trx, orgId, row) {
    await assertNotReferenced(trx, orgId, 'Property', row.id, [{ table: 'jobs', column: 'property_id', label: 'job', live: true }])
    await detachDeletedJobs(trx, 'property_id', row.id)
  },
})
