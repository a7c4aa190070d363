// Side-effect imports that wire modules into shared mechanisms (event subscribers, background jobs).
// Kept in one place so the app, the CLI and the tests see the same wiring.
import { registerBackgroundJob } from './background'
import { createAlertEvaluator } from './modules/alerts/scheduler'

// Alert rules are evaluated on CREWBASE_ALERTS_CRON.
registerBackgroundJob(createAlertEvaluator)
