import { type Kysely, sql } from 'kysely';

/**
 * The org's own review questions (`orgs.review_questions`; none: the defaults): the manager review's
 * competencies and open questions, and the questions a cycle's self-assessment asks besides goals,
 * strengths and growth. A cycle copies them into its phases when it is made. A self-assessment keeps
 * its answers to them (`self_assessments.answers`: id, label and text of each one answered).
 *
 * Cycles made before this copied the manager review's set into their self-assessment phase too,
 * where nothing asked it; that copy becomes the empty set, so the self-assessments of cycles
 * already running ask what they asked before: nothing more.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('orgs').addColumn('review_questions', 'jsonb').execute();
  await db.schema
    .alterTable('self_assessments')
    .addColumn('answers', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await sql`update review_phases set questions = '{"competencies":[],"questions":[]}'::jsonb where kind = 'self_assessment'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('self_assessments').dropColumn('answers').execute();
  await db.schema.alterTable('orgs').dropColumn('review_questions').execute();
}
