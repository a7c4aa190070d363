import { type Static, t } from 'elysia'
import { ALERT_RULE_TYPES, type AlertRuleRow, type AlertRuleType, JOB_PRIORITIES } from '../../db/schema'
import { JsonInteger, literals, Nullable } from '../../http/fields'

const Id = (example: string) => t.String({ maxLength: 64, examples: [example] })
import { pageQuery } from '../../http/pagination'

/** Rules the evaluator checks on its cron: something expected has not happened within `minutes`. */
export const TIME_RULE_TYPES = ['job_late_start', 'no_check_in', 'no_check_out', 'job_overrun'] as const satisfies readonly AlertRuleType[]
/** Rules fired by location pings crossing a place's boundary. */
export const PLACE_RULE_TYPES = ['place_enter', 'place_leave'] as const satisfies readonly AlertRuleType[]

export const isPlaceRule = (type: AlertRuleType) => (PLACE_RULE_TYPES as readonly AlertRuleType[]).includes(type)

/** A week: longer waits are better served by the job's own schedule. */
export const MAX_RULE_MINUTES = 10_080

const TYPE_DESCRIPTION = [
  '`job_late_start`: the scheduled start passed `minutes` ago and the job has not started (the job is also moved to `delayed`);',
  '`no_check_in`: a crew member assigned to the job has not checked in `minutes` after its scheduled start;',
  '`no_check_out`: a crew member has been checked in on a job for more than `minutes`;',
  '`job_overrun`: the job is still in progress `minutes` after its scheduled end;',
  '`place_enter` / `place_leave`: a crew member arrives at / leaves a place.',
].join(' ')

export const AlertRuleTypeSchema = literals(ALERT_RULE_TYPES, { description: TYPE_DESCRIPTION })

export const AlertRule = t.Object({
  id: t.String({ examples: ['alr_01jd3k5q7x0000000000000000'] }),
  type: AlertRuleTypeSchema,
  title: t.String(),
  description: Nullable(t.String()),
  minutes: Nullable(JsonInteger({ description: 'How long to wait before firing; null for place rules' })),
  priority: Nullable(literals(JOB_PRIORITIES, { description: 'Only jobs of this priority (job rules)' })),
  client_id: Nullable(t.String({ description: 'Only jobs of this client (job rules)' })),
  contractor_id: Nullable(t.String({ description: 'Only this crew member (jobs they are assigned to, for job rules)' })),
  place_id: Nullable(t.String({ description: 'Only this place (place rules)' })),
  enabled: t.Boolean(),
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
})

const Minutes = JsonInteger({
  minimum: 0,
  maximum: MAX_RULE_MINUTES,
  description: `0 to ${MAX_RULE_MINUTES}; required for job rules, left out for place rules`,
  examples: [15],
})

const fields = {
  title: t.String({ minLength: 1, maxLength: 200, examples: ['Crew late on site'] }),
  description: t.Optional(Nullable(t.String({ maxLength: 2_000 }))),
  minutes: t.Optional(Nullable(Minutes)),
  priority: t.Optional(Nullable(literals(JOB_PRIORITIES))),
  client_id: t.Optional(Nullable(Id('cli_01jd3k5q7x0000000000000000'))),
  contractor_id: t.Optional(Nullable(Id('ctr_01jd3k5q7x0000000000000000'))),
  place_id: t.Optional(Nullable(Id('plc_01jd3k5q7x0000000000000000'))),
  enabled: t.Optional(t.Boolean({ description: 'Default true; a disabled rule fires nothing and its open alerts are resolved' })),
}
export const AlertRuleCreate = t.Object({ type: AlertRuleTypeSchema, ...fields }, { additionalProperties: false })
// `type` is fixed: a rule that watches something else is another rule.
export const AlertRulePatch = t.Object({ ...fields, title: t.Optional(fields.title) }, { additionalProperties: false })
export const AlertRuleListQuery = t.Object(
  {
    ...pageQuery,
    type: t.Optional(literals(ALERT_RULE_TYPES)),
    enabled: t.Optional(literals(['true', 'false'] as const)),
  },
  { additionalProperties: false },
)
export type AlertRuleCreateInput = Static<typeof AlertRuleCreate>
export type AlertRulePatchInput = Static<typeof AlertRulePatch>
export type AlertRuleListFilters = Static<typeof AlertRuleListQuery>

export function toAlertRule(row: AlertRuleRow) {
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    description: row.description,
    minutes: row.minutes,
    priority: row.priority,
    client_id: row.client_id,
    contractor_id: row.contractor_id,
    place_id: row.place_id,
    enabled: row.enabled === 1,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}
export type AlertRuleObject = ReturnType<typeof toAlertRule>
