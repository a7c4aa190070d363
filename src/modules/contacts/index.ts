import type { AppDeps } from '../../deps'
import { crudRoutes } from '../../http/crud'
import { Contact, ContactCreate, ContactListQuery, ContactPatch } from './model'
import { contacts } from './service'

export const contactsRoutes = (deps: AppDeps) =>
  crudRoutes(deps, {
    prefix: '/contacts',
    tag: 'Contacts',
    singular: 'Contact',
    plural: 'Contacts',
    item: Contact,
    create: ContactCreate,
    patch: ContactPatch,
    query: ContactListQuery,
    service: contacts,
    notes: {
      list: 'Filter by `client_id`.',
      create: 'Records `contact.created`.',
      update: 'Honours `If-Match`. Records `contact.updated` with the previous values.',
    },
  })
