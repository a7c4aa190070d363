// Regenerates src/schema.d.ts from the document the server serves:
//   bun clients/typescript/generate.ts            (starts `bun src/main.ts serve` on a scratch database)
//   bun clients/typescript/generate.ts <url|file>  (a running server's /openapi.json, or a saved copy)
// test/clients/typescript-client.test.ts runs the same generation and fails if the checked-in copy differs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const HERE = import.meta.dir
const ROOT = join(HERE, '..', '..')
export const SCHEMA_FILE = join(HERE, 'src', 'schema.d.ts')
const GENERATOR = join(HERE, 'node_modules', '.bin', 'openapi-typescript')
export const GENERATOR_ARGS = ['--root-types', '--root-types-no-schema-prefix']

/** The TypeScript openapi-typescript writes for `documentJson`. */
export async function generateTypes(documentJson: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'crewbase-client-'))
  try {
    const input = join(dir, 'openapi.json')
    const output = join(dir, 'schema.d.ts')
    writeFileSync(input, documentJson)
    const run = Bun.spawn([GENERATOR, input, '-o', output, ...GENERATOR_ARGS], { stdout: 'pipe', stderr: 'pipe' })
    const [stderr, code] = await Promise.all([new Response(run.stderr).text(), run.exited])
    if (code !== 0) throw new Error(`openapi-typescript failed (${code}): ${stderr}`)
    return await Bun.file(output).text()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** /openapi.json of a fresh `bun src/main.ts serve` (what the binary serves: the same code). */
export async function servedDocument(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'crewbase-client-db-'))
  const probe = Bun.serve({ port: 0, fetch: () => new Response() })
  const port = probe.port!
  probe.stop(true)
  const server = Bun.spawn([process.execPath, join(ROOT, 'src', 'main.ts'), 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CREWBASE_DB: join(dir, 'c.sqlite'), CREWBASE_LOG_LEVEL: 'error' },
    stdout: 'ignore',
    stderr: 'pipe',
  })
  try {
    for (let i = 0; i < 400; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/openapi.json`).catch(() => null)
      if (res?.ok) return await res.text()
      if (server.exitCode !== null) break
      await Bun.sleep(25)
    }
    throw new Error(`the server did not answer: ${await new Response(server.stderr).text()}`)
  } finally {
    server.kill()
    await server.exited
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.main) {
  const source = process.argv[2]
  const document = !source
    ? await servedDocument()
    : /^https?:/.test(source)
      ? await (await fetch(source)).text()
      : await Bun.file(source).text()
  await Bun.write(SCHEMA_FILE, await generateTypes(document))
  console.log(`wrote ${SCHEMA_FILE}`)
}
