import { defineLifecycle } from '../http/lifecycle'

/**
 * Every legal status change of estimates and invoices (PRODUCT.md §2), in one place:
 * services ask here before they write, so an illegal change is a 409 that touches nothing.
 */
export const ESTIMATE_STATUSES = ['draft', 'sent', 'approved', 'declined', 'converted'] as const
export type EstimateStatus = (typeof ESTIMATE_STATUSES)[number]

export const INVOICE_STATUSES = ['draft', 'sent', 'partially_paid', 'paid', 'void'] as const
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number]

export const estimateLifecycle = defineLifecycle<EstimateStatus, 'send' | 'approve' | 'decline' | 'convert'>('estimate', {
  send: { from: ['draft'], to: 'sent' },
  approve: { from: ['sent'], to: 'approved' },
  decline: { from: ['sent'], to: 'declined' },
  convert: { from: ['approved'], to: 'converted' },
})

export const invoiceLifecycle = defineLifecycle<InvoiceStatus, 'send' | 'pay_in_part' | 'pay_in_full' | 'void'>('invoice', {
  send: { from: ['draft'], to: 'sent' },
  pay_in_part: { from: ['sent', 'partially_paid'], to: 'partially_paid' },
  pay_in_full: { from: ['sent', 'partially_paid'], to: 'paid' },
  void: { from: ['draft', 'sent'], to: 'void' },
})

/** Line items, currency, client and job change only while a document is a draft. */
export const EDITABLE_STATUS = 'draft'
