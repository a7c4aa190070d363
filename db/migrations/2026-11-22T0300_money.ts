import { type CreateTableBuilder, type Kysely, sql } from 'kysely'

// Frozen in time: never edit a migration that has shipped; add a new one.
// Billing: the pricebook, estimates and invoices with their line items, payments.
// Amounts are integer minor units; quantities integer thousandths (1.5 → 1500).
export async function up(db: Kysely<any>): Promise<void> {
  const common = (table: string) =>
    db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
  const stamps = (builder: CreateTableBuilder<any, any>) =>
    builder
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())

  await stamps(
    common('pricebook_items')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('unit', 'text')
      .addColumn('sku', 'text')
      .addColumn('unit_price_cents', 'integer', (c) => c.notNull().check(sql`unit_price_cents >= 0`))
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('tax_rate_bps', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1)),
  ).execute()
  await db.schema.createIndex('pricebook_items_org').on('pricebook_items').columns(['org_id', 'id']).execute()
  await db.schema.createIndex('pricebook_items_org_kind').on('pricebook_items').columns(['org_id', 'kind', 'id']).execute()

  await stamps(
    common('estimates')
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
      .addColumn('job_id', 'text', (c) => c.references('jobs.id'))
      .addColumn('title', 'text')
      .addColumn('notes', 'text')
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('subtotal_cents', 'integer', (c) => c.notNull())
      .addColumn('tax_cents', 'integer', (c) => c.notNull())
      .addColumn('total_cents', 'integer', (c) => c.notNull())
      .addColumn('valid_until', 'text')
      .addColumn('sent_at', 'text')
      .addColumn('approved_at', 'text')
      .addColumn('declined_at', 'text')
      .addColumn('decline_reason', 'text')
      .addColumn('converted_at', 'text'),
  ).execute()

  await stamps(
    common('invoices')
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
      .addColumn('job_id', 'text', (c) => c.references('jobs.id'))
      .addColumn('estimate_id', 'text', (c) => c.references('estimates.id'))
      .addColumn('title', 'text')
      .addColumn('notes', 'text')
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('subtotal_cents', 'integer', (c) => c.notNull())
      .addColumn('tax_cents', 'integer', (c) => c.notNull())
      .addColumn('total_cents', 'integer', (c) => c.notNull())
      .addColumn('amount_paid_cents', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('due_date', 'text')
      .addColumn('sent_at', 'text')
      .addColumn('paid_at', 'text')
      .addColumn('voided_at', 'text')
      .addColumn('void_reason', 'text')
      // The last line of defence against over-collecting, whatever the code above does.
      .addCheckConstraint('invoices_paid_within_total', sql`amount_paid_cents >= 0 AND amount_paid_cents <= total_cents`),
  ).execute()

  // Added after invoices exists so the two tables can point at each other.
  await db.schema.alterTable('estimates').addColumn('invoice_id', 'text', (c) => c.references('invoices.id')).execute()

  for (const table of ['estimates', 'invoices']) {
    await db.schema.createIndex(`${table}_org`).on(table).columns(['org_id', 'id']).execute()
    await db.schema.createIndex(`${table}_org_status`).on(table).columns(['org_id', 'status', 'id']).execute()
    await db.schema.createIndex(`${table}_org_client`).on(table).columns(['org_id', 'client_id', 'id']).execute()
    await db.schema.createIndex(`${table}_org_job`).on(table).columns(['org_id', 'job_id', 'id']).execute()
    await db.schema.createIndex(`${table}_org_number`).unique().on(table).columns(['org_id', 'number']).execute()
  }

  // One table for the lines of both documents: exactly one owner column is set.
  await db.schema
    .createTable('line_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
    .addColumn('estimate_id', 'text', (c) => c.references('estimates.id'))
    .addColumn('invoice_id', 'text', (c) => c.references('invoices.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('quantity_thousandths', 'integer', (c) => c.notNull().check(sql`quantity_thousandths > 0`))
    .addColumn('unit_price_cents', 'integer', (c) => c.notNull().check(sql`unit_price_cents >= 0`))
    .addColumn('tax_rate_bps', 'integer', (c) => c.notNull())
    .addColumn('pricebook_item_id', 'text', (c) => c.references('pricebook_items.id'))
    .addColumn('subtotal_cents', 'integer', (c) => c.notNull())
    .addColumn('tax_cents', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('line_items_one_owner', sql`(estimate_id IS NULL) <> (invoice_id IS NULL)`)
    .execute()
  await db.schema.createIndex('line_items_estimate').on('line_items').columns(['estimate_id', 'position']).execute()
  await db.schema.createIndex('line_items_invoice').on('line_items').columns(['invoice_id', 'position']).execute()
  await db.schema.createIndex('line_items_pricebook_item').on('line_items').columns(['pricebook_item_id']).execute()

  await stamps(
    common('payments')
      .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
      .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
      .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents > 0`))
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('reference', 'text')
      .addColumn('notes', 'text'),
  ).execute()
  await db.schema.createIndex('payments_org').on('payments').columns(['org_id', 'id']).execute()
  await db.schema.createIndex('payments_org_invoice').on('payments').columns(['org_id', 'invoice_id', 'id']).execute()
  await db.schema.createIndex('payments_org_client').on('payments').columns(['org_id', 'client_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('payments').execute()
  await db.schema.dropTable('line_items').execute()
  await sql`UPDATE estimates SET invoice_id = NULL`.execute(db)
  for (const table of ['invoices', 'estimates', 'pricebook_items']) await db.schema.dropTable(table).execute()
}
