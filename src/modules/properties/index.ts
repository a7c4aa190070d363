import type { AppDeps } from '../../deps'
import { crudRoutes } from '../../http/crud'
import { Property, PropertyCreate, PropertyListQuery, PropertyPatch } from './model'
import { properties } from './service'

export const propertiesRoutes = (deps: AppDeps) =>
  crudRoutes(deps, {
    prefix: '/properties',
    tag: 'Properties',
    singular: 'Property',
    plural: 'Properties',
    item: Property,
    create: PropertyCreate,
    patch: PropertyPatch,
    query: PropertyListQuery,
    service: properties,
    notes: {
      list: 'Filter by `client_id`.',
      remove: 'Refused with 409 while jobs are at the property.',
    },
  })
