import { preparedQuery } from '../db/prepared'
import { deliveriesQueued, type Trx } from '../db/transaction'
import { type EventBody, eventBody } from '../events/body'
import type { RecordedEvent } from '../events/record'
import { newId } from '../ids'
import { subscribesTo } from './filter'
import { storedFilter } from './payload-filter'

const parsedFilters = new Map<string, string[]>()
function filterOf(json: string): string[] {
  let patterns = parsedFilters.get(json)
  if (!patterns) {
    patterns = JSON.parse(json) as string[]
    if (parsedFilters.size > 1000) parsedFilters.clear()
    parsedFilters.set(json, patterns)
  }
  return patterns
}

// Compiled once: they run inside every transaction that records an event.
// Disabled endpoints too: what they would have received is kept as `skipped`.
const subscribedEndpoints = preparedQuery(['orgId'], (db, p) =>
  db.selectFrom('webhook_endpoints').select(['id', 'events', 'debounce_seconds', 'enabled', 'filter']).where('org_id', '=', p.orgId),
)
const coalesceIntoWaiting = preparedQuery(['eventId', 'now', 'endpointId', 'coalesceKey'], (db, p) =>
  db
    .updateTable('deliveries')
    .set({ event_id: p.eventId, updated_at: p.now })
    .where('endpoint_id', '=', p.endpointId)
    .where('coalesce_key', '=', p.coalesceKey)
    .where('status', '=', 'pending')
    .where('attempt_count', '=', 0)
    .where('lease_token', 'is', null),
)
const insertDelivery = preparedQuery(['id', 'orgId', 'endpointId', 'eventId', 'eventType', 'coalesceKey', 'status', 'dueAt', 'now'], (db, p) =>
  db.insertInto('deliveries').values({
    id: p.id,
    org_id: p.orgId,
    endpoint_id: p.endpointId,
    event_id: p.eventId,
    event_type: p.eventType,
    payload: null,
    coalesce_key: p.coalesceKey,
    status: p.status,
    next_trigger: 'auto',
    attempt_count: 0,
    failures: 0,
    next_attempt_at: p.dueAt,
    lease_until: null,
    lease_token: null,
    last_attempt_at: null,
    last_status_code: null,
    last_error: null,
    created_at: p.now,
    updated_at: p.now,
  }),
)

/**
 * The transactional outbox's fan-out, called by recordEvent inside the transaction that records `event`, adding one
 * delivery per endpoint that subscribes to it and whose payload filter its body passes,
 * so the change, its event and its deliveries commit (or roll back) together. An event
 * the filter rejects leaves no row at all; one for a disabled endpoint is kept `skipped`
 * (never sent by itself; recover sends it once the endpoint is enabled again).
 *
 * With `debounce_seconds`, a `*.updated` waits out the window; later updates of the same
 * resource inside it replace the event the waiting delivery carries, so one delivery with
 * the latest state leaves when the window closes.
 */
export async function addDeliveries(trx: Trx, event: RecordedEvent): Promise<void> {
  const endpoints = (await subscribedEndpoints(trx, { orgId: event.org_id })).rows
  const now = event.created_at
  let added = false
  let body: EventBody | null = null
  for (const endpoint of endpoints) {
    if (!subscribesTo(filterOf(endpoint.events), event.type)) continue
    if (endpoint.filter !== null && !storedFilter(endpoint.filter)((body ??= eventBody(event)))) continue
    // A disabled endpoint keeps what it would have received as `skipped`, for recover to send later.
    const enabled = endpoint.enabled !== 0
    const debounced = enabled && endpoint.debounce_seconds > 0 && event.type.endsWith('.updated')
    const coalesceKey = debounced ? `${event.type}:${String(event.data.object.id)}` : null
    if (coalesceKey) {
      const waiting = await coalesceIntoWaiting(trx, { eventId: event.id, now, endpointId: endpoint.id, coalesceKey })
      if (Number(waiting.numAffectedRows ?? 0) > 0) continue
    }
    const dueAt = !enabled ? null : debounced ? new Date(Date.parse(now) + endpoint.debounce_seconds * 1000).toISOString() : now
    await insertDelivery(trx, {
      id: newId('dlv'),
      orgId: event.org_id,
      endpointId: endpoint.id,
      eventId: event.id,
      eventType: event.type,
      coalesceKey,
      status: enabled ? 'pending' : 'skipped',
      dueAt,
      now,
    })
    added ||= enabled
  }
  if (added) deliveriesQueued(trx)
}
