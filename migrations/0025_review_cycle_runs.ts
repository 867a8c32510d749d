import { type Kysely, sql } from 'kysely';

/**
 * Running a review cycle: a 360° request asked for from a cycle's phase is tied to the participant
 * (its closing moves them on), and HR may give one participant a later deadline for a phase than
 * the phase's own. Nudges need no table: each is a notification whose dedupe key names the person,
 * the phase, the nudge and the deadline it counts down to.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('feedback_360_requests')
    .addColumn('participant_id', 'uuid', (c) => c.references('review_participants.id').onDelete('set null'))
    .execute();
  await db.schema
    .createTable('review_deadline_overrides')
    .addColumn('participant_id', 'uuid', (c) => c.notNull().references('review_participants.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull().check(sql`due_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('set_by', 'uuid', (c) => c.notNull().references('people.id'))
    .addPrimaryKeyConstraint('review_deadline_overrides_pk', ['participant_id', 'kind'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('review_deadline_overrides').execute();
  await db.schema.alterTable('feedback_360_requests').dropColumn('participant_id').execute();
}
