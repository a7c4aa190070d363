import { t } from 'elysia'
import { JsonInteger } from '../../http/fields'

export const MaintenanceRun = t.Object({
  started_at: t.String({ format: 'date-time' }),
  finished_at: t.String({ format: 'date-time' }),
  ok: t.Boolean(),
  summary: t.String({ description: 'What the run did, or why it failed' }),
  last_ok_at: t.Union([t.String({ format: 'date-time' }), t.Null()], { description: 'When a run of this job last succeeded' }),
})

export const Maintenance = t.Object({
  retention: t.Object(
    {
      deliveries_days: JsonInteger({ description: 'Finished deliveries and their attempts (CREWBASE_DELIVERY_RETENTION_DAYS)' }),
      events_days: JsonInteger({ description: 'Events no pending delivery needs (CREWBASE_EVENT_RETENTION_DAYS)' }),
      idempotency_keys_hours: JsonInteger({ description: 'Stored answers to Idempotency-Key requests' }),
    },
    { description: 'How long data is kept; pending and retrying deliveries (and their events) are kept until they finish. Sessions go once they expire.' },
  ),
  pruning: t.Object({
    schedule: t.String({ description: 'CREWBASE_PRUNE_CRON (croner, seconds first)' }),
    last_run: t.Union([MaintenanceRun, t.Null()]),
  }),
})
