import type { AppDeps } from '../../deps'
import { crudRoutes } from '../../http/crud'
import { Place, PlaceCreate, PlaceListQuery, PlacePatch } from './model'
import { places } from './service'

export const placesRoutes = (deps: AppDeps) =>
  crudRoutes(deps, {
    prefix: '/places',
    tag: 'Places',
    singular: 'Place',
    plural: 'Places',
    item: Place,
    create: PlaceCreate,
    patch: PlacePatch,
    query: PlaceListQuery,
    service: places,
    notes: {
      list: 'Sites crew arrive at and leave (yards, warehouses, client sites). Filter with `q`.',
      create: 'Location pings (`POST /contractors/:id/locations`) within `radius_m` of the centre record a `place.checkin`.',
      remove: 'Refused with 409 while an alert rule watches the place. Its place checks and alerts stay as history.',
    },
  })
