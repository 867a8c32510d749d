import { type Kysely, sql } from 'kysely';

/**
 * The org's own 360° question set (`orgs.feedback_questions`; none: the default set), copied into a
 * request when it is made, as `feedback_min_responses` is. A self-assessment's ratings of the
 * competencies of the set then current (`self_assessments.competency_ratings`: id, label and rating
 * of each one rated), shown next to others' in a 360° report.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('orgs').addColumn('feedback_questions', 'jsonb').execute();
  await db.schema
    .alterTable('self_assessments')
    .addColumn('competency_ratings', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('self_assessments').dropColumn('competency_ratings').execute();
  await db.schema.alterTable('orgs').dropColumn('feedback_questions').execute();
}
