import type { AppDeps } from '../../deps'
import { crudRoutes } from '../../http/crud'
import { Client, ClientCreate, ClientListQuery, ClientPatch } from './model'
import { clients } from './service'

export const clientsRoutes = (deps: AppDeps) =>
  crudRoutes(deps, {
    prefix: '/clients',
    tag: 'Clients',
    singular: 'Client',
    plural: 'Clients',
    item: Client,
    create: ClientCreate,
    patch: ClientPatch,
    query: ClientListQuery,
    service: clients,
    notes: {
      create: 'Records `client.created`.',
      update: 'Honours `If-Match`. Records `client.updated` with the previous values.',
      remove: 'Refused with 409 while jobs, contacts, properties, requests, estimates, invoices or payments refer to the client.',
    },
  })
