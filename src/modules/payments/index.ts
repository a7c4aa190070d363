import { writeAnswering } from '../../http/idempotency'
import { Elysia, t } from 'elysia'
import type { AppDeps } from '../../deps'
import { authenticated } from '../../http/authenticated'
import { errorResponses } from '../../http/errors'
import { IdParams } from '../../http/fields'
import { doc } from '../../http/openapi'
import { dataEnvelope, listEnvelope, pageQuery } from '../../http/pagination'
import { Payment, PaymentCreate, PaymentQuery } from './model'
import { getPayment, listPayments, recordPayment } from './service'

const TAG = 'Payments'

export const paymentsRoutes = (deps: AppDeps) =>
  new Elysia({ prefix: '/payments', normalize: false })
    .use(authenticated(deps))
    .get('', ({ principal, query }) => listPayments(deps.db, principal.orgId, query), {
      query: t.Object({ ...pageQuery, ...PaymentQuery.properties }),
      response: { 200: listEnvelope(Payment, 'Payments, newest first'), ...errorResponses(400, 401, 403, 429) },
      detail: doc(TAG, 'listPayments', 'List payments', 'Filters: `invoice_id`, `client_id`, `method`.'),
    })
    .get('/:id', async ({ principal, params }) => ({ data: await getPayment(deps.db, principal.orgId, params.id) }), {
      params: IdParams,
      response: { 200: dataEnvelope(Payment, 'The payment'), ...errorResponses(401, 403, 404, 429) },
      detail: doc(TAG, 'getPayment', 'Get a payment'),
    })
    .post(
      '',
      async ({ principal, body, set, request }) => {
        set.status = 201
        return { data: await writeAnswering(deps.db, request, 201, (trx) => recordPayment(trx, principal.orgId, body, deps.clock)) }
      },
      {
        body: PaymentCreate,
        response: { 201: dataEnvelope(Payment, 'The recorded payment'), ...errorResponses(400, 401, 403, 409, 422, 429) },
        detail: doc(
          TAG,
          'recordPayment',
          'Record a payment against an invoice',
          'Only a `sent` or `partially_paid` invoice takes payments (else 409). `amount_cents` above the invoice’s ' +
            '`balance_cents` is 400. The payment that brings the balance to zero marks the invoice `paid` in the same ' +
            'transaction (events `payment.received`, then `invoice.paid`); otherwise it becomes `partially_paid`. ' +
            'Concurrent payments on one invoice are serialized and can never collect more than its total.',
        ),
      },
    )
