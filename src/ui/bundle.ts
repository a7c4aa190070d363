/**
 * Bun macro: runs while the server code is bundled (`bun build --compile`) or transpiled (`bun src/main.ts`,
 * `bun test`) and inlines a minified settings-page asset as a string. So the page needs no build step of its
 * own and no files next to the binary, and the client imports the event catalog and permission list instead
 * of copying them. Bun.build cannot run inside a macro (the bundler would wait on itself), hence the CLI.
 */
export function bundleSettingsAsset(file: 'client/main.ts' | 'styles.css'): string {
  const result = Bun.spawnSync(
    [process.execPath, 'build', `${import.meta.dir}/${file}`, '--target=browser', '--format=esm', '--minify'],
    { stdout: 'pipe', stderr: 'pipe' },
  )
  if (result.exitCode !== 0) throw new Error(`settings page asset ${file} failed to build:\n${result.stderr.toString()}`)
  return result.stdout.toString()
}
