import { afterEach } from 'bun:test'
import { takeViolations } from './helpers/contract'

// Preloaded for every test file (bunfig.toml): a test during which the app answered something
// the OpenAPI document does not describe (or a receiver got a webhook body it does not) fails.
afterEach(() => {
  const problems = takeViolations()
  if (problems.length > 0) throw new Error(`answers disagree with /openapi.json:\n${[...new Set(problems)].join('\n')}`)
})
