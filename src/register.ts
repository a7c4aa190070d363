// Side-effect imports that wire modules into shared mechanisms (event subscribers, background jobs).
// Kept in one place so the app, the CLI and the tests see the same wiring.
import { registerBackgroundJob } from './background'
import { onEventRecorded } from './events/record'
import { createPruner } from './maintenance'
import { createAlertEvaluator } from './modules/alerts/scheduler'
import { createDispatcher } from './outbox/dispatcher'
import { addDeliveries } from './outbox/fanout'

// The transactional outbox: every recorded event gets its webhook deliveries in the same transaction.
onEventRecorded(addDeliveries)
registerBackgroundJob(createDispatcher)

// Alert rules are evaluated on CREWBASE_ALERTS_CRON.
registerBackgroundJob(createAlertEvaluator)

// Retention: expired deliveries, events, idempotency keys and sessions on CREWBASE_PRUNE_CRON.
registerBackgroundJob(createPruner)
