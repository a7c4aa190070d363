import type { Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { EstimateStatus } from '../modules/estimates/status'
import type { InvoiceStatus } from '../modules/invoices/status'

// Every table's row type lives here; API shapes live in each module's model.ts.
// Timestamps are ISO 8601 UTC strings; JSON columns are text.

export interface OrgsTable {
  id: string
  name: string
  currency: Generated<string>
  version: Generated<number>
  created_at: string
  updated_at: string
}

export const ROLES = ['owner', 'admin', 'dispatcher', 'crew'] as const
export type Role = (typeof ROLES)[number]

export interface UsersTable {
  id: string
  org_id: string
  email: string
  name: string | null
  role: Role
  password_hash: string
  version: Generated<number>
  created_at: string
  updated_at: string
}

export interface SessionsTable {
  id: string
  org_id: string
  user_id: string
  token_hash: string
  created_at: string
  expires_at: string
}

export interface ApiKeysTable {
  id: string
  org_id: string
  label: string
  prefix: string
  key_hash: string
  permissions: string
  rate_limit: number | null
  created_by: string | null
  created_at: string
  last_used_at: string | null
  expires_at: string | null
  revoked_at: string | null
}

export interface IdempotencyKeysTable {
  scope: string
  key: string
  request_hash: string
  state: 'running' | 'done'
  response_status: number | null
  response_body: string | null
  created_at: string
}

export interface CountersTable {
  org_id: string
  name: string
  value: number
}

export interface EventsTable {
  id: string
  org_id: string
  type: string
  resource_type: string
  resource_id: string
  data: string
  created_at: string
}

// ── operations (2026-11-22T0100_operations) ──

export interface ClientsTable {
  id: string
  org_id: string
  name: string
  email: string | null
  phone: string | null
  address: string | null
  notes: string | null
  metadata: string
  version: number
  created_at: string
  updated_at: string
}

export interface ContactsTable {
  id: string
  org_id: string
  client_id: string
  name: string
  email: string | null
  phone: string | null
  title: string | null
  version: number
  created_at: string
  updated_at: string
}

export interface PropertiesTable {
  id: string
  org_id: string
  client_id: string
  name: string | null
  address: string
  lat: number | null
  lng: number | null
  notes: string | null
  version: number
  created_at: string
  updated_at: string
}

export interface ContractorsTable {
  id: string
  org_id: string
  user_id: string | null
  name: string
  email: string | null
  phone: string | null
  trade: string | null
  active: number
  rating_average: number | null
  rating_count: number
  version: number
  created_at: string
  updated_at: string
}

export const JOB_STATUSES = ['scheduled', 'in_progress', 'delayed', 'completed', 'archived'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]
export const JOB_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export type JobPriority = (typeof JOB_PRIORITIES)[number]

export interface JobsTable {
  id: string
  org_id: string
  /** Human number, `JOB-1001`, per org. */
  number: string
  title: string
  description: string | null
  client_id: string | null
  property_id: string | null
  status: JobStatus
  priority: JobPriority
  scheduled_start: string | null
  scheduled_end: string | null
  started_at: string | null
  completed_at: string | null
  outcome: 'success' | 'failure' | null
  completion_note: string | null
  delay_reason: string | null
  /** JSON array of strings. */
  tags: string
  /** JSON object. */
  metadata: string
  deleted_at: string | null
  version: number
  created_at: string
  updated_at: string
}

export interface JobPhasesTable {
  id: string
  org_id: string
  job_id: string
  position: number
  title: string
  description: string | null
  status: string
  version: number
  created_at: string
  updated_at: string
}

export interface JobAssignmentsTable {
  id: string
  org_id: string
  job_id: string
  phase_id: string | null
  contractor_id: string
  role: string | null
  version: number
  created_at: string
}

// ── money (2026-11-22T0300_money) ──
// Amounts are integer minor units of the row's `currency`; quantities integer thousandths.

export const PRICEBOOK_KINDS = ['service', 'material'] as const
export type PricebookKind = (typeof PRICEBOOK_KINDS)[number]

export interface PricebookItemsTable {
  id: string
  org_id: string
  name: string
  description: string | null
  kind: PricebookKind
  unit: string | null
  sku: string | null
  unit_price_cents: number
  currency: string
  tax_rate_bps: number
  /** 0 or 1. */
  active: number
  version: number
  created_at: string
  updated_at: string
}

export interface EstimatesTable {
  id: string
  org_id: string
  /** Human number, `EST-1001`, per org. */
  number: string
  status: EstimateStatus
  client_id: string
  job_id: string | null
  invoice_id: string | null
  title: string | null
  notes: string | null
  currency: string
  subtotal_cents: number
  tax_cents: number
  total_cents: number
  valid_until: string | null
  sent_at: string | null
  approved_at: string | null
  declined_at: string | null
  decline_reason: string | null
  converted_at: string | null
  version: number
  created_at: string
  updated_at: string
}

export interface InvoicesTable {
  id: string
  org_id: string
  /** Human number, `INV-1001`, per org. */
  number: string
  status: InvoiceStatus
  client_id: string
  job_id: string | null
  estimate_id: string | null
  title: string | null
  notes: string | null
  currency: string
  subtotal_cents: number
  tax_cents: number
  total_cents: number
  amount_paid_cents: number
  due_date: string | null
  sent_at: string | null
  paid_at: string | null
  voided_at: string | null
  void_reason: string | null
  version: number
  created_at: string
  updated_at: string
}

export interface LineItemsTable {
  id: string
  org_id: string
  /** Exactly one of estimate_id / invoice_id is set. */
  estimate_id: string | null
  invoice_id: string | null
  position: number
  description: string
  quantity_thousandths: number
  unit_price_cents: number
  tax_rate_bps: number
  pricebook_item_id: string | null
  subtotal_cents: number
  tax_cents: number
  created_at: string
}

export const PAYMENT_METHODS = ['cash', 'check', 'card', 'ach', 'other'] as const
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]

export interface PaymentsTable {
  id: string
  org_id: string
  invoice_id: string
  client_id: string
  amount_cents: number
  currency: string
  method: PaymentMethod
  received_at: string
  reference: string | null
  notes: string | null
  version: number
  created_at: string
  updated_at: string
}

// ── ingress (2026-11-22T0500_ingress) ──

export interface IngressWebhooksTable {
  id: string
  org_id: string
  name: string
  job_id: string | null
  /** sha256 hex of the token; the token itself is never stored. */
  token_hash: string
  created_by: string | null
  created_at: string
  last_received_at: string | null
  received_count: Generated<number>
  revoked_at: string | null
}

export const MEMBER_TYPES = ['user', 'contractor'] as const
export type MemberType = (typeof MEMBER_TYPES)[number]

export interface ActivitiesTable {
  id: string
  org_id: string
  ingress_webhook_id: string
  job_id: string | null
  title: string
  description: string | null
  start_time: string
  end_time: string | null
  trigger: string | null
  event: string | null
  member_type: MemberType | null
  member_id: string | null
  member_email: string | null
  external_id: string | null
  /** JSON object as the sender gave it, or null. */
  metadata: string | null
  version: number
  created_at: string
}

// ── domain (2026-11-22T0200_domain) ──

export interface ContractorRatingsTable {
  id: string
  org_id: string
  contractor_id: string
  job_id: string
  /** 1..5 */
  score: number
  comment: string | null
  version: number
  created_at: string
}

export const CHECKIN_TYPES = ['in', 'out'] as const
export type CheckinType = (typeof CHECKIN_TYPES)[number]

export interface JobCheckinsTable {
  id: string
  org_id: string
  job_id: string
  contractor_id: string
  type: CheckinType
  at: string
  lat: number | null
  lng: number | null
  version: number
  created_at: string
}

export interface JobMessagesTable {
  id: string
  org_id: string
  job_id: string
  body: string
  /** The signed-in user or key creator who posted it. */
  user_id: string | null
  /** The crew member who posted it, when a crew member did. */
  contractor_id: string | null
  version: number
  created_at: string
}

export const REQUEST_STATUSES = ['new', 'converted', 'declined'] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]

export interface RequestsTable {
  id: string
  org_id: string
  description: string
  client_id: string | null
  contact_name: string | null
  contact_email: string | null
  contact_phone: string | null
  address: string | null
  preferred_start: string | null
  status: RequestStatus
  /** The job it was converted to. */
  job_id: string | null
  decline_reason: string | null
  version: number
  created_at: string
  updated_at: string
}

// ── alerts and places (2026-11-22T0600_alerts) ──

export interface PlacesTable {
  id: string
  org_id: string
  name: string
  address: string | null
  lat: number
  lng: number
  radius_m: number
  version: number
  created_at: string
  updated_at: string
}

export const ALERT_RULE_TYPES = ['job_late_start', 'no_check_in', 'no_check_out', 'job_overrun', 'place_enter', 'place_leave'] as const
export type AlertRuleType = (typeof ALERT_RULE_TYPES)[number]

export interface AlertRulesTable {
  id: string
  org_id: string
  type: AlertRuleType
  title: string
  description: string | null
  /** Null for place rules. */
  minutes: number | null
  priority: JobPriority | null
  client_id: string | null
  contractor_id: string | null
  place_id: string | null
  /** 0 or 1. */
  enabled: number
  version: number
  created_at: string
  updated_at: string
}

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const
export type AlertStatus = (typeof ALERT_STATUSES)[number]
export const ALERT_SUBJECT_TYPES = ['job', 'contractor', 'place'] as const
export type AlertSubjectType = (typeof ALERT_SUBJECT_TYPES)[number]
export const ALERT_RESOLUTIONS = ['auto', 'manual', 'rule_disabled', 'rule_changed', 'rule_deleted'] as const
export type AlertResolution = (typeof ALERT_RESOLUTIONS)[number]

export interface AlertsTable {
  id: string
  org_id: string
  rule_id: string
  type: AlertRuleType
  rule_title: string
  rule_description: string | null
  rule_minutes: number | null
  subject_type: AlertSubjectType
  subject_id: string
  subject_key: string
  job_id: string | null
  contractor_id: string | null
  place_id: string | null
  message: string
  status: AlertStatus
  /** 1 while the condition that fired it holds. */
  active: number
  acknowledged_at: string | null
  acknowledged_by: string | null
  resolved_at: string | null
  resolved_by: string | null
  resolution: AlertResolution | null
  version: number
  created_at: string
  updated_at: string
}

export interface ContractorPositionsTable {
  contractor_id: string
  org_id: string
  lat: number
  lng: number
  accuracy: number | null
  at: string
  received_at: string
}

export interface PlacePresenceTable {
  contractor_id: string
  place_id: string
  org_id: string
  since: string
}

export interface PlaceChecksTable {
  id: string
  org_id: string
  place_id: string
  contractor_id: string
  type: CheckinType
  at: string
  lat: number
  lng: number
  accuracy: number | null
  distance_m: number
  version: number
  created_at: string
}

// ── webhooks (2026-11-22T0400_webhooks) ──

export interface WebhookEndpointsTable {
  id: string
  org_id: string
  url: string
  description: string | null
  /** JSON array of event types, `resource.*` prefixes or `*`. */
  events: string
  /** JSON object of custom header name → value. */
  headers: string
  secret: string
  /** The secret before the last rotation; keeps signing until `previous_secret_expires_at`. */
  previous_secret: string | null
  previous_secret_expires_at: string | null
  debounce_seconds: number
  enabled: number
  disabled_reason: string | null
  disabled_at: string | null
  consecutive_failures: number
  /** Start of the current run of failed attempts; null after a success. */
  failing_since: string | null
  /** JSON payload filter (2026-12-02T0300_endpoint_filters); null: every subscribed event. */
  filter: string | null
  /** Most deliveries per second the dispatcher sends this endpoint; null: no ceiling. */
  rate_limit_per_second: number | null
  version: number
  created_at: string
  updated_at: string
}

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'skipped'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]
export const ATTEMPT_TRIGGERS = ['auto', 'manual', 'test'] as const
export type AttemptTrigger = (typeof ATTEMPT_TRIGGERS)[number]
export const ATTEMPT_ERRORS = ['dns', 'connect', 'tls', 'timeout', 'http'] as const
export type AttemptError = (typeof ATTEMPT_ERRORS)[number]

export interface DeliveriesTable {
  id: string
  org_id: string
  endpoint_id: string
  event_id: string
  event_type: string
  payload: string | null
  coalesce_key: string | null
  status: DeliveryStatus
  /** What starts the next attempt: the schedule, a person (redeliver/recover) or the Test button. */
  next_trigger: AttemptTrigger
  attempt_count: number
  /** Failed attempts counted against the retry schedule. */
  failures: number
  /** When the next attempt is due; while leased, when the lease runs out. */
  next_attempt_at: string | null
  lease_until: string | null
  lease_token: string | null
  last_attempt_at: string | null
  last_status_code: number | null
  last_error: string | null
  created_at: string
  updated_at: string
}

export interface DeliveryAttemptsTable {
  id: Generated<number>
  org_id: string
  delivery_id: string
  endpoint_id: string
  number: number
  trigger: AttemptTrigger
  started_at: string
  duration_ms: number
  succeeded: number
  status_code: number | null
  error: AttemptError | null
  error_message: string | null
  response_excerpt: string | null
}

// ── retention (2026-12-02T0200_retention) ──

export interface EventPruneMarksTable {
  org_id: string
  /** The newest event id the retention job has deleted in this organization. */
  pruned_through: string
}

export interface MaintenanceRunsTable {
  /** `prune` or `backup`. */
  job: string
  started_at: string
  finished_at: string
  ok: number
  /** What the run did, or why it failed (one line for a person). */
  summary: string
  last_ok_at: string | null
}

/** The one row first-run setup claims (id is always 1). */
export interface FirstRunTable {
  id: number
  org_id: string
  created_at: string
}

export interface DB {
  orgs: OrgsTable
  first_run: FirstRunTable
  users: UsersTable
  sessions: SessionsTable
  api_keys: ApiKeysTable
  idempotency_keys: IdempotencyKeysTable
  counters: CountersTable
  events: EventsTable
  clients: ClientsTable
  contacts: ContactsTable
  properties: PropertiesTable
  contractors: ContractorsTable
  jobs: JobsTable
  job_phases: JobPhasesTable
  job_assignments: JobAssignmentsTable
  pricebook_items: PricebookItemsTable
  estimates: EstimatesTable
  invoices: InvoicesTable
  line_items: LineItemsTable
  payments: PaymentsTable
  ingress_webhooks: IngressWebhooksTable
  activities: ActivitiesTable
  contractor_ratings: ContractorRatingsTable
  job_checkins: JobCheckinsTable
  job_messages: JobMessagesTable
  requests: RequestsTable
  places: PlacesTable
  alert_rules: AlertRulesTable
  alerts: AlertsTable
  contractor_positions: ContractorPositionsTable
  place_presence: PlacePresenceTable
  place_checks: PlaceChecksTable
  webhook_endpoints: WebhookEndpointsTable
  deliveries: DeliveriesTable
  delivery_attempts: DeliveryAttemptsTable
  event_prune_marks: EventPruneMarksTable
  maintenance_runs: MaintenanceRunsTable
}

export type UserRow = Selectable<UsersTable>
export type ApiKeyRow = Selectable<ApiKeysTable>
export type IngressWebhookRow = Selectable<IngressWebhooksTable>
export type ActivityRow = Selectable<ActivitiesTable>
export type EventRow = Selectable<EventsTable>
export type NewEvent = Insertable<EventsTable>
export type OrgUpdate = Updateable<OrgsTable>
export type PricebookItemRow = Selectable<PricebookItemsTable>
export type EstimateRow = Selectable<EstimatesTable>
export type InvoiceRow = Selectable<InvoicesTable>
export type LineItemRow = Selectable<LineItemsTable>
export type PaymentRow = Selectable<PaymentsTable>

export type ClientRow = Selectable<ClientsTable>
export type ContactRow = Selectable<ContactsTable>
export type PropertyRow = Selectable<PropertiesTable>
export type ContractorRow = Selectable<ContractorsTable>
export type JobRow = Selectable<JobsTable>
export type JobPhaseRow = Selectable<JobPhasesTable>
export type JobAssignmentRow = Selectable<JobAssignmentsTable>
export type ContractorRatingRow = Selectable<ContractorRatingsTable>
export type JobCheckinRow = Selectable<JobCheckinsTable>
export type JobMessageRow = Selectable<JobMessagesTable>
export type RequestRow = Selectable<RequestsTable>
export type PlaceRow = Selectable<PlacesTable>
export type AlertRuleRow = Selectable<AlertRulesTable>
export type AlertRow = Selectable<AlertsTable>
export type PlaceCheckRow = Selectable<PlaceChecksTable>
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>
export type DeliveryRow = Selectable<DeliveriesTable>
export type DeliveryAttemptRow = Selectable<DeliveryAttemptsTable>
