import { type Kysely, sql } from 'kysely';

/**
 * A goal can be measured by a checklist of key results, each from 0 to its own target. Such a goal
 * runs from 0 to the number of its key results, and its current value is the sum of their shares
 * done (each at most 1), kept in step whenever one is updated: its progress is their mean, and
 * every roll-up and status reads it like any other goal.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('goal_key_results')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('goal_id', 'uuid', (c) => c.notNull().references('goals.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('target_value', 'double precision', (c) => c.notNull().check(sql`target_value > 0`))
    .addColumn('current_value', 'double precision', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('goal_key_results_position_uq', ['goal_id', 'position'])
    .execute();
  // An update of a key result is kept in the goal's history with the key result it moved.
  await db.schema
    .alterTable('goal_updates')
    .addColumn('key_result_id', 'uuid', (c) => c.references('goal_key_results.id').onDelete('cascade'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('goal_updates').dropColumn('key_result_id').execute();
  await db.schema.dropTable('goal_key_results').execute();
}
