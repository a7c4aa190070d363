import type { Static } from 'elysia'
import { assertReference } from '../../db/rows'
import type { Trx } from '../../db/transaction'
import { conflict, invalid } from '../../http/errors'
import { assertCurrency } from '../../money/currencies'
import { orgCurrency } from '../orgs/service'
import type { LineItemInput } from './model'
import { type ResolvedLines, resolveLineItems } from './service'

/** Line items, currency, client and job change only while a document is a draft. */
const EDITABLE_STATUS = 'draft'

/** What estimates and invoices share on create and PATCH: who it is for, in what money, which lines. */
export interface DocumentInput {
  client_id?: string
  job_id?: string | null
  currency?: string
  line_items?: Static<typeof LineItemInput>[]
}

/** Fields that change only while the document is a draft (the rest — title, notes, dates — any time). */
const DRAFT_ONLY_FIELDS = ['client_id', 'job_id', 'currency', 'line_items'] as const

export function assertDraftOnlyFieldsEditable(input: object, status: string, what: string) {
  const locked = DRAFT_ONLY_FIELDS.filter((field) => field in input)
  if (locked.length > 0 && status !== EDITABLE_STATUS) {
    throw conflict(`${locked.join(', ')} of a ${status} ${what} cannot change; only a draft's can`)
  }
}

/** The client and job exist in this org, and the job (when it has a client) is that client's. */
export async function checkClientAndJob(trx: Trx, orgId: string, clientId: string, jobId: string | null) {
  await assertReference(trx, 'clients', orgId, clientId, '/client_id', 'client')
  if (jobId === null) return
  const job = await assertReference(trx, 'jobs', orgId, jobId, '/job_id', 'job', { live: true })
  if (job.client_id !== null && job.client_id !== clientId) throw invalid('/job_id', `job ${jobId} belongs to another client`)
}

export interface ResolvedDocument {
  client_id: string
  job_id: string | null
  currency: string
  /** Only when the input carried line_items. */
  lines?: ResolvedLines
}

/**
 * Checks and resolves the shared fields of a new document or a draft's PATCH, falling
 * back to `current` (the stored row) or, for a new document, the org's currency.
 */
export async function resolveDocument(
  trx: Trx,
  orgId: string,
  input: DocumentInput,
  current: { client_id: string; job_id: string | null; currency: string } | null,
): Promise<ResolvedDocument> {
  const clientId = input.client_id ?? current?.client_id
  if (clientId === undefined) throw invalid('/client_id', 'is required')
  const jobId = input.job_id !== undefined ? input.job_id : (current?.job_id ?? null)
  if (input.client_id !== undefined || input.job_id !== undefined) await checkClientAndJob(trx, orgId, clientId, jobId)
  const currency = input.currency
    ? assertCurrency(input.currency, '/currency')
    : (current?.currency ?? (await orgCurrency(trx, orgId)))
  // Stored lines are priced in the old currency: 9500 cents of USD are not 9500 yen.
  if (current && currency !== current.currency && input.line_items === undefined) {
    throw invalid('/currency', `can change only together with line_items priced in ${currency}`)
  }
  const lines =
    input.line_items !== undefined ? await resolveLineItems(trx, orgId, currency, input.line_items) : undefined
  return { client_id: clientId, job_id: jobId, currency, ...(lines ? { lines } : {}) }
}

/**
 * What a PATCH writes besides the document's own date: the resolved shared fields, title
 * and notes when sent, and new totals when the lines are replaced.
 */
export function documentChanges(input: { title?: string | null; notes?: string | null }, doc: ResolvedDocument) {
  return {
    client_id: doc.client_id,
    job_id: doc.job_id,
    currency: doc.currency,
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
    ...(doc.lines ? doc.lines.totals : {}),
  }
}
