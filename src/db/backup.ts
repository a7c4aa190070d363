import { Database } from 'bun:sqlite'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

export interface BackupResult {
  bytes: number
  ms: number
  integrity: string
}

/**
 * A consistent copy of a live database: VACUUM INTO reads one snapshot (WAL lets the server
 * keep writing meanwhile) and writes a compact file, which is then checked with integrity_check.
 */
export function backupDatabase(source: string, target: string, progress: (line: string) => void = () => {}): BackupResult {
  if (!existsSync(source)) throw new Error(`no database at ${source}`)
  const to = resolve(target)
  if (existsSync(to)) throw new Error(`${target} already exists; choose a new file name`)
  mkdirSync(dirname(to), { recursive: true })
  const started = performance.now()
  const db = new Database(source, { readonly: true })
  try {
    db.run('PRAGMA busy_timeout = 5000')
    const pages = db.query<{ page_count: number }, []>('PRAGMA page_count').get()?.page_count ?? 0
    const pageSize = db.query<{ page_size: number }, []>('PRAGMA page_size').get()?.page_size ?? 4096
    progress(`copying ${(pages * pageSize / 1e6).toFixed(1)} MB from ${source}`)
    db.query('VACUUM INTO ?').run(to)
  } finally {
    db.close()
  }
  progress('checking the copy (PRAGMA integrity_check)')
  const copy = new Database(to, { readonly: true })
  const integrity = copy.query<{ integrity_check: string }, []>('PRAGMA integrity_check').get()?.integrity_check ?? 'unknown'
  copy.close()
  return { bytes: statSync(to).size, ms: Math.round(performance.now() - started), integrity }
}
