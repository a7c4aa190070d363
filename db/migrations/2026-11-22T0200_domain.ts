import { type Kysely, sql } from 'kysely'

// Frozen in time: never edit a migration that has shipped; add a new one.
// The field-service domain on top of 0100: ratings, check-ins, messages, work requests,
// plus the indexes the job list needs at a million rows.
export async function up(db: Kysely<any>): Promise<void> {
  // Assignments are a resource too: every resource carries a version.
  await db.schema.alterTable('job_assignments').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute()

  // One crew member per user: a crew-role session sees the jobs of "its" contractor.
  await db.schema
    .createIndex('contractors_user')
    .unique()
    .on('contractors')
    .column('user_id')
    .where(sql.ref('user_id'), 'is not', null)
    .execute()

  await db.schema
    .createTable('contractor_ratings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('contractor_id', 'text', (c) => c.notNull().references('contractors.id'))
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  // A crew member is rated once per job.
  await db.schema
    .createIndex('contractor_ratings_contractor_job')
    .unique()
    .on('contractor_ratings')
    .columns(['contractor_id', 'job_id'])
    .execute()
  await db.schema.createIndex('contractor_ratings_job').on('contractor_ratings').column('job_id').execute()

  await db.schema
    .createTable('job_checkins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('contractor_id', 'text', (c) => c.notNull().references('contractors.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('lat', 'real')
    .addColumn('lng', 'real')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('job_checkins_job').on('job_checkins').columns(['job_id', 'id']).execute()
  await db.schema.createIndex('job_checkins_contractor').on('job_checkins').column('contractor_id').execute()

  await db.schema
    .createTable('job_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('contractor_id', 'text', (c) => c.references('contractors.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('job_messages_job').on('job_messages').columns(['job_id', 'id']).execute()
  await db.schema.createIndex('job_messages_contractor').on('job_messages').column('contractor_id').execute()

  await db.schema
    .createTable('requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.references('clients.id'))
    .addColumn('contact_name', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('address', 'text')
    .addColumn('preferred_start', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.references('jobs.id'))
    .addColumn('decline_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('requests_org').on('requests').columns(['org_id', 'id']).execute()
  await db.schema.createIndex('requests_org_status').on('requests').columns(['org_id', 'status', 'id']).execute()
  await db.schema.createIndex('requests_client').on('requests').column('client_id').execute()

  // Jobs: the list hides soft-deleted rows, so the hot paths get partial indexes over live
  // rows only; counting a page's total then reads one index and never the table.
  await db.schema
    .createIndex('jobs_live_org')
    .on('jobs')
    .columns(['org_id', 'id'])
    .where(sql.ref('deleted_at'), 'is', null)
    .execute()
  await db.schema
    .createIndex('jobs_live_org_status_priority')
    .on('jobs')
    .columns(['org_id', 'status', 'priority', 'id'])
    .where(sql.ref('deleted_at'), 'is', null)
    .execute()
  await db.schema
    .createIndex('jobs_live_org_priority')
    .on('jobs')
    .columns(['org_id', 'priority', 'id'])
    .where(sql.ref('deleted_at'), 'is', null)
    .execute()
  await db.schema
    .createIndex('jobs_live_org_scheduled')
    .on('jobs')
    .columns(['org_id', 'scheduled_start'])
    .where(sql.ref('deleted_at'), 'is', null)
    .execute()
  await db.schema
    .createIndex('jobs_live_org_updated')
    .on('jobs')
    .columns(['org_id', 'updated_at'])
    .where(sql.ref('deleted_at'), 'is', null)
    .execute()
  await db.schema.createIndex('jobs_property').on('jobs').column('property_id').execute()
  await db.schema.createIndex('job_assignments_phase').on('job_assignments').column('phase_id').execute()
  await db.schema.createIndex('events_org_created').on('events').columns(['org_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'events_org_created',
    'job_assignments_phase',
    'jobs_property',
    'jobs_live_org_updated',
    'jobs_live_org_scheduled',
    'jobs_live_org_priority',
    'jobs_live_org_status_priority',
    'jobs_live_org',
    'contractors_user',
  ]) {
    await db.schema.dropIndex(index).execute()
  }
  for (const table of ['requests', 'job_messages', 'job_checkins', 'contractor_ratings']) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema.alterTable('job_assignments').dropColumn('version').execute()
}
