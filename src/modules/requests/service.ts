import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import { defineResource } from '../resource'
import { assertReference, findInOrg, sentFields, updateVersioned } from '../../db/rows'
import { transaction, type Trx } from '../../db/transaction'
import { conflict } from '../../http/errors'
import { utcOrNull } from '../../http/fields'
import { defineStatusMachine } from '../../status-machine'
import { createJob } from '../jobs/service'
import {
  type RequestConvertInput,
  type RequestCreateInput,
  type RequestDeclineInput,
  type RequestListFilters,
  type RequestPatchInput,
  toRequest,
} from './model'

/** A work request is answered once: turned into a job or declined (PRODUCT.md §2). */
export const requestStatusMachine = defineStatusMachine('request', {
  convert: { from: ['new'], to: 'converted' },
  decline: { from: ['new'], to: 'declined' },
})

async function checkClient(trx: Trx, orgId: string, clientId: string | null | undefined) {
  if (clientId) await assertReference(trx, 'clients', orgId, clientId, '/client_id', 'client')
}

export const requests = defineResource({
  table: 'requests',
  idPrefix: 'req',
  name: 'Request',
  toItem: toRequest,
  async toInsert(trx, orgId, input: RequestCreateInput) {
    await checkClient(trx, orgId, input.client_id)
    return {
      description: input.description,
      client_id: input.client_id ?? null,
      contact_name: input.contact_name ?? null,
      contact_email: input.contact_email ?? null,
      contact_phone: input.contact_phone ?? null,
      address: input.address ?? null,
      preferred_start: utcOrNull(input.preferred_start) ?? null,
      status: 'new',
      job_id: null,
      decline_reason: null,
    }
  },
  async toChanges(trx, orgId, input: RequestPatchInput, row) {
    if (row.status !== 'new') throw conflict(`A request that is ${row.status} cannot be changed`)
    const changes = sentFields(input)
    await checkClient(trx, orgId, changes.client_id)
    if (changes.preferred_start !== undefined) changes.preferred_start = utcOrNull(changes.preferred_start)
    return changes
  },
  filter(query, filters: RequestListFilters) {
    let narrowed = query
    if (filters.status) narrowed = narrowed.where('requests.status', '=', filters.status)
    if (filters.client_id) narrowed = narrowed.where('requests.client_id', '=', filters.client_id)
    return narrowed
  },
  searchColumns: ['requests.description', 'requests.contact_name', 'requests.contact_email'],
  events: { created: 'request.created' },
})

/** The first line of the description, cut at a word near 80 characters. */
function titleFrom(description: string): string {
  const firstLine = description.trim().split('\n', 1)[0]!.trim()
  if (firstLine.length <= 80) return firstLine || 'Work request'
  const cut = firstLine.slice(0, 80)
  return `${cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : 80)}…`
}

/** Turns a new request into a scheduled job (recording `job.created`) in one transaction. */
export function convertRequest(db: Db, orgId: string, id: string, input: RequestConvertInput, clock: Clock) {
  return transaction(db, async (trx) => {
    const row = await findInOrg(trx, 'requests', orgId, id, 'Request')
    const status = requestStatusMachine.next('convert', row.status)
    const job = await createJob(
      trx,
      orgId,
      {
        title: input.title ?? titleFrom(row.description),
        description: row.description,
        client_id: input.client_id !== undefined ? input.client_id : row.client_id,
        property_id: input.property_id ?? null,
        priority: input.priority,
        scheduled_start: input.scheduled_start !== undefined ? input.scheduled_start : row.preferred_start,
        scheduled_end: input.scheduled_end ?? null,
        metadata: { request_id: row.id },
      },
      clock,
    )
    await updateVersioned(trx, 'requests', row, { status, job_id: job.id }, clock.now().toISOString())
    return job
  })
}

export function declineRequest(db: Db, orgId: string, id: string, input: RequestDeclineInput, clock: Clock) {
  return transaction(db, async (trx) => {
    const row = await findInOrg(trx, 'requests', orgId, id, 'Request')
    const status = requestStatusMachine.next('decline', row.status)
    const updated = await updateVersioned(trx, 'requests', row, { status, decline_reason: input.reason ?? null }, clock.now().toISOString())
    return toRequest(updated)
  })
}
