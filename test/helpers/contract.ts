import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020'
import addFormats from 'ajv-formats'

// The served OpenAPI document as a contract: every answer a test gets from the app (and every
// webhook body a test receiver gets) is checked against it with a standard JSON Schema
// validator. A mismatch is recorded; test/contract-setup.ts fails the test that caused it.

type Json = Record<string, any>

interface Operation {
  method: string
  template: string
  pattern: RegExp
  responses: Json
}

export interface Contract {
  doc: Json
  operations: Operation[]
  ajv: Ajv2020
}

let contract: Contract | undefined
const violations: string[] = []
const exercised = new Set<string>()
const validators = new Map<string, ValidateFunction>()

/** Builds the contract from a document (the first app's /openapi.json; every app serves the same one). */
export function loadContract(doc: Json): Contract {
  if (contract) return contract
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  // Components are addressed as `#/components/schemas/X` inside a schema with this $id.
  ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc')
  const operations: Operation[] = []
  for (const [template, methods] of Object.entries<Json>(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`)
    for (const [method, op] of Object.entries<Json>(methods)) {
      if (method === 'parameters') continue
      operations.push({ method: method.toUpperCase(), template, pattern, responses: op.responses })
    }
  }
  // Literal paths before templated ones (`/jobs/{id}` must not take `/jobs/…/start`: it cannot, one segment each, but be explicit).
  operations.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0))
  contract = { doc, operations, ajv }
  return contract
}

export const currentContract = () => contract

/** Rewrites local `$ref`s so a schema compiled on its own finds the document's components. */
function rooted(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rooted)
  if (schema === null || typeof schema !== 'object') return schema
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `doc${v}` : rooted(v)]),
  )
}

function validator(key: string, schema: Json): ValidateFunction {
  let validate = validators.get(key)
  if (!validate) {
    validate = contract!.ajv.compile(rooted(schema) as Json)
    validators.set(key, validate)
  }
  return validate
}

function resolve(node: Json): Json {
  let current = node
  while (current?.$ref) {
    const path = String(current.$ref).replace(/^#\//, '').split('/')
    current = path.reduce<Json>((at, part) => at?.[part], contract!.doc)
  }
  return current
}

const describe = (validate: ValidateFunction) =>
  (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('; ')

/** Checks one answer; returns the problem or null. Paths no operation documents (/docs, /, unknown routes) are not checked. */
export function checkAnswer(method: string, url: string, status: number, contentType: string | null, text: string): string | null {
  if (!contract) return null
  const path = new URL(url, 'http://localhost').pathname
  const operation = contract.operations.find((op) => op.method === method && op.pattern.test(path))
  // A 5xx in a test is a fault the test injected (a failing transaction); the fuzz test holds there are no others.
  if (!operation || status >= 500) return null
  const where = `${method} ${operation.template} → ${status}`
  exercised.add(`${method} ${operation.template} ${status}`)
  const declared = operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`] ?? operation.responses.default
  if (!declared) return `${where}: status not documented (documented: ${Object.keys(operation.responses).join(', ')})`
  const response = resolve(declared)
  const schema = response.content?.['application/json']?.schema
  if (!schema) return text === '' || status === 304 ? null : `${where}: documented without a body, answered ${text.slice(0, 100)}`
  if (!contentType?.includes('application/json')) return `${where}: answered ${contentType}, documented application/json`
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return `${where}: body is not JSON: ${text.slice(0, 100)}`
  }
  const validate = validator(`${method} ${operation.template} ${status}`, schema)
  return validate(body) ? null : `${where}: ${describe(validate)} in ${text.slice(0, 300)}`
}

const synthetic = new Set<string>()
/** An event a test made up (not through a domain service): its deliveries are not checked. */
export const markSynthetic = (eventId: string) => synthetic.add(eventId)

/** Checks a delivered webhook body against its event's component in `webhooks`. */
export function checkWebhookBody(eventType: string, text: string): string | null {
  if (!contract) return null
  const operation = contract.doc.webhooks?.[eventType]?.post
  if (!operation) return `webhook ${eventType}: not in the document's webhooks`
  exercised.add(`webhook ${eventType}`)
  const schema = operation.requestBody.content['application/json'].schema
  const validate = validator(`webhook ${eventType}`, schema)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return `webhook ${eventType}: body is not JSON`
  }
  if (synthetic.has((body as { id?: string })?.id ?? '')) return null
  return validate(body) ? null : `webhook ${eventType}: ${describe(validate)} in ${text.slice(0, 300)}`
}

export function recordViolation(problem: string | null) {
  if (problem) violations.push(problem)
}

/** Violations since the last call (the setup file fails the current test with them). */
export function takeViolations(): string[] {
  return violations.splice(0)
}

export const exercisedOperations = () => new Set(exercised)

/** Checks a Response without consuming it; returns it unchanged. */
export async function checkResponse(request: { method: string; url: string }, response: Response): Promise<Response> {
  if (!contract) return response
  const text = await response.clone().text()
  recordViolation(checkAnswer(request.method, request.url, response.status, response.headers.get('content-type'), text))
  return response
}
