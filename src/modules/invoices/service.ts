import type { Static } from 'elysia'
import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import { findInOrg, updateVersioned } from '../../db/rows'
import type { InvoiceRow } from '../../db/schema'
import { transaction, nextNumber, type Trx } from '../../db/transaction'
import { recordEvent } from '../../events/record'
import { toCalendarDate } from '../../http/time'
import { ApiError, conflict } from '../../http/errors'
import { assertIfMatch } from '../../http/etag'
import { type PageParams, paginate } from '../../http/pagination'
import { newId } from '../../ids'
import type { DocumentTotals } from '../../money/amounts'
import { invoiceStatusMachine } from './status'
import { assertDraftOnlyFieldsEditable, documentChanges, resolveDocument } from '../line-items/document'
import { lineItemRowsOf, replaceLineItems, type ResolvedLine, withLineItems } from '../line-items/service'
import { toLineItem } from '../line-items/model'
import { type InvoiceCreate, type InvoiceOut, type InvoicePatch, type InvoiceQuery, toInvoice } from './model'

const owner = (id: string) => ({ column: 'invoice_id' as const, id })

export function listInvoices(db: Db, orgId: string, filters: Static<typeof InvoiceQuery> & PageParams) {
  return transaction(db, async (trx) => {
    let query = trx.selectFrom('invoices').selectAll().where('org_id', '=', orgId)
    if (filters.status) query = query.where('status', '=', filters.status)
    if (filters.client_id) query = query.where('client_id', '=', filters.client_id)
    if (filters.job_id) query = query.where('job_id', '=', filters.job_id)
    return withLineItems(trx, 'invoice_id', await paginate(query, 'invoices.id', filters, (row) => row), toInvoice)
  })
}

const findInvoiceRow = (trx: Trx | Db, orgId: string, id: string): Promise<InvoiceRow> => findInOrg(trx, 'invoices', orgId, id, 'Invoice')

/** The invoice exactly as GET returns it (also the `object` of its events). */
export async function loadInvoice(trx: Trx | Db, orgId: string, id: string): Promise<InvoiceOut> {
  const row = await findInvoiceRow(trx, orgId, id)
  return toInvoice(row, (await lineItemRowsOf(trx, owner(id))).map(toLineItem))
}

export function getInvoice(db: Db, orgId: string, id: string) {
  return transaction(db, (trx) => loadInvoice(trx, orgId, id))
}

export interface NewInvoice {
  client_id: string
  job_id: string | null
  estimate_id: string | null
  currency: string
  title: string | null
  notes: string | null
  due_date: string | null
  lines: ResolvedLine[]
  totals: DocumentTotals
}

/** Inserts a draft invoice with its lines and records `invoice.created` (direct create and estimate conversion). */
export async function insertInvoice(trx: Trx, orgId: string, input: NewInvoice, clock: Clock): Promise<InvoiceOut> {
  const now = clock.now().toISOString()
  const id = newId('inv')
  await trx
    .insertInto('invoices')
    .values({
      id,
      org_id: orgId,
      number: `INV-${await nextNumber(trx, orgId, 'invoice')}`,
      status: 'draft',
      client_id: input.client_id,
      job_id: input.job_id,
      estimate_id: input.estimate_id,
      title: input.title,
      notes: input.notes,
      currency: input.currency,
      ...input.totals,
      amount_paid_cents: 0,
      due_date: input.due_date,
      sent_at: null,
      paid_at: null,
      voided_at: null,
      void_reason: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()
  await replaceLineItems(trx, orgId, owner(id), input.lines, now)
  const invoice = await loadInvoice(trx, orgId, id)
  await recordEvent(trx, { orgId, type: 'invoice.created', object: invoice, at: clock.now() })
  return invoice
}

export async function createInvoice(trx: Trx, orgId: string, input: Static<typeof InvoiceCreate>, clock: Clock) {
  const doc = await resolveDocument(trx, orgId, { ...input, line_items: input.line_items ?? [] }, null)
  return insertInvoice(
    trx,
    orgId,
    {
      client_id: doc.client_id,
      job_id: doc.job_id,
      estimate_id: null,
      currency: doc.currency,
      title: input.title ?? null,
      notes: input.notes ?? null,
      due_date: input.due_date ? toCalendarDate(input.due_date, '/due_date') : null,
      lines: doc.lines!.lines,
      totals: doc.lines!.totals,
    },
    clock,
  )
}

export function updateInvoice(
  db: Db,
  orgId: string,
  id: string,
  input: Static<typeof InvoicePatch>,
  ifMatch: string | null,
  clock: Clock,
) {
  return transaction(db, async (trx) => {
    const row = await findInvoiceRow(trx, orgId, id)
    assertIfMatch(ifMatch, row.version)
    if (row.status === 'void') throw conflict('A void invoice cannot change')
    assertDraftOnlyFieldsEditable(input, row.status, 'invoice')
    if (Object.keys(input).length === 0) return loadInvoice(trx, orgId, id)
    const doc = await resolveDocument(trx, orgId, input, row)
    const now = clock.now().toISOString()
    const changes = {
      ...documentChanges(input, doc),
      ...(input.due_date !== undefined ? { due_date: input.due_date && toCalendarDate(input.due_date, '/due_date') } : {}),
    }
    await updateVersioned(trx, 'invoices', row, changes, now)
    if (doc.lines) await replaceLineItems(trx, orgId, owner(id), doc.lines.lines, now)
    return loadInvoice(trx, orgId, id)
  })
}

export function sendInvoice(db: Db, orgId: string, id: string, clock: Clock) {
  return transaction(db, async (trx) => {
    const row = await findInvoiceRow(trx, orgId, id)
    const status = invoiceStatusMachine.next('send', row.status)
    if ((await lineItemRowsOf(trx, owner(id))).length === 0) throw conflict('An invoice without line items cannot be sent')
    const now = clock.now().toISOString()
    // Nothing to collect on a zero total: it is paid the moment it is sent (as Stripe does).
    const settled = row.total_cents === 0
    const paid = settled ? invoiceStatusMachine.next('pay_in_full', status) : status
    await updateVersioned(trx, 'invoices', row, { status: paid, sent_at: now, ...(settled ? { paid_at: now } : {}) }, now)
    const invoice = await loadInvoice(trx, orgId, id)
    await recordEvent(trx, { orgId, type: 'invoice.sent', object: invoice, at: clock.now() })
    if (settled) await recordEvent(trx, { orgId, type: 'invoice.paid', object: invoice, at: clock.now() })
    return invoice
  })
}

export function voidInvoice(db: Db, orgId: string, id: string, reason: string | undefined, clock: Clock) {
  return transaction(db, async (trx) => {
    const row = await findInvoiceRow(trx, orgId, id)
    const status = invoiceStatusMachine.next('void', row.status)
    const now = clock.now().toISOString()
    await updateVersioned(trx, 'invoices', row, { status, voided_at: now, void_reason: reason ?? null }, now)
    return loadInvoice(trx, orgId, id)
  })
}

/**
 * Adds a payment to the invoice's paid amount inside the payment's transaction: only a
 * sent or partially paid invoice takes one, never beyond its balance; reaching zero marks it paid.
 */
export async function applyPayment(trx: Trx, orgId: string, invoiceId: string, amountCents: number, now: string) {
  const row = await findInvoiceRow(trx, orgId, invoiceId)
  const takesPayments = invoiceStatusMachine.transitions.pay_in_part.from
  if (!takesPayments.includes(row.status)) {
    throw conflict(`Cannot record a payment on an invoice that is ${row.status}; only a ${takesPayments.join(' or ')} invoice takes payments`)
  }
  const balance = row.total_cents - row.amount_paid_cents
  const fullyPaid = amountCents === balance
  const status = invoiceStatusMachine.next(fullyPaid ? 'pay_in_full' : 'pay_in_part', row.status)
  if (amountCents > balance) {
    throw new ApiError('validation_failed', `amount_cents ${amountCents} exceeds the invoice balance of ${balance}`, [
      { field: '/amount_cents', message: `exceeds the invoice balance of ${balance}` },
    ])
  }
  await updateVersioned(trx, 'invoices', row, { status, amount_paid_cents: row.amount_paid_cents + amountCents, ...(fullyPaid ? { paid_at: now } : {}) }, now)
  return { invoice: await loadInvoice(trx, orgId, invoiceId), row, fullyPaid }
}
