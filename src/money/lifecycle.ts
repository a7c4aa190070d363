import { conflict } from '../http/errors'

/**
 * Every legal status change of estimates and invoices (PRODUCT.md §2), in one place:
 * services ask here before they write, so an illegal change is a 409 that touches nothing.
 */
export const ESTIMATE_STATUSES = ['draft', 'sent', 'approved', 'declined', 'converted'] as const
export type EstimateStatus = (typeof ESTIMATE_STATUSES)[number]

export const INVOICE_STATUSES = ['draft', 'sent', 'partially_paid', 'paid', 'void'] as const
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number]

interface Transition<S extends string> {
  from: readonly S[]
  to: S
}

export const ESTIMATE_TRANSITIONS = {
  send: { from: ['draft'], to: 'sent' },
  approve: { from: ['sent'], to: 'approved' },
  decline: { from: ['sent'], to: 'declined' },
  convert: { from: ['approved'], to: 'converted' },
} as const satisfies Record<string, Transition<EstimateStatus>>

export const INVOICE_TRANSITIONS = {
  send: { from: ['draft'], to: 'sent' },
  pay_in_part: { from: ['sent', 'partially_paid'], to: 'partially_paid' },
  pay_in_full: { from: ['sent', 'partially_paid'], to: 'paid' },
  void: { from: ['draft', 'sent'], to: 'void' },
} as const satisfies Record<string, Transition<InvoiceStatus>>

/** Line items, currency, client and job change only while a document is a draft. */
export const EDITABLE_STATUS = 'draft'

/** The status `action` leads to from `current`, or 409 naming the statuses that allow it. */
export function transition<S extends string, A extends string>(
  table: Record<A, Transition<S>>,
  what: string,
  action: A,
  current: S,
  verb = `${action.replace(/_/g, ' ')}`,
): S {
  const rule = table[action]
  if (!rule.from.includes(current)) {
    throw conflict(`Cannot ${verb} a ${current} ${what}; only a ${rule.from.join(' or ')} ${what} allows it`)
  }
  return rule.to
}
