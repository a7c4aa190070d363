import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import packageJson from '../../package.json'
import { ROOT, tempDir } from '../helpers/binary'

// Elysia's compiled handlers recognise a failed decode by `error.constructor.name ===
// 'TransformDecodeError'`. `--minify` renames classes (Bun 1.4's `--keep-names` keeps none),
// and the binary then swallowed those errors: handlers got raw query strings, `per_page=0`
// answered 500 and `per_page=101` answered 200 with "101". The build must keep class names.
describe('npm run build', () => {
  const flags = packageJson.scripts.build.split(/\s+/).filter((arg) => arg.startsWith('--minify') || arg === '--keep-names')

  test('renames no identifiers, so names the framework matches on survive', async () => {
    // The same bundle the binary embeds, as JavaScript to read.
    const outdir = tempDir('crewbase-build-')
    const build = Bun.spawnSync([process.execPath, 'build', 'src/main.ts', '--target=bun', ...flags, '--outdir', outdir], {
      cwd: ROOT,
      stdout: 'pipe',
      stderr: 'pipe',
    })
    expect(build.stderr.toString()).toBe('')
    expect(build.exitCode).toBe(0)
    const bundle = await Bun.file(join(outdir, 'main.js')).text()
    expect(bundle).toContain("error.constructor.name === 'TransformDecodeError'")
    expect(bundle).toMatch(/class TransformDecodeError\b/)
  }, 60_000)
})
