import { defineStatusMachine } from '../../status-machine'

/** Every legal status change of an estimate (PRODUCT.md §2): services ask here before they write. */
export const ESTIMATE_STATUSES = ['draft', 'sent', 'approved', 'declined', 'converted'] as const
export type EstimateStatus = (typeof ESTIMATE_STATUSES)[number]

export const estimateStatusMachine = defineStatusMachine<EstimateStatus, 'send' | 'approve' | 'decline' | 'convert'>('estimate', {
  send: { from: ['draft'], to: 'sent' },
  approve: { from: ['sent'], to: 'approved' },
  decline: { from: ['sent'], to: 'declined' },
  convert: { from: ['approved'], to: 'converted' },
})
