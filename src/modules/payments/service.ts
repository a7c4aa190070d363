import type { Static } from 'elysia'
import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import { assertReference, findInOrg } from '../../db/rows'
import { transaction, type Trx } from '../../db/transaction'
import { recordEvent } from '../../events/record'
import { toUtcIso } from '../../http/time'
import { invalid } from '../../http/errors'
import { type PageParams, paginate } from '../../http/pagination'
import { newId } from '../../ids'
import { applyPayment } from '../invoices/service'
import { type PaymentCreate, type PaymentQuery, toPayment } from './model'

/** How far ahead of our clock a `received_at` may be (the caller's clock may run fast). */
const FUTURE_SLACK_MS = 5 * 60_000

export function listPayments(db: Db, orgId: string, filters: Static<typeof PaymentQuery> & PageParams) {
  let query = db.selectFrom('payments').selectAll().where('org_id', '=', orgId)
  if (filters.invoice_id) query = query.where('invoice_id', '=', filters.invoice_id)
  if (filters.client_id) query = query.where('client_id', '=', filters.client_id)
  if (filters.method) query = query.where('method', '=', filters.method)
  return paginate(query, 'payments.id', filters, toPayment)
}

export async function getPayment(db: Db, orgId: string, id: string) {
  return toPayment(await findInOrg(db, 'payments', orgId, id, 'Payment'))
}

function receivedAt(value: string | undefined, now: Date): string {
  if (value === undefined) return now.toISOString()
  const at = toUtcIso(value) // the body schema already refused anything else
  if (Date.parse(at) > now.getTime() + FUTURE_SLACK_MS) throw invalid('/received_at', 'cannot be in the future')
  return at
}

/**
 * Records a payment and applies it to its invoice in one transaction, so the balance can
 * never be over-collected by racing payments; reaching zero marks the invoice paid.
 */
export async function recordPayment(trx: Trx, orgId: string, input: Static<typeof PaymentCreate>, clock: Clock) {
  const now = clock.now()
  const invoiceRow = await assertReference(trx, 'invoices', orgId, input.invoice_id, '/invoice_id', 'invoice')
  if (input.currency !== undefined && input.currency !== invoiceRow.currency) {
    throw invalid('/currency', `must be the invoice's currency ${invoiceRow.currency}`)
  }
  const received = receivedAt(input.received_at, now)
  const { invoice, fullyPaid } = await applyPayment(trx, orgId, input.invoice_id, input.amount_cents, now.toISOString())
  const row = {
    id: newId('pay'),
    org_id: orgId,
    invoice_id: invoice.id,
    client_id: invoice.client_id,
    amount_cents: input.amount_cents,
    currency: invoice.currency,
    method: input.method,
    received_at: received,
    reference: input.reference ?? null,
    notes: input.notes ?? null,
    version: 1,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  }
  await trx.insertInto('payments').values(row).execute()
  const payment = toPayment(row)
  await recordEvent(trx, { orgId, type: 'payment.received', object: payment, at: now })
  if (fullyPaid) await recordEvent(trx, { orgId, type: 'invoice.paid', object: invoice, at: now })
  return payment
}
