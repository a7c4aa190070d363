// `npm run test:binary`: every test file that reaches test/helpers/http.ts (directly or
// through another helper) runs again with CREWBASE_TEST_TARGET=binary, so each HTTP suite
// also checks the built dist/crewbase. Files that only use in-process helpers are left out.
import { readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { ensureBinary, ROOT } from './helpers/binary'

const HTTP_HELPER = join(ROOT, 'test', 'helpers', 'http.ts')
const transpiler = new Bun.Transpiler({ loader: 'ts' })
const reaches = new Map<string, boolean>()

function reachesHttpHelper(file: string, seen = new Set<string>()): boolean {
  if (file === HTTP_HELPER) return true
  const known = reaches.get(file)
  if (known !== undefined) return known
  if (seen.has(file)) return false
  seen.add(file)
  const imports = transpiler.scanImports(readFileSync(file, 'utf8')).filter((i) => i.path.startsWith('.'))
  const result = imports.some(({ path }) => {
    const target = resolve(dirname(file), path)
    const candidate = target.endsWith('.ts') ? target : `${target}.ts`
    return candidate.startsWith(join(ROOT, 'test')) && reachesHttpHelper(candidate, seen)
  })
  reaches.set(file, result)
  return result
}

const files = [...new Bun.Glob('test/**/*.test.ts').scanSync({ cwd: ROOT })]
  .map((f) => join(ROOT, f))
  .filter((f) => reachesHttpHelper(f))
  .sort()
if (files.length === 0) throw new Error('no test file uses test/helpers/http.ts')

ensureBinary()
console.log(`against dist/crewbase: ${files.length} files\n  ${files.map((f) => relative(ROOT, f)).join('\n  ')}`)
const run = Bun.spawn([process.execPath, 'test', '--timeout', '30000', ...files.map((f) => `./${relative(ROOT, f)}`), ...process.argv.slice(2)], {
  cwd: ROOT,
  env: { ...process.env, CREWBASE_TEST_TARGET: 'binary' },
  stdio: ['inherit', 'inherit', 'inherit'],
})
process.exit(await run.exited)
