/**
 * Who made a change, as services record it (audit log, `created_by`): a plain value, not the
 * HTTP principal, so the CLI, the worker and tests call the same services.
 */
export interface Actor {
  type: 'user' | 'api_key' | 'portal' | 'system'
  id: string | null
}

/** Changes made by the server itself (the alert evaluator, `crewbase init`). */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: null }
