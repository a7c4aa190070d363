// `npm test`: every test file in its own `bun test` process, a few side by side. Most of the
// suite's time is spent waiting — on spawned binaries, servers shutting down, retry timers —
// not on the CPU, so running files together overlaps that waiting. Each file's output is
// printed whole when it ends. CREWBASE_TEST_WORKERS sets how many run at once (default 3).
// `npm test -- <args>` runs one plain `bun test <args>` instead.
import { readFileSync } from 'node:fs'
import { ensureBinary, ROOT } from './helpers/binary'

const BUN_TEST = [process.execPath, 'test', '--timeout', '30000']
const args = process.argv.slice(2)
if (args.length > 0) {
  process.exit(await Bun.spawn([...BUN_TEST, ...args], { cwd: ROOT, stdio: ['inherit', 'inherit', 'inherit'] }).exited)
}

const workers = Math.max(1, Number(process.env.CREWBASE_TEST_WORKERS ?? 3))
const files = [...new Bun.Glob('test/**/*.test.ts').scanSync({ cwd: ROOT })].sort()

// A file's expected cost: its size, and much more when it starts the binary or a server.
// The costliest start first, so the last ones to finish are short.
const weight = (file: string) => {
  const text = readFileSync(`${ROOT}/${file}`, 'utf8')
  return text.length + (/startBinary|runBinary|createHttpApp|Bun\.spawn/.test(text) ? 40_000 : 0) + (/Bun\.sleep\(\d{3,}/.test(text) ? 20_000 : 0)
}
const byCost = files.map((file) => ({ file, w: weight(file) })).sort((a, b) => b.w - a.w).map((f) => f.file)
// Files that time what they test (latency, rates, grace periods) run one at a time after the
// others: beside other files on a small machine, a CPU-starved moment reads as a slow server.
const timed = (file: string) => readFileSync(`${ROOT}/${file}`, 'utf8').includes('performance.now()')
const queue = byCost.filter((f) => !timed(f))
const alone = byCost.filter(timed)

// Built once here: files that each found it stale would all rebuild the same file at once.
ensureBinary()
const started = performance.now()
const total = { pass: 0, fail: 0, skip: 0 }
const failedFiles: string[] = []

async function worker(queue: string[]) {
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const proc = Bun.spawn([...BUN_TEST, `./${file}`], { cwd: ROOT, stdout: 'pipe', stderr: 'pipe' })
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
    process.stdout.write(`${out}${err}`)
    const count = (word: string) => Number(new RegExp(`^\\s*(\\d+) ${word}$`, 'm').exec(err + out)?.[1] ?? 0)
    total.pass += count('pass')
    total.fail += count('fail')
    total.skip += count('skip')
    if (code !== 0) failedFiles.push(file)
  }
}
await Promise.all(Array.from({ length: workers }, () => worker(queue)))
await worker(alone)
const seconds = ((performance.now() - started) / 1000).toFixed(1)
console.log(`\n${files.length} files (${workers} at a time) in ${seconds} s`)
// The plain closing line CI reads: 'N passed, N failed, N skipped' alone on its line.
console.log(`${total.pass} passed, ${total.fail} failed, ${total.skip} skipped`)
if (failedFiles.length > 0) console.log(`FAILED:\n  ${failedFiles.join('\n  ')}`)
process.exit(failedFiles.length > 0 ? 1 : 0)
