import { preparedQuery } from '../db/prepared'
import type { Trx } from '../db/transaction'
import { newId } from '../ids'
import { addDeliveries } from '../outbox/fanout'
import type { EventType } from './catalog'

export interface EventInput {
  orgId: string
  type: EventType
  /** The resource as its GET returns it. */
  object: { id: string } & Record<string, unknown>
  /** On `*.updated`: the changed fields' values before the change. */
  previous?: Record<string, unknown>
  at: Date
}

export interface RecordedEvent {
  id: string
  org_id: string
  type: EventType
  created_at: string
  data: { object: Record<string, unknown>; previous?: Record<string, unknown> }
}

const resourceType = (id: string) => id.slice(0, id.indexOf('_'))

// Compiled once: it runs in every transaction that changes anything.
const insertEvent = preparedQuery(['id', 'org_id', 'type', 'resource_type', 'resource_id', 'data', 'created_at'], (db, p) =>
  db.insertInto('events').values(p),
)

/**
 * The one way an event is born: inside the transaction of the change it describes, so a
 * committed change always has its event and its webhook deliveries, a rolled-back one none.
 */
export async function recordEvent(trx: Trx, input: EventInput): Promise<RecordedEvent> {
  const event: RecordedEvent = {
    id: newId('evt'),
    org_id: input.orgId,
    type: input.type,
    created_at: input.at.toISOString(),
    data: { object: input.object, ...(input.previous ? { previous: input.previous } : {}) },
  }
  await insertEvent(trx, {
    id: event.id,
    org_id: event.org_id,
    type: event.type,
    resource_type: resourceType(input.object.id),
    resource_id: input.object.id,
    data: JSON.stringify(event.data),
    created_at: event.created_at,
  })
  // The transactional outbox: the event's webhook deliveries commit (or roll back) with it.
  await addDeliveries(trx, event)
  return event
}

/** Fields of `after` that differ from `before`, with their old values (for `previous`). */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T): Partial<T> {
  const previous: Partial<T> = {}
  for (const key of Object.keys(after) as Array<keyof T>) {
    if (key === 'version' || key === 'updated_at') continue
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key] = before[key]
  }
  return previous
}
