import { type Kysely, sql } from 'kysely';

/**
 * The review conversation: one meeting per participant of a cycle, between the person and their
 * manager, at an instant (set in the manager's timezone). Rescheduling moves `starts_at` and stamps
 * `scheduled_at`; cancelling stamps `cancelled_at`. Its reminders are notifications keyed by the
 * meeting's instant, recorded by the review meeting tick, so a moved meeting is reminded at its new
 * time and no reminder goes twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('review_meetings')
    .addColumn('participant_id', 'uuid', (c) => c.primaryKey().references('review_participants.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('manager_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    // When it was last set: reminders that fell due before then are not sent.
    .addColumn('scheduled_at', 'timestamptz', (c) => c.notNull())
    .addColumn('scheduled_by', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .execute();
  await sql`create index review_meetings_upcoming_idx on review_meetings (starts_at) where cancelled_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('review_meetings').execute();
}
