import { type Kysely, sql } from 'kysely';

/**
 * A person's self-assessment: a rating (1–5) and a reflection per goal, strengths and growth areas.
 * It is a draft until submitted; submitting locks it. A person has at most one draft at a time (the
 * partial unique index), which `/review self` brings back. `submitted_key`: the submitting
 * interaction's idempotency key, so a submission delivered twice locks one document. `goal_title` keeps what the goal was called
 * when it was assessed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('self_assessments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('strengths', 'text')
    .addColumn('growth', 'text')
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('submitted_key', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('self_assessments_submitted_key_uq').on('self_assessments').columns(['org_id', 'submitted_key']).unique().execute();
  await sql`create unique index self_assessments_one_draft_uq on self_assessments (org_id, person_id) where submitted_at is null`.execute(db);
  await db.schema
    .createTable('self_assessment_goals')
    .addColumn('assessment_id', 'uuid', (c) => c.notNull().references('self_assessments.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('goal_id', 'uuid', (c) => c.notNull().references('goals.id').onDelete('cascade'))
    .addColumn('goal_title', 'text', (c) => c.notNull())
    .addColumn('rating', 'integer', (c) => c.check(sql`rating between 1 and 5`))
    .addColumn('reflection', 'text')
    .addPrimaryKeyConstraint('self_assessment_goals_pk', ['assessment_id', 'goal_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('self_assessment_goals').execute();
  await db.schema.dropTable('self_assessments').execute();
}
