import { type Kysely, sql } from 'kysely'

// Frozen in time: never edit a migration that has shipped; add a new one.
// Alerts and places: rules the server evaluates, the alerts they fire, places with a
// radius, where each crew member was last seen and which places they are inside.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('places')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('lat', 'real', (c) => c.notNull())
    .addColumn('lng', 'real', (c) => c.notNull())
    .addColumn('radius_m', 'real', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('places_org').on('places').columns(['org_id', 'id']).execute()

  await db.schema
    .createTable('alert_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    // Null for place rules, which fire on arrival or departure, not after a time.
    .addColumn('minutes', 'integer')
    // Filters: null matches everything.
    .addColumn('priority', 'text')
    .addColumn('client_id', 'text', (c) => c.references('clients.id'))
    .addColumn('contractor_id', 'text', (c) => c.references('contractors.id'))
    .addColumn('place_id', 'text', (c) => c.references('places.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('alert_rules_org').on('alert_rules').columns(['org_id', 'id']).execute()
  await db.schema.createIndex('alert_rules_enabled_type').on('alert_rules').columns(['enabled', 'type']).execute()
  for (const column of ['client_id', 'contractor_id', 'place_id']) {
    await db.schema.createIndex(`alert_rules_${column}`).on('alert_rules').column(column).execute()
  }

  // Alerts are history: the rule, job, crew member or place may be deleted later, so
  // they carry ids and a snapshot of the rule, not foreign keys.
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('rule_title', 'text', (c) => c.notNull())
    .addColumn('rule_description', 'text')
    .addColumn('rule_minutes', 'integer')
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    // What "the same subject" means for the rule's type: a job, a crew member on a job, a crew member at a place.
    .addColumn('subject_key', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('contractor_id', 'text')
    .addColumn('place_id', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // 1 while the condition that fired the alert still holds (even after a person resolved it).
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolution', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  // One alert per rule and subject while its condition lasts: no repeat every minute,
  // even if two evaluations race.
  await db.schema
    .createIndex('alerts_one_active')
    .unique()
    .on('alerts')
    .columns(['rule_id', 'subject_key'])
    .where(sql.ref('active'), '=', 1)
    .execute()
  await db.schema.createIndex('alerts_org').on('alerts').columns(['org_id', 'id']).execute()
  await db.schema.createIndex('alerts_org_status').on('alerts').columns(['org_id', 'status', 'id']).execute()

  // The newest ping of each crew member: later pings that are older than it are stale.
  await db.schema
    .createTable('contractor_positions')
    .addColumn('contractor_id', 'text', (c) => c.primaryKey().references('contractors.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('lat', 'real', (c) => c.notNull())
    .addColumn('lng', 'real', (c) => c.notNull())
    .addColumn('accuracy', 'real')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute()

  // Which places a crew member is inside now; no row means outside.
  await db.schema
    .createTable('place_presence')
    .addColumn('contractor_id', 'text', (c) => c.notNull().references('contractors.id').onDelete('cascade'))
    .addColumn('place_id', 'text', (c) => c.notNull().references('places.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('since', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('place_presence_pk', ['contractor_id', 'place_id'])
    .execute()
  await db.schema.createIndex('place_presence_place').on('place_presence').column('place_id').execute()

  // Arrivals and departures: history, so ids without foreign keys.
  await db.schema
    .createTable('place_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('contractor_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('lat', 'real', (c) => c.notNull())
    .addColumn('lng', 'real', (c) => c.notNull())
    .addColumn('accuracy', 'real')
    .addColumn('distance_m', 'real', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('place_checks_org').on('place_checks').columns(['org_id', 'id']).execute()
  await db.schema.createIndex('place_checks_place').on('place_checks').columns(['place_id', 'id']).execute()
  await db.schema.createIndex('place_checks_contractor').on('place_checks').columns(['contractor_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['place_checks', 'place_presence', 'contractor_positions', 'alerts', 'alert_rules', 'places']) {
    await db.schema.dropTable(table).execute()
  }
}
