import { assertReference, sentFields } from '../../db/rows'
import { defineResource } from '../resource'
import { type ContactCreateInput, type ContactListFilters, type ContactPatchInput, toContact } from './model'

export const contacts = defineResource({
  table: 'contacts',
  idPrefix: 'con',
  name: 'Contact',
  toItem: toContact,
  async toInsert(trx, orgId, input: ContactCreateInput) {
    await assertReference(trx, 'clients', orgId, input.client_id, '/client_id', 'client')
    return {
      client_id: input.client_id,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      title: input.title ?? null,
    }
  },
  async toChanges(trx, orgId, input: ContactPatchInput) {
    const changes = sentFields(input)
    if (changes.client_id !== undefined) await assertReference(trx, 'clients', orgId, changes.client_id, '/client_id', 'client')
    return changes
  },
  filter(query, filters: ContactListFilters) {
    let narrowed = query
    if (filters.client_id) narrowed = narrowed.where('contacts.client_id', '=', filters.client_id)
    return narrowed
  },
  searchColumns: ['contacts.name', 'contacts.email'],
  events: { created: 'contact.created', updated: 'contact.updated' },
})
