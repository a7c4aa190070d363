import { afterEach } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { currentContract, exercisedOperations, takeViolations } from './helpers/contract'

// Preloaded for every test file (bunfig.toml): a test during which the app answered something
// the OpenAPI document does not describe (or a receiver got a webhook body it does not) fails.
afterEach(() => {
  const problems = takeViolations()
  if (problems.length > 0) throw new Error(`answers disagree with /openapi.json:\n${[...new Set(problems)].join('\n')}`)
})

// CREWBASE_CONTRACT_REPORT=file: which operations and statuses the run checked, for coverage.
const report = process.env.CREWBASE_CONTRACT_REPORT
if (report) {
  process.on('exit', () => {
    const contract = currentContract()
    const operations = contract?.operations.map((op) => `${op.method} ${op.template}`) ?? []
    const checked = [...exercisedOperations()]
    writeFileSync(report, JSON.stringify({ operations, checked }, null, 1))
  })
}
