import { type Kysely, sql } from 'kysely';

/**
 * Org settings that were constants: the timezone given to people the platform doesn't tell one
 * for, and the working hours reminders keep to (09:00–18:00 as before).
 * Org chart imports wait in `org_imports` between the dry run an HR admin sees and their confirm:
 * the plan shown is the plan applied, once (`applied_at`). Times come from the app's clock, so
 * nothing here defaults to now().
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('orgs')
    .addColumn('default_timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('work_start_hour', 'integer', (c) => c.notNull().defaultTo(9))
    .addColumn('work_end_hour', 'integer', (c) => c.notNull().defaultTo(18))
    .execute();
  await db.schema
    .alterTable('orgs')
    .addCheckConstraint('orgs_working_hours', sql`0 <= work_start_hour and work_start_hour < work_end_hour and work_end_hour <= 24`)
    .execute();

  await db.schema
    .createTable('org_imports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('admin_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('plan', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('applied_at', 'timestamptz')
    .addColumn('applied_by', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addUniqueConstraint('org_imports_idempotency_uq', ['org_id', 'idempotency_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('org_imports').execute();
  await db.schema.alterTable('orgs').dropConstraint('orgs_working_hours').execute();
  await db.schema.alterTable('orgs').dropColumn('work_end_hour').dropColumn('work_start_hour').dropColumn('default_timezone').execute();
}
