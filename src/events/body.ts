import type { RecordedEvent } from './record'

/** The JSON a webhook delivery (and a stream message) carries for an event. */
export interface EventBody {
  id: string
  type: string
  created_at: string
  org_id: string
  data: RecordedEvent['data']
}

export function eventBody(event: RecordedEvent): EventBody {
  return { id: event.id, type: event.type, created_at: event.created_at, org_id: event.org_id, data: event.data }
}
