import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

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

export interface DB {
  orgs: OrgsTable
  users: UsersTable
  sessions: SessionsTable
  api_keys: ApiKeysTable
  idempotency_keys: IdempotencyKeysTable
  counters: CountersTable
  events: EventsTable
}

export type UserRow = Selectable<UsersTable>
export type ApiKeyRow = Selectable<ApiKeysTable>
export type EventRow = Selectable<EventsTable>
export type NewEvent = Insertable<EventsTable>
export type OrgUpdate = Updateable<OrgsTable>
