import { assertNotReferenced, sentFields } from '../../db/rows'
import { defineResource } from '../resource'
import { metadataJson } from '../../http/fields'
import { detachDeletedJobs } from '../jobs/service'
import { type ClientCreateInput, type ClientListFilters, type ClientPatchInput, toClient } from './model'

export const clients = defineResource({
  table: 'clients',
  idPrefix: 'cli',
  name: 'Client',
  toItem: toClient,
  toInsert: (_trx, _orgId, input: ClientCreateInput) => ({
    name: input.name,
    email: input.email ?? null,
    phone: input.phone ?? null,
    address: input.address ?? null,
    notes: input.notes ?? null,
    metadata: metadataJson(input.metadata ?? {}),
  }),
  toChanges: (_trx, _orgId, input: ClientPatchInput) => {
    const { metadata, ...rest } = sentFields(input)
    return { ...rest, ...(metadata !== undefined ? { metadata: metadataJson(metadata) } : {}) }
  },
  searchColumns: ['clients.name', 'clients.email'],
  events: { created: 'client.created', updated: 'client.updated' },
  async beforeDelete(trx, orgId, row) {
    await assertNotReferenced(trx, orgId, 'Client', row.id, [
      { table: 'jobs', column: 'client_id', label: 'job', live: true },
      { table: 'contacts', column: 'client_id', label: 'contact' },
      { table: 'properties', column: 'client_id', label: 'property' },
      { table: 'requests', column: 'client_id', label: 'request' },
      { table: 'estimates', column: 'client_id', label: 'estimate' },
      { table: 'invoices', column: 'client_id', label: 'invoice' },
      { table: 'payments', column: 'client_id', label: 'payment' },
    ])
    await detachDeletedJobs(trx, 'client_id', row.id)
  },
})
