import { afterCommit, type Trx } from '../db/transaction'
import type { RecordedEvent } from '../events/record'
import { newId } from '../ids'
import { subscribesTo } from './filter'
import { wakeDispatchers } from './wake'

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

/**
 * The transactional outbox: runs inside the transaction that records `event`, adding one
 * delivery per enabled endpoint that subscribes to it, so the change, its event and its
 * deliveries commit (or roll back) together.
 *
 * With `debounce_seconds`, a `*.updated` waits out the window; later updates of the same
 * resource inside it replace the event the waiting delivery carries, so one delivery with
 * the latest state leaves when the window closes.
 */
export async function addDeliveries(trx: Trx, event: RecordedEvent): Promise<void> {
  const endpoints = await trx
    .selectFrom('webhook_endpoints')
    .select(['id', 'events', 'debounce_seconds'])
    .where('org_id', '=', event.org_id)
    .where('enabled', '=', 1)
    .execute()
  const now = event.created_at
  let added = false
  for (const endpoint of endpoints) {
    if (!subscribesTo(filterOf(endpoint.events), event.type)) continue
    const debounced = endpoint.debounce_seconds > 0 && event.type.endsWith('.updated')
    const coalesceKey = debounced ? `${event.type}:${String(event.data.object.id)}` : null
    if (coalesceKey) {
      const waiting = await trx
        .updateTable('deliveries')
        .set({ event_id: event.id, updated_at: now })
        .where('endpoint_id', '=', endpoint.id)
        .where('coalesce_key', '=', coalesceKey)
        .where('status', '=', 'pending')
        .where('attempt_count', '=', 0)
        .where('lease_token', 'is', null)
        .executeTakeFirst()
      if (Number(waiting.numUpdatedRows) > 0) continue
    }
    const dueAt = debounced ? new Date(Date.parse(now) + endpoint.debounce_seconds * 1000).toISOString() : now
    await trx
      .insertInto('deliveries')
      .values({
        id: newId('dlv'),
        org_id: event.org_id,
        endpoint_id: endpoint.id,
        event_id: event.id,
        event_type: event.type,
        payload: null,
        coalesce_key: coalesceKey,
        status: 'pending',
        next_trigger: 'auto',
        attempt_count: 0,
        failures: 0,
        next_attempt_at: dueAt,
        lease_until: null,
        lease_token: null,
        last_attempt_at: null,
        last_status_code: null,
        last_error: null,
        created_at: now,
        updated_at: now,
      })
      .execute()
    added = true
  }
  if (added) afterCommit(trx, wakeDispatchers)
}
