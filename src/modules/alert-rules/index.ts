import type { AppDeps } from '../../deps'
import { crudRoutes } from '../../http/crud'
import { assertNotCrew } from '../jobs/crew'
import { AlertRule, AlertRuleCreate, AlertRuleListQuery, AlertRulePatch } from './model'
import { alertRules } from './service'

export const alertRulesRoutes = (deps: AppDeps) =>
  crudRoutes(deps, {
    prefix: '/alert-rules',
    tag: 'Alerts',
    singular: 'AlertRule',
    plural: 'AlertRules',
    item: AlertRule,
    create: AlertRuleCreate,
    patch: AlertRulePatch,
    query: AlertRuleListQuery,
    service: alertRules,
    guard: (principal) => assertNotCrew(principal, 'manage alert rules'),
    notes: {
      list: 'What the server watches for. Filter by `type`, `enabled`. Needs `jobs` permission; crew sessions are refused.',
      create:
        'Job rules (`job_late_start`, `no_check_in`, `no_check_out`, `job_overrun`) need `minutes` and may filter by `priority`, `client_id`, `contractor_id`; they are evaluated on CREWBASE_ALERTS_CRON. Place rules (`place_enter`, `place_leave`) take no `minutes`, may filter by `place_id` and `contractor_id`, and fire when a location ping crosses the place boundary.',
      update: 'Honours `If-Match`. `type` cannot change. Disabling resolves the rule’s open alerts.',
      remove: 'Resolves the rule’s open alerts; the alerts stay as history.',
    },
  })
