import { type Kysely, sql } from 'kysely';

/**
 * Goals that ladder up (company → team → individual through `parent_id`), each measured from a start
 * value to a target by its due date, and every progress update kept. `starts_on` is the app's date (`YYYY-MM-DD`, as
 * check-in anchors are) when the goal was set: how far along it should be is measured from there.
 * `progress_from` says whether its progress is its own current value or rolls up from the goals
 * aligned to it, each counting by its `weight`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('goals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('company', 'team', 'individual')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('why', 'text')
    .addColumn('unit', 'text')
    .addColumn('start_value', 'double precision', (c) => c.notNull())
    .addColumn('target_value', 'double precision', (c) => c.notNull())
    .addColumn('current_value', 'double precision', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull().check(sql`starts_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('due_on', 'text', (c) => c.notNull().check(sql`due_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility in ('public', 'private')`))
    .addColumn('parent_id', 'uuid', (c) => c.references('goals.id').onDelete('set null'))
    .addColumn('progress_from', 'text', (c) => c.notNull().defaultTo('own').check(sql`progress_from in ('own', 'children')`))
    .addColumn('weight', 'double precision', (c) => c.notNull().defaultTo(1).check(sql`weight > 0`))
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('goals_due_after_start', sql`due_on >= starts_on`)
    .addCheckConstraint('goals_target_differs', sql`target_value <> start_value`)
    .execute();
  await db.schema.createIndex('goals_idempotency_uq').on('goals').columns(['org_id', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('goals_owner_idx').on('goals').columns(['org_id', 'owner_id']).execute();
  await db.schema.createIndex('goals_parent_idx').on('goals').columns(['parent_id']).execute();

  await db.schema
    .createTable('goal_updates')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('goal_id', 'uuid', (c) => c.notNull().references('goals.id').onDelete('cascade'))
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('goal_updates_idempotency_uq').on('goal_updates').columns(['org_id', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('goal_updates_goal_idx').on('goal_updates').columns(['goal_id', 'updated_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('goal_updates').execute();
  await db.schema.dropTable('goals').execute();
}
