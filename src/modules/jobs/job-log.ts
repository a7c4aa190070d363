import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import { assertReference } from '../../db/rows'
import type { JobCheckinRow, JobMessageRow } from '../../db/schema'
import type { Trx } from '../../db/transaction'
import { recordEvent } from '../../events/record'
import { assertCoordinates } from '../../http/fields'
import { toUtcIso } from '../../http/time'
import { type PageParams, paginate } from '../../http/pagination'
import { newId } from '../../ids'
import { type CheckinCreateInput, type MessageCreateInput, toCheckin, toMessage } from './log-model'
import { findJobRow } from './service'

// What happens on a job besides its own fields: crew arriving and leaving, and the
// conversation. Each entry is immutable and announced by its own event.

export async function listCheckins(db: Db, orgId: string, jobId: string, params: PageParams) {
  await findJobRow(db, orgId, jobId)
  return paginate(db.selectFrom('job_checkins').selectAll().where('job_id', '=', jobId), 'job_checkins.id', params, toCheckin)
}

export async function createCheckin(trx: Trx, orgId: string, jobId: string, input: CheckinCreateInput, clock: Clock) {
  await findJobRow(trx, orgId, jobId)
  await assertReference(trx, 'contractors', orgId, input.contractor_id, '/contractor_id', 'contractor')
  const lat = input.lat ?? null
  const lng = input.lng ?? null
  assertCoordinates(lat, lng)
  const now = clock.now()
  const row: JobCheckinRow = {
    id: newId('chk'),
    org_id: orgId,
    job_id: jobId,
    contractor_id: input.contractor_id,
    type: input.type,
    at: input.at ? toUtcIso(input.at) : now.toISOString(),
    lat,
    lng,
    version: 1,
    created_at: now.toISOString(),
  }
  await trx.insertInto('job_checkins').values(row).execute()
  const checkin = toCheckin(row)
  await recordEvent(trx, { orgId, type: input.type === 'in' ? 'job.checkin' : 'job.checkout', object: checkin, at: now })
  return checkin
}

export async function listMessages(db: Db, orgId: string, jobId: string, params: PageParams) {
  await findJobRow(db, orgId, jobId)
  return paginate(db.selectFrom('job_messages').selectAll().where('job_id', '=', jobId), 'job_messages.id', params, toMessage)
}

export interface MessageAuthor {
  userId: string | null
  contractorId: string | null
}

export async function createMessage(
  trx: Trx,
  orgId: string,
  jobId: string,
  input: MessageCreateInput,
  author: MessageAuthor,
  clock: Clock,
) {
  await findJobRow(trx, orgId, jobId)
  const now = clock.now()
  const row: JobMessageRow = {
    id: newId('msg'),
    org_id: orgId,
    job_id: jobId,
    body: input.body,
    user_id: author.userId,
    contractor_id: author.contractorId,
    version: 1,
    created_at: now.toISOString(),
  }
  await trx.insertInto('job_messages').values(row).execute()
  const message = toMessage(row)
  await recordEvent(trx, { orgId, type: 'message.sent', object: message, at: now })
  return message
}
