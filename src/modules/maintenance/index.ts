import { Elysia } from 'elysia'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { doc } from '../../http/openapi'
import { dataEnvelope } from '../../http/pagination'
import { Maintenance } from './model'
import { getMaintenance } from './service'

export const maintenanceRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/maintenance', normalize: false })
    .use(authenticated(deps))
    .get('', async () => ({ data: await getMaintenance(deps.db, deps.config) }), {
      response: { 200: dataEnvelope(Maintenance, 'Retention settings and the last scheduled runs'), ...errorResponses(401, 403, 429) },
      detail: doc(
        'Maintenance',
        'getMaintenance',
        'How long data is kept, and how pruning last went',
        'Owner or admin (`admin` permission). Settings come from the environment and are read-only here.',
      ),
    })
