import type { JobStatus } from '../../db/schema'
import { conflict } from '../../http/errors'
import { defineStatusMachine } from '../../status-machine'

/**
 * Every status change of a job, in one table (PRODUCT.md §2): scheduled → in_progress →
 * completed; scheduled/in_progress → delayed → in_progress; anything but archived → archived.
 */
export const jobStatusMachine = defineStatusMachine<JobStatus, 'start' | 'complete' | 'delay' | 'archive'>('job', {
  start: { from: ['scheduled', 'delayed'], to: 'in_progress' },
  complete: { from: ['in_progress'], to: 'completed' },
  delay: { from: ['scheduled', 'in_progress'], to: 'delayed' },
  archive: { from: ['scheduled', 'in_progress', 'delayed', 'completed'], to: 'archived' },
})

/** An archived job is history: its fields, phases and crew no longer change. */
export function assertJobEditable(job: { status: JobStatus }): void {
  if (job.status === 'archived') throw conflict('An archived job cannot be changed')
}
