// The README's example: create a job, walk every scheduled job, move one on, read errors.
//   CREWBASE_URL=http://localhost:3000 CREWBASE_TOKEN=cb_live_… bun clients/typescript/examples/jobs.ts
import { CrewbaseError, createCrewbaseClient, type Job, paginate, unwrap } from '../src/index'

// Node, Bun and Deno all have process.env; typed here so the example needs no @types/node.
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {}
const client = createCrewbaseClient({ baseUrl: env.CREWBASE_URL ?? 'http://localhost:3000', token: env.CREWBASE_TOKEN ?? '' })

const { data: job }: { data: Job } = await unwrap(
  client.POST('/api/v1/jobs', { body: { title: 'Replace boiler pressure valve', priority: 'high', tags: ['boiler'] } }),
)
console.log(`created ${job.number} (${job.status}), version ${job.version}`)

let scheduled = 0
for await (const summary of paginate(client, '/api/v1/jobs', { query: { status: 'scheduled', per_page: 100 } })) {
  scheduled += 1
  if (summary.priority === 'urgent') console.log(`urgent: ${summary.title}`)
}
console.log(`${scheduled} scheduled jobs`)

// If-Match: the change applies only if nobody changed the job since we read it.
const { data: started } = await unwrap(client.POST('/api/v1/jobs/{id}/start', { params: { path: { id: job.id } } }))
const { data: renamed } = await unwrap(
  client.PATCH('/api/v1/jobs/{id}', {
    params: { path: { id: job.id }, header: { 'If-Match': `"v${started.version}"` } },
    body: { title: 'Replace boiler pressure valve and seal' },
  }),
)
console.log(`${renamed.number} is ${renamed.status}: ${renamed.title}`)

try {
  await unwrap(client.POST('/api/v1/jobs', { body: { title: '', priority: 'high' } }))
} catch (error) {
  if (!(error instanceof CrewbaseError)) throw error
  // 400 validation_failed: title: must not be empty
  console.log(`${error.status} ${error.code}: ${error.details.map((d) => `${d.field} ${d.message}`).join('; ')}`)
}
