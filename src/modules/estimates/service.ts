import type { Static } from 'elysia'
import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import { findInOrg, updateVersioned } from '../../db/rows'
import type { EstimateRow } from '../../db/schema'
import { transaction, nextNumber, type Trx } from '../../db/transaction'
import { recordEvent } from '../../events/record'
import type { Principal } from '../../http/auth'
import { toCalendarDate } from '../../http/time'
import { ApiError, conflict, invalid, withFieldsUnder } from '../../http/errors'
import { assertIfMatch } from '../../http/etag'
import { type PageParams, paginate } from '../../http/pagination'
import { allows } from '../../http/permissions'
import { newId } from '../../ids'
import { estimateStatusMachine } from './status'
import { insertInvoice } from '../invoices/service'
import { createJob } from '../jobs/service'
import { assertDraftOnlyFieldsEditable, documentChanges, resolveDocument } from '../line-items/document'
import { toLineItem } from '../line-items/model'
import { copyOfLines, lineItemRowsOf, replaceLineItems, totalsOf, withLineItems } from '../line-items/service'
import { type EstimateConvert, type EstimateCreate, type EstimateOut, type EstimatePatch, type EstimateQuery, toEstimate } from './model'

const owner = (id: string) => ({ column: 'estimate_id' as const, id })

export function listEstimates(db: Db, orgId: string, filters: Static<typeof EstimateQuery> & PageParams) {
  return transaction(db, async (trx) => {
    let query = trx.selectFrom('estimates').selectAll().where('org_id', '=', orgId)
    if (filters.status) query = query.where('status', '=', filters.status)
    if (filters.client_id) query = query.where('client_id', '=', filters.client_id)
    if (filters.job_id) query = query.where('job_id', '=', filters.job_id)
    return withLineItems(trx, 'estimate_id', await paginate(query, 'estimates.id', filters, (row) => row), toEstimate)
  })
}

const findEstimateRow = (trx: Trx | Db, orgId: string, id: string): Promise<EstimateRow> => findInOrg(trx, 'estimates', orgId, id, 'Estimate')

/** The estimate exactly as GET returns it (also the `object` of its events). */
async function loadEstimate(trx: Trx | Db, orgId: string, id: string): Promise<EstimateOut> {
  const row = await findEstimateRow(trx, orgId, id)
  return toEstimate(row, (await lineItemRowsOf(trx, owner(id))).map(toLineItem))
}

export function getEstimate(db: Db, orgId: string, id: string) {
  return transaction(db, (trx) => loadEstimate(trx, orgId, id))
}

export async function createEstimate(trx: Trx, orgId: string, input: Static<typeof EstimateCreate>, clock: Clock) {
  const doc = await resolveDocument(trx, orgId, { ...input, line_items: input.line_items ?? [] }, null)
  const now = clock.now().toISOString()
  const id = newId('est')
  await trx
    .insertInto('estimates')
    .values({
      id,
      org_id: orgId,
      number: `EST-${await nextNumber(trx, orgId, 'estimate')}`,
      status: 'draft',
      client_id: doc.client_id,
      job_id: doc.job_id,
      invoice_id: null,
      title: input.title ?? null,
      notes: input.notes ?? null,
      currency: doc.currency,
      ...doc.lines!.totals,
      valid_until: input.valid_until ? toCalendarDate(input.valid_until, '/valid_until') : null,
      sent_at: null,
      approved_at: null,
      declined_at: null,
      decline_reason: null,
      converted_at: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()
  await replaceLineItems(trx, orgId, owner(id), doc.lines!.lines, now)
  const estimate = await loadEstimate(trx, orgId, id)
  await recordEvent(trx, { orgId, type: 'estimate.created', object: estimate, at: clock.now() })
  return estimate
}

export function updateEstimate(
  db: Db,
  orgId: string,
  id: string,
  input: Static<typeof EstimatePatch>,
  ifMatch: string | null,
  clock: Clock,
) {
  return transaction(db, async (trx) => {
    const row = await findEstimateRow(trx, orgId, id)
    assertIfMatch(ifMatch, row.version)
    if (row.status === 'converted') throw conflict('A converted estimate cannot change')
    assertDraftOnlyFieldsEditable(input, row.status, 'estimate')
    if (Object.keys(input).length === 0) return loadEstimate(trx, orgId, id)
    const doc = await resolveDocument(trx, orgId, input, row)
    const now = clock.now().toISOString()
    const changes = {
      ...documentChanges(input, doc),
      ...(input.valid_until !== undefined ? { valid_until: input.valid_until && toCalendarDate(input.valid_until, '/valid_until') } : {}),
    }
    await updateVersioned(trx, 'estimates', row, changes, now)
    if (doc.lines) await replaceLineItems(trx, orgId, owner(id), doc.lines.lines, now)
    return loadEstimate(trx, orgId, id)
  })
}

export function sendEstimate(db: Db, orgId: string, id: string, clock: Clock) {
  return transaction(db, async (trx) => {
    const row = await findEstimateRow(trx, orgId, id)
    const status = estimateStatusMachine.next('send', row.status)
    if ((await lineItemRowsOf(trx, owner(id))).length === 0) throw conflict('An estimate without line items cannot be sent')
    const now = clock.now().toISOString()
    await updateVersioned(trx, 'estimates', row, { status, sent_at: now }, now)
    return loadEstimate(trx, orgId, id)
  })
}

export function approveEstimate(db: Db, orgId: string, id: string, clock: Clock) {
  return transaction(db, async (trx) => {
    const row = await findEstimateRow(trx, orgId, id)
    const status = estimateStatusMachine.next('approve', row.status)
    const now = clock.now().toISOString()
    await updateVersioned(trx, 'estimates', row, { status, approved_at: now }, now)
    const estimate = await loadEstimate(trx, orgId, id)
    await recordEvent(trx, { orgId, type: 'estimate.approved', object: estimate, at: clock.now() })
    return estimate
  })
}

export function declineEstimate(db: Db, orgId: string, id: string, reason: string | undefined, clock: Clock) {
  return transaction(db, async (trx) => {
    const row = await findEstimateRow(trx, orgId, id)
    const status = estimateStatusMachine.next('decline', row.status)
    const now = clock.now().toISOString()
    await updateVersioned(trx, 'estimates', row, { status, declined_at: now, decline_reason: reason ?? null }, now)
    return loadEstimate(trx, orgId, id)
  })
}

/** Conversion creates other resources, so the caller needs write permission on each of them too. */
function assertMayCreate(principal: Principal, create: Static<typeof EstimateConvert>['create']) {
  for (const target of create) {
    const resource = target === 'invoice' ? 'invoices' : 'jobs'
    if (!allows(principal.permissions, resource, 'write')) {
      throw new ApiError('forbidden', `Converting to a ${target} needs write permission on ${resource}`)
    }
  }
}

/** The job an estimate becomes: its client, title and notes unless the request says otherwise. */
function createJobFromEstimate(trx: Trx, row: EstimateRow, overrides: Static<typeof EstimateConvert>['job'], clock: Clock) {
  if (row.job_id !== null) throw conflict(`This estimate is already for job ${row.job_id}; convert it with "create": ["invoice"]`)
  const input = { title: row.title ?? `Work for ${row.number}`, description: row.notes, client_id: row.client_id, ...overrides }
  return withFieldsUnder('/job', () => createJob(trx, row.org_id, input, clock))
}

/**
 * `approved` → `converted`: creates the requested job (through the jobs service, so it is
 * checked and announced like any other) and/or a draft invoice carrying the estimate's lines
 * (same values, so the same totals) for that job, all in one transaction.
 */
export function convertEstimate(db: Db, principal: Principal, id: string, input: Static<typeof EstimateConvert>, clock: Clock) {
  assertMayCreate(principal, input.create)
  if (input.job && !input.create.includes('job')) throw invalid('/job', 'is only read when create includes "job"')
  const orgId = principal.orgId
  return transaction(db, async (trx) => {
    const row = await findEstimateRow(trx, orgId, id)
    const status = estimateStatusMachine.next('convert', row.status)
    const lines = copyOfLines(await lineItemRowsOf(trx, owner(id)))
    const jobId = input.create.includes('job') ? (await createJobFromEstimate(trx, row, input.job, clock)).id : row.job_id
    let invoiceId: string | null = null
    if (input.create.includes('invoice')) {
      const invoice = await insertInvoice(
        trx,
        orgId,
        {
          client_id: row.client_id,
          job_id: jobId,
          estimate_id: row.id,
          currency: row.currency,
          title: row.title,
          notes: row.notes,
          due_date: null,
          lines,
          totals: totalsOf(lines),
        },
        clock,
      )
      invoiceId = invoice.id
    }
    const now = clock.now().toISOString()
    await updateVersioned(trx, 'estimates', row, { status, converted_at: now, job_id: jobId, invoice_id: invoiceId }, now)
    return loadEstimate(trx, orgId, id)
  })
}
