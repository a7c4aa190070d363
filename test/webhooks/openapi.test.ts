import { describe, expect, test } from 'bun:test'
import { EVENT_TYPE_NAMES } from '../../src/events/catalog'
import { createTestApp } from '../helpers/app'
import { deref } from '../helpers/openapi'

describe('the OpenAPI document lists every event and its payload under webhooks', () => {
  test('every catalog event has a POST with headers and a body schema; previous on *.updated and a job’s state changes', async () => {
    const ctx = await createTestApp()
    const served = (await ctx.call('GET', '/openapi.json')).body
    const doc = deref(served, served)
    expect(Object.keys(doc.webhooks).sort()).toEqual([...EVENT_TYPE_NAMES].sort())
    for (const type of EVENT_TYPE_NAMES) {
      const operation = doc.webhooks[type].post
      const headers = operation.parameters.map((p: { name: string }) => p.name)
      expect(headers).toEqual(expect.arrayContaining(['X-Crewbase-Event', 'X-Crewbase-Delivery', 'X-Crewbase-Timestamp', 'X-Crewbase-Signature', 'webhook-id', 'webhook-timestamp', 'webhook-signature']))
      const body = operation.requestBody.content['application/json'].schema
      expect(body.required).toEqual(['id', 'type', 'created_at', 'org_id', 'data'])
      expect(body.properties.type.const).toBe(type)
      const data = body.properties.data
      expect(data.properties.object.type).toBe('object')
      expect(data.properties.object.required).toEqual(expect.arrayContaining(['id', 'version']))
      // A job's state changes (started, completed…) also say what they changed.
      const changes = type.endsWith('.updated') || (type.startsWith('job.') && !['job.created', 'job.deleted', 'job.checkin', 'job.checkout'].includes(type))
      expect([type, 'previous' in data.properties]).toEqual([type, changes])
    }
  })

  test('webhook.test documents the endpoint object exactly as GET /webhooks/:id returns it', async () => {
    const ctx = await createTestApp()
    const served = (await ctx.call('GET', '/openapi.json')).body
    const doc = deref(served, served)
    const object = doc.webhooks['webhook.test'].post.requestBody.content['application/json'].schema.properties.data.properties.object
    expect(object.properties.url.type).toBe('string')
    expect(object.properties.health.properties.success_rate).toBeDefined()
    expect(object.properties.secret).toBeUndefined()
    expect(object.properties.debounce_seconds.type).toBe('integer')
    expect(JSON.stringify(object)).not.toContain('"format":"integer"')
  })

  test('resource events document the object their module’s GET returns', async () => {
    const ctx = await createTestApp()
    const served = (await ctx.call('GET', '/openapi.json')).body
    const doc = deref(served, served)
    const objectOf = (type: string) => doc.webhooks[type].post.requestBody.content['application/json'].schema.properties.data.properties.object
    expect(Object.keys(objectOf('job.completed').properties)).toEqual(expect.arrayContaining(['id', 'number', 'status', 'phases', 'assignments', 'version']))
    expect(Object.keys(objectOf('invoice.paid').properties)).toEqual(expect.arrayContaining(['id', 'status', 'line_items', 'version']))
    expect(Object.keys(objectOf('job.checkin').properties)).toEqual(expect.arrayContaining(['contractor_id', 'type']))
    for (const type of ['client.updated', 'contact.created', 'payment.received', 'request.created', 'activity.created', 'crew.rated', 'message.sent', 'estimate.approved']) {
      expect([type, Object.keys(objectOf(type).properties).length > 3]).toEqual([type, true])
    }
  })

  test('the webhook and delivery routes are documented', async () => {
    const ctx = await createTestApp()
    const served = (await ctx.call('GET', '/openapi.json')).body
    const doc = deref(served, served)
    for (const path of ['/api/v1/webhooks', '/api/v1/webhooks/{id}', '/api/v1/webhooks/{id}/test', '/api/v1/webhooks/{id}/rotate-secret', '/api/v1/webhooks/{id}/deliveries', '/api/v1/webhooks/{id}/recover', '/api/v1/deliveries/{id}', '/api/v1/deliveries/{id}/redeliver']) {
      expect(doc.paths[path]).toBeDefined()
    }
  })
})
