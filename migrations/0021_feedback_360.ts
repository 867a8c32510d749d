import { type Kysely, sql } from 'kysely';

/**
 * 360° feedback. A request names its subject, its reviewers (each with how they stand to the subject)
 * and whether answers are anonymous; the question set is copied in, so later edits don't change it.
 * An anonymous answer is stored apart from who gave it: `feedback_360_answers` holds its group
 * (`relationship`) and content only, with no reviewer, no time and no order of its own, while the
 * reviewer's row says only that they answered. A draft, which must come back to its author, lives
 * in `feedback_360_drafts` until it is submitted and is then deleted. `orgs.feedback_min_responses`: the
 * org's minimum for an anonymous group (3 unless changed), copied into `min_responses` when a request is made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('orgs')
    .addColumn('feedback_min_responses', 'integer', (c) => c.notNull().defaultTo(3).check(sql`feedback_min_responses between 2 and 20`))
    .execute();
  await db.schema
    .createTable('feedback_360_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('subject_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('requested_by', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('due_on', 'text', (c) => c.notNull().check(sql`due_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('anonymous', 'boolean', (c) => c.notNull())
    .addColumn('min_responses', 'integer', (c) => c.notNull())
    .addColumn('questions', 'jsonb', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('feedback_360_requests_idempotency_uq').on('feedback_360_requests').columns(['org_id', 'idempotency_key']).unique().execute();

  await db.schema
    .createTable('feedback_360_reviewers')
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('feedback_360_requests.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('reviewer_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('relationship', 'text', (c) => c.notNull().check(sql`relationship in ('self', 'manager', 'peer', 'report', 'other')`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('invited').check(sql`status in ('invited', 'answered', 'declined')`))
    .addColumn('decline_reason', 'text')
    .addColumn('reminded', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('feedback_360_reviewers_pk', ['request_id', 'reviewer_id'])
    .execute();

  await db.schema
    .createTable('feedback_360_answers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('feedback_360_requests.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('relationship', 'text', (c) => c.notNull())
    .addColumn('ratings', 'jsonb', (c) => c.notNull())
    .addColumn('texts', 'jsonb', (c) => c.notNull())
    // Set only when the request is not anonymous.
    .addColumn('reviewer_id', 'uuid', (c) => c.references('people.id'))
    .execute();

  await db.schema
    .createTable('feedback_360_drafts')
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('feedback_360_requests.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('reviewer_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('values', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('feedback_360_drafts_pk', ['request_id', 'reviewer_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('orgs').dropColumn('feedback_min_responses').execute();
  for (const table of ['feedback_360_drafts', 'feedback_360_answers', 'feedback_360_reviewers', 'feedback_360_requests'])
    await db.schema.dropTable(table).execute();
}
