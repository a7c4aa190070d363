import type { Db } from '../db/client'

export type MaintenanceJob = 'prune' | 'backup'

export interface MaintenanceRun {
  job: MaintenanceJob
  started_at: string
  finished_at: string
  ok: boolean
  summary: string
  last_ok_at: string | null
}

/** Keeps the last run of a job (and when it last succeeded), so the settings page can show a failure. */
export async function recordRun(db: Db, run: Omit<MaintenanceRun, 'last_ok_at'>): Promise<void> {
  const row = { ...run, ok: run.ok ? 1 : 0, last_ok_at: run.ok ? run.finished_at : null }
  await db
    .insertInto('maintenance_runs')
    .values(row)
    .onConflict((oc) =>
      oc.column('job').doUpdateSet((eb) => ({
        started_at: eb.ref('excluded.started_at'),
        finished_at: eb.ref('excluded.finished_at'),
        ok: eb.ref('excluded.ok'),
        summary: eb.ref('excluded.summary'),
        last_ok_at: run.ok ? eb.ref('excluded.last_ok_at') : eb.ref('maintenance_runs.last_ok_at'),
      })),
    )
    .execute()
}

export async function lastRuns(db: Db): Promise<Partial<Record<MaintenanceJob, MaintenanceRun>>> {
  const rows = await db.selectFrom('maintenance_runs').selectAll().execute()
  return Object.fromEntries(rows.map((r) => [r.job, { ...r, job: r.job as MaintenanceJob, ok: r.ok === 1 }]))
}
