import { writeAnswering } from '../../http/idempotency'
import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope, pageQuery } from '../../http/pagination'
import { IdParams, NoBody } from '../../http/fields'
import { ROUNDING_RULE } from '../line-items/model'
import { Invoice, InvoiceCreate, InvoicePatch, InvoiceQuery, InvoiceVoid } from './model'
import { createInvoice, getInvoice, listInvoices, sendInvoice, updateInvoice, voidInvoice } from './service'

const TAG = 'Invoices'
const one = (description: string) => dataEnvelope(Invoice, description)

export const invoicesRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/invoices', normalize: false })
    .use(authenticated(deps))
    .get('', ({ principal, query }) => listInvoices(deps.db, principal.orgId, query), {
      query: t.Object({ ...pageQuery, ...InvoiceQuery.properties }),
      response: { 200: listEnvelope(Invoice, 'Invoices with their line items, newest first'), ...errorResponses(400, 401, 403, 429) },
      detail: doc(TAG, 'listInvoices', 'List invoices with line items', 'Filters: `status`, `client_id`, `job_id`.'),
    })
    .get('/:id', async ({ principal, params }) => ({ data: await getInvoice(deps.db, principal.orgId, params.id) }), {
      params: IdParams,
      response: { 200: one('The invoice with its line items'), ...errorResponses(401, 403, 404, 429) },
      detail: doc(TAG, 'getInvoice', 'Get an invoice with line items'),
    })
    .post(
      '',
      async ({ principal, body, set, request }) => {
        set.status = 201
        return { data: await writeAnswering(deps.db, request, 201, (trx) => createInvoice(trx, principal.orgId, body, deps.clock)) }
      },
      {
        body: InvoiceCreate,
        response: { 201: one('The new draft invoice'), ...errorResponses(400, 401, 403, 409, 422, 429) },
        detail: doc(
          TAG,
          'createInvoice',
          'Create a draft invoice',
          `Gets the next number (\`INV-1001\`…) and the organization’s currency unless \`currency\` is given. ${ROUNDING_RULE} Records \`invoice.created\`.`,
        ),
      },
    )
    .patch(
      '/:id',
      async ({ principal, params, body, headers }) => ({
        data: await updateInvoice(deps.db, principal.orgId, params.id, body, headers['if-match'] ?? null, deps.clock),
      }),
      {
        params: IdParams,
        body: InvoicePatch,
        response: { 200: one('The updated invoice'), ...errorResponses(400, 401, 403, 404, 409, 412, 429) },
        detail: doc(
          TAG,
          'updateInvoice',
          'Change an invoice',
          '`line_items` (replacing every line), `currency`, `client_id` and `job_id` change only while the invoice is a `draft` (else 409); ' +
            '`title`, `notes` and `due_date` change in any status but `void`. Honours `If-Match`.',
        ),
      },
    )
    .post('/:id/send', async ({ principal, params }) => ({ data: await sendInvoice(deps.db, principal.orgId, params.id, deps.clock) }), {
      params: IdParams,
      body: NoBody,
      response: { 200: one('The sent invoice'), ...errorResponses(400, 401, 403, 404, 409, 422, 429) },
      detail: doc(
        TAG,
        'sendInvoice',
        'Send a draft invoice',
        '`draft` → `sent` (records `invoice.sent`); its lines are then fixed. An invoice without lines is 409. ' +
          'A zero total is paid at once (`invoice.paid` too).',
      ),
    })
    .post(
      '/:id/void',
      async ({ principal, params, body }) => ({ data: await voidInvoice(deps.db, principal.orgId, params.id, body.reason, deps.clock) }),
      {
        params: IdParams,
        body: InvoiceVoid,
        response: { 200: one('The void invoice'), ...errorResponses(400, 401, 403, 404, 409, 422, 429) },
        detail: doc(TAG, 'voidInvoice', 'Void an invoice', 'Only a `draft` or `sent` invoice (no payments yet) can be voided; otherwise 409.'),
      },
    )
