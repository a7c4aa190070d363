import { type Static, t } from 'elysia'
import { parseJsonColumn } from '../../db/rows'
import { JOB_PRIORITIES, JOB_STATUSES, type JobAssignmentRow, type JobPhaseRow, type JobRow } from '../../db/schema'
import { JsonInteger, literals, Metadata, Nullable, SearchText } from '../../http/fields'
import { Timestamp } from '../../http/time'
import { pageQuery } from '../../http/pagination'

export const PHASE_STATUSES = ['pending', 'in_progress', 'completed', 'skipped'] as const
export const JOB_OUTCOMES = ['success', 'failure'] as const

export const JobStatusSchema = literals(JOB_STATUSES)
export const JobPrioritySchema = literals(JOB_PRIORITIES)
const PhaseStatusSchema = literals(PHASE_STATUSES)

const Tags = t.Array(t.String({ minLength: 1, maxLength: 50 }), { maxItems: 50, examples: [['boiler', 'warranty']] })

export const JobPhase = t.Object({
  id: t.String({ examples: ['jph_01jd3k5q7x0000000000000000'] }),
  job_id: t.String(),
  position: JsonInteger({ minimum: 1, description: '1-based order of the step within its job' }),
  title: t.String(),
  description: Nullable(t.String()),
  status: PhaseStatusSchema,
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
})

export const JobAssignment = t.Object({
  id: t.String({ examples: ['jas_01jd3k5q7x0000000000000000'] }),
  job_id: t.String(),
  phase_id: Nullable(t.String({ description: 'The phase this crew member works on; null for the whole job' })),
  contractor_id: t.String(),
  role: Nullable(t.String()),
  version: JsonInteger(),
  created_at: t.String({ format: 'date-time' }),
})

const jobFields = {
  id: t.String({ examples: ['job_01jd3k5q7x0000000000000000'] }),
  number: t.String({ description: 'Human number, per organization', examples: ['JOB-1001'] }),
  title: t.String(),
  description: Nullable(t.String()),
  client_id: Nullable(t.String()),
  property_id: Nullable(t.String()),
  status: JobStatusSchema,
  priority: JobPrioritySchema,
  scheduled_start: Nullable(t.String({ format: 'date-time' })),
  scheduled_end: Nullable(t.String({ format: 'date-time' })),
  started_at: Nullable(t.String({ format: 'date-time', description: 'First start' })),
  completed_at: Nullable(t.String({ format: 'date-time' })),
  outcome: Nullable(literals(JOB_OUTCOMES)),
  completion_note: Nullable(t.String()),
  delay_reason: Nullable(t.String()),
  tags: t.Array(t.String()),
  metadata: t.Record(t.String(), t.Any()),
  version: JsonInteger({ description: 'Grows by one with every change (also of its phases and assignments)' }),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
}

/** A job in lists: everything but the embedded phases and assignments. */
export const JobSummary = t.Object(jobFields)
/** A job as GET /jobs/:id, every change and every job.* event return it. */
export const Job = t.Object({ ...jobFields, phases: t.Array(JobPhase), assignments: t.Array(JobAssignment) })

const PhaseInput = t.Object(
  { title: t.String({ minLength: 1, maxLength: 200 }), description: t.Optional(Nullable(t.String({ maxLength: 10_000 }))) },
  { additionalProperties: false },
)

export const JobCreate = t.Object(
  {
    title: t.String({ minLength: 1, maxLength: 200, examples: ['Replace boiler pressure valve'] }),
    description: t.Optional(Nullable(t.String({ maxLength: 10_000 }))),
    client_id: t.Optional(Nullable(t.String({ maxLength: 64, examples: ['cli_01jd3k5q7x0000000000000000'] }))),
    property_id: t.Optional(
      Nullable(t.String({ maxLength: 64, description: 'A property of the client; sets client_id when that is left out' })),
    ),
    priority: t.Optional(JobPrioritySchema),
    scheduled_start: t.Optional(Nullable(Timestamp('Planned start'))),
    scheduled_end: t.Optional(Nullable(Timestamp('Planned end; not before scheduled_start'))),
    tags: t.Optional(Tags),
    metadata: t.Optional(Metadata),
    phases: t.Optional(t.Array(PhaseInput, { maxItems: 100, description: 'Ordered steps, created with the job' })),
    assignments: t.Optional(
      t.Array(
        t.Object(
          { contractor_id: t.String({ maxLength: 64 }), role: t.Optional(Nullable(t.String({ maxLength: 100 }))) },
          { additionalProperties: false },
        ),
        { maxItems: 50, description: 'Crew on the whole job, assigned with it' },
      ),
    ),
  },
  { additionalProperties: false },
)
export type JobCreateInput = Static<typeof JobCreate>

export const JobPatch = t.Object(
  {
    title: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
    description: t.Optional(Nullable(t.String({ maxLength: 10_000 }))),
    client_id: t.Optional(Nullable(t.String({ maxLength: 64 }))),
    property_id: t.Optional(Nullable(t.String({ maxLength: 64 }))),
    priority: t.Optional(JobPrioritySchema),
    scheduled_start: t.Optional(Nullable(Timestamp('Planned start'))),
    scheduled_end: t.Optional(Nullable(Timestamp('Planned end; not before scheduled_start'))),
    tags: t.Optional(Tags),
    metadata: t.Optional(Metadata),
  },
  { additionalProperties: false, description: 'Fields to change; `status` changes only through the actions' },
)
export type JobPatchInput = Static<typeof JobPatch>

export const JobComplete = t.Object(
  {
    outcome: literals(JOB_OUTCOMES),
    note: t.Optional(Nullable(t.String({ maxLength: 10_000 }))),
  },
  { additionalProperties: false },
)
export type JobCompleteInput = Static<typeof JobComplete>

export const JobDelay = t.Object(
  {
    reason: t.String({ minLength: 1, maxLength: 2_000 }),
    new_start: t.Optional(Nullable(Timestamp('New scheduled start; scheduled_end moves with it'))),
  },
  { additionalProperties: false },
)
export type JobDelayInput = Static<typeof JobDelay>

export const JobListQuery = t.Object(
  {
    ...pageQuery,
    status: t.Optional(JobStatusSchema),
    priority: t.Optional(JobPrioritySchema),
    client_id: t.Optional(t.String({ maxLength: 64 })),
    contractor_id: t.Optional(t.String({ maxLength: 64, description: 'Jobs this crew member is assigned to' })),
    scheduled_from: t.Optional(Timestamp('scheduled_start at or after')),
    scheduled_to: t.Optional(Timestamp('scheduled_start at or before')),
    updated_since: t.Optional(Timestamp('updated_at at or after')),
    q: SearchText('Text in the number, title or description'),
  },
  { additionalProperties: false },
)
export type JobListFilters = Static<typeof JobListQuery>

export const PhaseCreate = t.Object(
  {
    title: t.String({ minLength: 1, maxLength: 200 }),
    description: t.Optional(Nullable(t.String({ maxLength: 10_000 }))),
    status: t.Optional(PhaseStatusSchema),
    position: t.Optional(JsonInteger({ minimum: 1, maximum: 1000, description: 'Where to insert; default last' })),
  },
  { additionalProperties: false },
)
export type PhaseCreateInput = Static<typeof PhaseCreate>

export const PhasePatch = t.Object(
  {
    title: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
    description: t.Optional(Nullable(t.String({ maxLength: 10_000 }))),
    status: t.Optional(PhaseStatusSchema),
    position: t.Optional(JsonInteger({ minimum: 1, maximum: 1000, description: 'Move the step here' })),
  },
  { additionalProperties: false },
)
export type PhasePatchInput = Static<typeof PhasePatch>

export const AssignmentCreate = t.Object(
  {
    contractor_id: t.String({ maxLength: 64 }),
    phase_id: t.Optional(Nullable(t.String({ maxLength: 64 }))),
    role: t.Optional(Nullable(t.String({ maxLength: 100, examples: ['lead'] }))),
  },
  { additionalProperties: false },
)
export type AssignmentCreateInput = Static<typeof AssignmentCreate>

export function toJobSummary(row: JobRow) {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    description: row.description,
    client_id: row.client_id,
    property_id: row.property_id,
    status: row.status,
    priority: row.priority,
    scheduled_start: row.scheduled_start,
    scheduled_end: row.scheduled_end,
    started_at: row.started_at,
    completed_at: row.completed_at,
    outcome: row.outcome,
    completion_note: row.completion_note,
    delay_reason: row.delay_reason,
    tags: parseJsonColumn<string[]>(row.tags, []),
    metadata: parseJsonColumn<Record<string, unknown>>(row.metadata, {}),
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

export function toPhase(row: JobPhaseRow) {
  return {
    id: row.id,
    job_id: row.job_id,
    position: row.position,
    title: row.title,
    description: row.description,
    status: row.status as (typeof PHASE_STATUSES)[number],
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

export function toAssignment(row: JobAssignmentRow) {
  return {
    id: row.id,
    job_id: row.job_id,
    phase_id: row.phase_id,
    contractor_id: row.contractor_id,
    role: row.role,
    version: row.version,
    created_at: row.created_at,
  }
}

export function toJob(row: JobRow, phases: JobPhaseRow[], assignments: JobAssignmentRow[]) {
  return { ...toJobSummary(row), phases: phases.map(toPhase), assignments: assignments.map(toAssignment) }
}
export type JobObject = ReturnType<typeof toJob>

// Webhook payloads carry these objects; the OpenAPI `webhooks` section documents them with these schemas.
