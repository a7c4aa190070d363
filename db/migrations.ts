import type { Migration } from 'kysely'
import * as platform from './migrations/2026-11-22T0000_platform'
import * as operations from './migrations/2026-11-22T0100_operations'
import * as domain from './migrations/2026-11-22T0200_domain'
import * as money from './migrations/2026-11-22T0300_money'
import * as webhooks from './migrations/2026-11-22T0400_webhooks'
import * as ingress from './migrations/2026-11-22T0500_ingress'
import * as alerts from './migrations/2026-11-22T0600_alerts'
import * as jobListIndexes from './migrations/2026-11-22T0600_job_list_indexes'
import * as firstRun from './migrations/2026-12-02T0100_first_run'
import * as retention from './migrations/2026-12-02T0200_retention'
import * as endpointFilters from './migrations/2026-12-02T0300_endpoint_filters'

// Registered statically: a compiled binary has no folder to read migrations from.
// Keys sort in the order migrations must run; add new ones at the end.
export const migrations: Record<string, Migration> = {
  '2026-11-22T0000_platform': platform,
  '2026-11-22T0100_operations': operations,
  '2026-11-22T0200_domain': domain,
  '2026-11-22T0300_money': money,
  '2026-11-22T0400_webhooks': webhooks,
  '2026-11-22T0500_ingress': ingress,
  '2026-11-22T0600_alerts': alerts,
  '2026-11-22T0600_job_list_indexes': jobListIndexes,
  '2026-12-02T0100_first_run': firstRun,
  '2026-12-02T0200_retention': retention,
  '2026-12-02T0300_endpoint_filters': endpointFilters,
}
