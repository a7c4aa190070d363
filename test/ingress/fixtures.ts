import type { Db } from '../../src/db/client'
import { newId } from '../../src/ids'
import type { createTestApp } from '../helpers/app'

export type TestApp = Awaited<ReturnType<typeof createTestApp>>

/** The body of PRODUCT.md §4's cURL example, byte for byte (the shell keeps the line break and indent). */
export const CURL_EXAMPLE_BODY = `{"title":"Customer call logged","description":"Asked about the invoice for the boiler repair.",
         "startTime":"2026-03-02T14:05:00Z","trigger":"Phone","event":"Call log","externalId":"call-5521"}`

/** The cURL example's command, with its placeholder URL swapped for `url`. */
export const curlExampleCommand = (url: string) => `curl -X POST ${url} \\
    -H 'Content-Type: application/json' \\
    -d '${CURL_EXAMPLE_BODY}'`

export const minimalActivity = (extra: Record<string, unknown> = {}) => ({
  title: 'Boiler checked',
  startTime: '2026-03-02T14:05:00Z',
  ...extra,
})

export async function insertJob(db: Db, orgId: string, title = 'Boiler repair') {
  const now = new Date().toISOString()
  const id = newId('job')
  await db
    .insertInto('jobs')
    .values({
      id,
      org_id: orgId,
      number: `JOB-${Math.floor(Math.random() * 1e9)}`,
      title,
      description: null,
      client_id: null,
      property_id: null,
      status: 'scheduled',
      priority: 'normal',
      scheduled_start: null,
      scheduled_end: null,
      started_at: null,
      completed_at: null,
      outcome: null,
      completion_note: null,
      delay_reason: null,
      tags: '[]',
      metadata: '{}',
      deleted_at: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()
  return id
}

export async function insertContractor(db: Db, orgId: string, email: string | null, name = 'Casey Crew') {
  const now = new Date().toISOString()
  const id = newId('con')
  await db
    .insertInto('contractors')
    .values({
      id,
      org_id: orgId,
      user_id: null,
      name,
      email,
      phone: null,
      trade: null,
      active: 1,
      rating_average: null,
      rating_count: 0,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()
  return id
}

/** Creates an ingress URL through the API; `path` is what to POST activities to. */
export async function createIngressUrl(ctx: TestApp, key: string, body: Record<string, unknown> = { name: 'Phone system' }) {
  const res = await ctx.call('POST', '/api/v1/ingress-webhooks', { token: key, body })
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`)
  const url = new URL(res.body.data.url as string)
  const token = url.pathname.split('/').pop()!
  return { id: res.body.data.id as string, url: url.toString(), path: url.pathname, token, data: res.body.data }
}

export const sendActivity = (ctx: TestApp, path: string, body: unknown) =>
  ctx.call('POST', path, typeof body === 'string' ? { raw: body, headers: { 'content-type': 'application/json' } } : { body })
