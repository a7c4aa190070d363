import { assertOrgLimit } from '../../db/rows'
import type { Static } from 'elysia'
import type { Db } from '../../db/client'
import type { DeliveryStatus, WebhookEndpointRow } from '../../db/schema'
import { deliveriesQueued, transaction, type Trx } from '../../db/transaction'
import type { AppDeps } from '../../deps'
import { conflict, invalid, notFound } from '../../http/errors'
import { assertIfMatch } from '../../http/etag'
import { type PageParams, paginate } from '../../http/pagination'
import { newId } from '../../ids'
import { AddressRefused, parseWebhookUrl, resolveCheckedAddress, systemResolver } from '../../outbox/address'
import { eventPatternProblem, subscribesTo } from '../../outbox/filter'
import { compileFilter, FilterProblem, storedFilter } from '../../outbox/payload-filter'
import { queueManualAttempts, sendTestEvent } from '../../outbox/manual'
import { RESERVED_HEADERS } from '../../outbox/prepare'
import { disableEndpoint } from '../../outbox/record'
import { ROTATION_OVERLAP_MS } from '../../outbox/retry'
import { newWebhookSecret } from '../../outbox/signing'
import { toDelivery } from '../deliveries/model'
import { healthOf } from './health'
import {
  MAX_ENDPOINTS_PER_ORG,
  type WebhookCreate,
  type WebhookPatch,
  toWebhook,
} from './model'

type Deps = Pick<AppDeps, 'db' | 'config' | 'clock' | 'logger' | 'resolveHost' | 'secrets'>

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const HEADER_VALUE = /^[\t\x20-\x7e]*$/

async function findEndpoint(db: Db | Trx, orgId: string, id: string): Promise<WebhookEndpointRow> {
  const row = await db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('Webhook')
  return row
}

async function present(deps: Deps, row: WebhookEndpointRow) {
  const now = deps.clock.now()
  return toWebhook(row, await healthOf(deps.db, row, now), now)
}

/** Scheme, credentials, and (unless insecure is allowed) every address the host resolves to. */
async function checkUrl(deps: Deps, raw: string): Promise<string> {
  const url = raw.trim()
  try {
    const parsed = parseWebhookUrl(url, deps.config.webhookAllowInsecure)
    if (!deps.config.webhookAllowInsecure) {
      await resolveCheckedAddress(parsed, { allowInsecure: false, resolve: deps.resolveHost ?? systemResolver, timeoutMs: 3000 })
    }
  } catch (error) {
    // A name that does not resolve yet is accepted: every attempt checks again, and the Test button shows it.
    if (error instanceof AddressRefused && error.kind !== 'dns') throw invalid('/url', error.message)
    if (!(error instanceof AddressRefused)) throw error
  }
  return url
}

function checkEvents(events: string[]): string[] {
  events.forEach((pattern, index) => {
    const problem = eventPatternProblem(pattern)
    if (problem) throw invalid(`/events/${index}`, problem)
  })
  return [...new Set(events)]
}

function checkHeaders(headers: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw invalid(`/headers/${name}`, 'is not a valid HTTP header name')
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw invalid(`/headers/${name}`, 'is set by Crewbase and cannot be overridden')
    if (!HEADER_VALUE.test(value)) throw invalid(`/headers/${name}`, 'must be printable ASCII without line breaks')
  }
  return headers
}

/** A filter as stored (JSON text, or null for none); 400 naming `/filter/...` when it does not parse. */
function checkFilter(filter: Record<string, unknown> | null): string | null {
  if (filter === null) return null
  try {
    compileFilter(filter)
  } catch (error) {
    if (error instanceof FilterProblem) throw invalid(error.pointer, error.message)
    throw error
  }
  return JSON.stringify(filter)
}

export async function listWebhooks(deps: Deps, orgId: string, params: PageParams) {
  const page = await paginate(deps.db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId), 'webhook_endpoints.id', params, (row) => row)
  return { ...page, data: await Promise.all(page.data.map((row) => present(deps, row))) }
}

export async function getWebhook(deps: Deps, orgId: string, id: string) {
  return present(deps, await findEndpoint(deps.db, orgId, id))
}

export async function createWebhook(deps: Deps, orgId: string, input: Static<typeof WebhookCreate>) {
  const url = await checkUrl(deps, input.url)
  const events = checkEvents(input.events)
  const headers = checkHeaders(input.headers ?? {})
  const filter = checkFilter(input.filter ?? null)
  const id = newId('wh')
  const secret = newWebhookSecret()
  const sealed = await deps.secrets.seal(secret, id)
  const row = await transaction(deps.db, async (trx) => {
    await assertOrgLimit(
      trx,
      orgId,
      MAX_ENDPOINTS_PER_ORG,
      async () => {
        const count = await trx.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId).executeTakeFirst()
        return Number(count?.n ?? 0)
      },
      `An organization can have at most ${MAX_ENDPOINTS_PER_ORG} webhook endpoints; delete one first`,
    )
    const now = deps.clock.now().toISOString()
    const enabled = input.enabled ?? true
    const values: WebhookEndpointRow = {
      id,
      org_id: orgId,
      url,
      description: input.description ?? null,
      events: JSON.stringify(events),
      headers: JSON.stringify(headers),
      secret: sealed,
      previous_secret: null,
      previous_secret_expires_at: null,
      debounce_seconds: input.debounce_seconds ?? 0,
      filter,
      rate_limit_per_second: input.rate_limit_per_second ?? null,
      enabled: enabled ? 1 : 0,
      disabled_reason: null,
      disabled_at: enabled ? null : now,
      consecutive_failures: 0,
      failing_since: null,
      version: 1,
      created_at: now,
      updated_at: now,
    }
    await trx.insertInto('webhook_endpoints').values(values).execute()
    return values
  })
  return { ...(await present(deps, row)), secret }
}

export async function updateWebhook(
  deps: Deps,
  orgId: string,
  id: string,
  input: Static<typeof WebhookPatch>,
  ifMatch: string | null,
) {
  const url = input.url === undefined ? undefined : await checkUrl(deps, input.url)
  const events = input.events === undefined ? undefined : checkEvents(input.events)
  const headers = input.headers === undefined ? undefined : checkHeaders(input.headers)
  const filter = input.filter === undefined ? undefined : checkFilter(input.filter)
  const row = await transaction(deps.db, async (trx) => {
    const current = await findEndpoint(trx, orgId, id)
    assertIfMatch(ifMatch, current.version)
    const now = deps.clock.now().toISOString()
    if (input.enabled === false && current.enabled === 1) await disableEndpoint(trx, id, 'Disabled through the API', now)
    const reenabled = input.enabled === true && current.enabled === 0
    return trx
      .updateTable('webhook_endpoints')
      .set({
        ...(url !== undefined ? { url } : {}),
        ...(events !== undefined ? { events: JSON.stringify(events) } : {}),
        ...(headers !== undefined ? { headers: JSON.stringify(headers) } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.debounce_seconds !== undefined ? { debounce_seconds: input.debounce_seconds } : {}),
        ...(filter !== undefined ? { filter } : {}),
        ...(input.rate_limit_per_second !== undefined ? { rate_limit_per_second: input.rate_limit_per_second } : {}),
        // A fresh start: the five-day clock and the failure count begin again.
        ...(reenabled ? { enabled: 1, disabled_reason: null, disabled_at: null, consecutive_failures: 0, failing_since: null } : {}),
        version: current.version + 1,
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
  })
  return present(deps, row)
}

export async function deleteWebhook(db: Db, orgId: string, id: string) {
  const result = await db.deleteFrom('webhook_endpoints').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
  if (Number(result.numDeletedRows) === 0) throw notFound('Webhook')
}

/** A new secret; the old one keeps signing beside it for 24 hours so receivers can switch without gaps. */
export async function rotateWebhookSecret(deps: Deps, orgId: string, id: string) {
  const secret = newWebhookSecret()
  const sealed = await deps.secrets.seal(secret, id)
  const row = await transaction(deps.db, async (trx) => {
    const current = await findEndpoint(trx, orgId, id)
    const now = deps.clock.now()
    return trx
      .updateTable('webhook_endpoints')
      .set({
        secret: sealed,
        // Stored as it is (sealed or not): the row id, its associated data, stays the same.
        previous_secret: current.secret,
        previous_secret_expires_at: new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString(),
        version: current.version + 1,
        updated_at: now.toISOString(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
  })
  return { ...(await present(deps, row)), secret }
}

/** Would this endpoint get a delivery for `body`: its event list, then its payload filter. */
function wouldDeliver(row: WebhookEndpointRow, body: Record<string, unknown> & { type: string }) {
  const subscribed = subscribesTo(JSON.parse(row.events) as string[], body.type)
  const filterMatched = row.filter === null ? null : storedFilter(row.filter)(body)
  return { event_type: body.type, subscribed, filter_matched: filterMatched, would_deliver: subscribed && filterMatched !== false }
}

/**
 * Sends a signed `webhook.test` now (always, whatever the filter) and reports whether
 * `sample` — a delivery body, by default that test event — would pass the endpoint's
 * events and filter.
 */
export async function testWebhook(deps: Deps, orgId: string, id: string, sample?: Record<string, unknown> & { type: string }) {
  const row = await findEndpoint(deps.db, orgId, id)
  const sent = await sendTestEvent(deps, row, await present(deps, row))
  if (!sent) throw notFound('Webhook')
  const { result } = sent.outcome
  return {
    delivery_id: sent.deliveryId,
    event_id: sent.eventId,
    sample: wouldDeliver(row, sample ?? JSON.parse(sent.body)),
    succeeded: result.succeeded,
    attempt: {
      number: 1,
      trigger: 'test' as const,
      started_at: result.startedAt.toISOString(),
      duration_ms: result.durationMs,
      succeeded: result.succeeded,
      status_code: result.statusCode,
      error: result.error,
      error_message: result.errorMessage,
      response_excerpt: result.responseExcerpt,
    },
  }
}

/** Queues every failed or skipped delivery of the endpoint created since `since` for an attempt now. */
export async function recoverWebhook(deps: Deps, orgId: string, id: string, since: string) {
  const at = new Date(since)
  if (Number.isNaN(at.getTime())) throw invalid('/since', 'must be an ISO 8601 date-time')
  const queued = await transaction(deps.db, async (trx) => {
    const endpoint = await findEndpoint(trx, orgId, id)
    if (endpoint.enabled === 0) throw conflict('The webhook is disabled; enable it before recovering its deliveries')
    const count = await queueManualAttempts(trx, { endpointId: id, statuses: ['failed', 'skipped'], since: at.toISOString() }, deps.clock.now())
    if (count > 0) deliveriesQueued(trx)
    return count
  })
  return { queued }
}

export async function listWebhookDeliveries(
  deps: Deps,
  orgId: string,
  id: string,
  query: PageParams & { status?: DeliveryStatus },
) {
  await findEndpoint(deps.db, orgId, id)
  let rows = deps.db.selectFrom('deliveries').selectAll().where('endpoint_id', '=', id)
  if (query.status) rows = rows.where('status', '=', query.status)
  const now = deps.clock.now()
  return paginate(rows, 'deliveries.id', query, (row) => toDelivery(row, now))
}
