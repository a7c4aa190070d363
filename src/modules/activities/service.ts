import type { Static } from 'elysia'
import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import type { ActivityRow, MemberType } from '../../db/schema'
import { transaction, type Trx } from '../../db/transaction'
import { recordEvent } from '../../events/record'
import { ApiError, type ErrorDetail, notFound } from '../../http/errors'
import { nestsDeeperThan } from '../../http/json'
import { type PageParams, paginate } from '../../http/pagination'
import { toUtcIso } from '../../http/time'
import { newId } from '../../ids'
import { type ActiveIngressWebhook, markReceived } from '../ingress-webhooks/service'
import { type ActivityInput, toActivity } from './model'

export const MAX_METADATA_BYTES = 64 * 1024
export const MAX_METADATA_DEPTH = 32

export interface ActivityFilters extends PageParams {
  job_id?: string
  external_id?: string
  ingress_webhook_id?: string
}

export function listActivities(db: Db, orgId: string, filters: ActivityFilters) {
  let query = db.selectFrom('activities').selectAll().where('org_id', '=', orgId)
  if (filters.job_id !== undefined) query = query.where('job_id', '=', filters.job_id)
  if (filters.external_id !== undefined) query = query.where('external_id', '=', filters.external_id)
  if (filters.ingress_webhook_id !== undefined) query = query.where('ingress_webhook_id', '=', filters.ingress_webhook_id)
  return paginate(query, 'activities.id', filters, toActivity)
}

export async function getActivity(db: Db, orgId: string, id: string) {
  const row = await db.selectFrom('activities').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('Activity')
  return toActivity(row)
}

type Input = Static<typeof ActivityInput>

/** What the schema cannot say: a blank title, an end before the start, metadata too big to keep. */
function problemsWith(input: Input): ErrorDetail[] {
  const problems: ErrorDetail[] = []
  if (input.title.trim() === '') problems.push({ field: '/title', message: 'must not be blank' })
  if (input.endTime !== undefined && toUtcIso(input.endTime) < toUtcIso(input.startTime)) {
    problems.push({ field: '/endTime', message: 'must not be before startTime' })
  }
  if (input.metadata !== undefined) {
    if (nestsDeeperThan(input.metadata, MAX_METADATA_DEPTH)) {
      problems.push({ field: '/metadata', message: `must not nest deeper than ${MAX_METADATA_DEPTH} levels` })
    } else if (Buffer.byteLength(JSON.stringify(input.metadata)) > MAX_METADATA_BYTES) {
      problems.push({ field: '/metadata', message: `must be at most ${MAX_METADATA_BYTES} bytes as JSON` })
    }
  }
  return problems
}

interface ResolvedMember {
  type: MemberType
  id: string
  email: string
}

/** A user of the org first (people who sign in), else a contractor; null when nobody matches. Case-insensitive. */
async function memberByEmail(trx: Trx, orgId: string, email: string): Promise<ResolvedMember | null> {
  const lower = email.toLowerCase()
  const user = await trx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('org_id', '=', orgId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', lower))
    .executeTakeFirst()
  if (user) return { type: 'user', id: user.id, email: user.email }
  const contractor = await trx
    .selectFrom('contractors')
    .select(['id', 'email'])
    .where('org_id', '=', orgId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', lower))
    .orderBy('id')
    .executeTakeFirst()
  return contractor ? { type: 'contractor', id: contractor.id, email: contractor.email ?? email } : null
}

/** The URL's creator, unless they have been removed since. */
async function creatorOf(trx: Trx, hook: ActiveIngressWebhook): Promise<ResolvedMember | null> {
  if (!hook.created_by) return null
  const user = await trx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('org_id', '=', hook.org_id)
    .where('id', '=', hook.created_by)
    .executeTakeFirst()
  return user ? { type: 'user', id: user.id, email: user.email } : null
}

const byExternalId = (trx: Trx, hookId: string, externalId: string) =>
  trx
    .selectFrom('activities')
    .selectAll()
    .where('ingress_webhook_id', '=', hookId)
    .where('external_id', '=', externalId)
    .executeTakeFirst()

/**
 * Inserts unless this URL already holds the row's externalId; undefined then. The unique
 * index decides, so two writers racing with one externalId cannot both insert.
 */
export function insertActivityOnce(trx: Trx, row: ActivityRow): Promise<ActivityRow | undefined> {
  return trx
    .insertInto('activities')
    .values(row)
    .onConflict((oc) => oc.columns(['ingress_webhook_id', 'external_id']).doNothing())
    .returningAll()
    .executeTakeFirst()
}

const validationFailed = (problems: ErrorDetail[]) =>
  new ApiError('validation_failed', `Invalid body ${problems[0]!.field}: ${problems[0]!.message}`, problems)

/**
 * Stores what an ingress URL received and emits `activity.created` in the same
 * transaction. `created` is false when the externalId was already stored on this URL:
 * the stored activity comes back and nothing is written but the URL's counters.
 */
export async function receiveActivity(db: Db, hook: ActiveIngressWebhook, input: Input, clock: Clock) {
  const problems = problemsWith(input)
  const now = clock.now()
  return transaction(db, async (trx) => {
    if (!(await markReceived(trx, hook.id, now))) throw notFound('Ingress URL')
    const existing = input.externalId !== undefined ? await byExternalId(trx, hook.id, input.externalId) : undefined
    if (existing && problems.length === 0) return { activity: toActivity(existing), created: false }

    const member = input.memberEmail !== undefined ? await memberByEmail(trx, hook.org_id, input.memberEmail) : await creatorOf(trx, hook)
    if (input.memberEmail !== undefined && !member) {
      problems.push({ field: '/memberEmail', message: 'is not the email of a user or contractor of this organization' })
    }
    if (problems.length > 0) throw validationFailed(problems)

    const inserted = await insertActivityOnce(trx, {
      id: newId('act'),
      org_id: hook.org_id,
      ingress_webhook_id: hook.id,
      job_id: hook.job_id,
      title: input.title,
      description: input.description ?? null,
      start_time: toUtcIso(input.startTime),
      end_time: input.endTime !== undefined ? toUtcIso(input.endTime) : null,
      trigger: input.trigger ?? null,
      event: input.event ?? null,
      member_type: member?.type ?? null,
      member_id: member?.id ?? null,
      member_email: member?.email ?? null,
      external_id: input.externalId ?? null,
      metadata: input.metadata !== undefined ? JSON.stringify(input.metadata) : null,
      version: 1,
      created_at: now.toISOString(),
    })
    if (!inserted) return { activity: toActivity((await byExternalId(trx, hook.id, input.externalId!))!), created: false }
    const activity = toActivity(inserted)
    await recordEvent(trx, { orgId: hook.org_id, type: 'activity.created', object: activity, at: now })
    return { activity, created: true }
  })
}
