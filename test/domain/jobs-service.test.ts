import { describe, expect, test } from 'bun:test'
import { transaction } from '../../src/db/transaction'
import { archiveJob, completeJob, createJob, delayJob, getJob, startJob } from '../../src/modules/jobs/service'
import { createTestApp } from '../helpers/app'

describe('the jobs service other modules call', () => {
  test('createJob numbers jobs per org, embeds phases and records job.created in the same transaction', async () => {
    const ctx = await createTestApp()
    const { org } = await ctx.seedOrg()
    const { org: other } = await ctx.seedOrg('Other Org')
    const job = await transaction(ctx.db, (trx) =>
      createJob(trx, org.id, { title: 'Fix tap', phases: [{ title: 'Inspect' }, { title: 'Repair' }] }, ctx.deps.clock),
    )
    expect(job.number).toBe('JOB-1001')
    expect(job.status).toBe('scheduled')
    expect(job.priority).toBe('normal')
    expect(job.phases.map((p) => [p.position, p.title])).toEqual([
      [1, 'Inspect'],
      [2, 'Repair'],
    ])
    const second = await transaction(ctx.db, (trx) => createJob(trx, org.id, { title: 'Second' }, ctx.deps.clock))
    const otherFirst = await transaction(ctx.db, (trx) => createJob(trx, other.id, { title: 'Theirs' }, ctx.deps.clock))
    expect(second.number).toBe('JOB-1002')
    expect(otherFirst.number).toBe('JOB-1001')
    expect(await getJob(ctx.db, org.id, job.id)).toEqual(job)
    await expect(getJob(ctx.db, other.id, job.id)).rejects.toThrow('Job not found')
    const events = await ctx.db.selectFrom('events').selectAll().where('org_id', '=', org.id).execute()
    expect(events.map((e) => e.type)).toEqual(['job.created', 'job.created'])
    expect(JSON.parse(events[0]!.data).object).toEqual(job)
  })

  test('a transaction that fails after createJob leaves neither the job nor its event', async () => {
    const ctx = await createTestApp()
    const { org } = await ctx.seedOrg()
    await expect(
      transaction(ctx.db, async (trx) => {
        await createJob(trx, org.id, { title: 'Doomed' }, ctx.deps.clock)
        throw new Error('caller failed later')
      }),
    ).rejects.toThrow('caller failed later')
    expect(await ctx.db.selectFrom('jobs').selectAll().execute()).toEqual([])
    expect(await ctx.db.selectFrom('events').selectAll().execute()).toEqual([])
  })

  test('state-change functions walk the lifecycle and refuse illegal steps', async () => {
    const ctx = await createTestApp()
    const { org } = await ctx.seedOrg()
    const run = <T>(fn: (trx: Parameters<Parameters<typeof transaction>[1]>[0]) => Promise<T>) => transaction(ctx.db, fn)
    const job = await run((trx) => createJob(trx, org.id, { title: 'Lifecycle' }, ctx.deps.clock))
    await expect(run((trx) => completeJob(trx, org.id, job.id, { outcome: 'success' }, ctx.deps.clock))).rejects.toThrow(
      'Cannot complete a job that is scheduled',
    )
    expect((await run((trx) => startJob(trx, org.id, job.id, ctx.deps.clock))).status).toBe('in_progress')
    expect((await run((trx) => delayJob(trx, org.id, job.id, { reason: 'rain' }, ctx.deps.clock))).status).toBe('delayed')
    expect((await run((trx) => startJob(trx, org.id, job.id, ctx.deps.clock))).status).toBe('in_progress')
    const done = await run((trx) => completeJob(trx, org.id, job.id, { outcome: 'failure', note: 'part missing' }, ctx.deps.clock))
    expect([done.status, done.outcome, done.completion_note, done.version]).toEqual(['completed', 'failure', 'part missing', 5])
    expect((await run((trx) => archiveJob(trx, org.id, job.id, ctx.deps.clock))).status).toBe('archived')
    await expect(run((trx) => archiveJob(trx, org.id, job.id, ctx.deps.clock))).rejects.toThrow('Cannot archive a job that is archived')
  })
})
