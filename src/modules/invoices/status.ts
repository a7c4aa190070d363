import { defineStatusMachine } from '../../status-machine'

/** Every legal status change of an invoice (PRODUCT.md §2): services ask here before they write. */
export const INVOICE_STATUSES = ['draft', 'sent', 'partially_paid', 'paid', 'void'] as const
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number]

export const invoiceStatusMachine = defineStatusMachine<InvoiceStatus, 'send' | 'pay_in_part' | 'pay_in_full' | 'void'>('invoice', {
  send: { from: ['draft'], to: 'sent' },
  pay_in_part: { from: ['sent', 'partially_paid'], to: 'partially_paid' },
  pay_in_full: { from: ['sent', 'partially_paid'], to: 'paid' },
  void: { from: ['draft', 'sent'], to: 'void' },
})
