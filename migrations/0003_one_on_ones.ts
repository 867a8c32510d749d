import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A recurring 1:1 between a manager and a report, at a time in the manager's timezone.
  await db.schema
    .createTable('one_on_ones')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('manager_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('every', 'text', (c) => c.notNull().defaultTo('week'))
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('local_time', 'text', (c) => c.notNull())
    .addColumn('anchor_date', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('one_on_ones_pair_uq', ['org_id', 'manager_id', 'report_id'])
    .execute();

  await db.schema
    .createTable('agenda_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull())
    .addColumn('one_on_one_id', 'uuid', (c) => c.notNull().references('one_on_ones.id').onDelete('cascade'))
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('done_at', 'timestamptz')
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('agenda_items_idempotency_uq', ['org_id', 'idempotency_key'])
    .execute();

  // One row per meeting whose reminder went out.
  await db.schema
    .createTable('one_on_one_reminders')
    .addColumn('one_on_one_id', 'uuid', (c) => c.notNull().references('one_on_ones.id').onDelete('cascade'))
    .addColumn('meeting_date', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('one_on_one_reminders_pk', ['one_on_one_id', 'meeting_date'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('one_on_one_reminders').execute();
  await db.schema.dropTable('agenda_items').execute();
  await db.schema.dropTable('one_on_ones').execute();
}
