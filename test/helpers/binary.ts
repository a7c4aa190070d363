import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const ROOT = join(import.meta.dir, '..', '..')
export const BINARY = join(ROOT, 'dist', 'crewbase')

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
  }
  return newest
}

/** Builds dist/crewbase when it is missing or older than the sources, so `npm test` alone is enough. */
export function ensureBinary(): string {
  const stale = !existsSync(BINARY) || statSync(BINARY).mtimeMs < Math.max(newestSource(join(ROOT, 'src')), newestSource(join(ROOT, 'db')))
  if (stale) {
    const build = Bun.spawnSync([process.execPath, 'run', 'build'], { cwd: ROOT, stdout: 'pipe', stderr: 'pipe' })
    if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr.toString()}`)
  }
  return BINARY
}

export function tempDir(prefix = 'crewbase-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export async function freePort(): Promise<number> {
  const server = Bun.serve({ port: 0, fetch: () => new Response() })
  const port = server.port!
  server.stop(true)
  return port
}

export interface RunningServer {
  url: string
  port: number
  proc: ReturnType<typeof Bun.spawn>
  stderr: () => string
  stop(signal?: NodeJS.Signals): Promise<number>
}

/** Starts `crewbase serve` and waits until /health answers. */
export async function startBinary(env: Record<string, string>, dbPath: string): Promise<RunningServer> {
  const port = await freePort()
  let errText = ''
  const proc = Bun.spawn([ensureBinary(), 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CREWBASE_DB: dbPath, ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  void (async () => {
    for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) errText += new TextDecoder().decode(chunk)
  })()
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 10_000
  for (;;) {
    const ok = await fetch(`${url}/health`).then((r) => r.ok).catch(() => false)
    if (ok) break
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start: ${errText}`)
    await Bun.sleep(25)
  }
  return {
    url,
    port,
    proc,
    stderr: () => errText,
    async stop(signal = 'SIGTERM') {
      proc.kill(signal)
      return proc.exited
    },
  }
}

export function runBinary(args: string[], env: Record<string, string> = {}) {
  const result = Bun.spawnSync([ensureBinary(), ...args], { env: { ...process.env, ...env }, stdout: 'pipe', stderr: 'pipe' })
  return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() }
}

/**
 * Rate limits count in fixed windows aligned to the minute: a burst that straddles a
 * boundary is counted in two. Tests that count to a limit start well inside a window.
 */
export async function awayFromMinuteBoundary(marginMs = 5_000) {
  const into = Date.now() % 60_000
  if (into > 60_000 - marginMs) await Bun.sleep(60_000 - into + 50)
}
