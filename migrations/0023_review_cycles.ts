import { type Kysely, sql } from 'kysely';

/**
 * Review cycles. A cycle names who is in it (`audience`: everyone, departments, or people) and may
 * repeat every `repeat_months`; its phases each have dates and a form (ratings and text questions),
 * copied in so later edits of the org's set don't change a running cycle. Each participant moves
 * through one state machine (see `cycle.rules.ts`), and every move, draft, calibration and
 * sign-off is a row in `review_events`: an append-only trail (updates are refused by a trigger;
 * rows go only with their org). The manager's review is one document per participant, its versions
 * kept as `review_events` snapshots. Dates are calendar days (`YYYY-MM-DD`), read in each person's
 * own timezone.
 */
const day = sql`~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('review_cycles')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('audience', 'jsonb', (c) => c.notNull())
    .addColumn('repeat_months', 'integer', (c) => c.check(sql`repeat_months between 1 and 24`))
    // The cycle this one repeats: each cycle is repeated once.
    .addColumn('repeats_id', 'uuid', (c) => c.references('review_cycles.id').onDelete('set null').unique())
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('review_cycles_idempotency_uq').on('review_cycles').columns(['org_id', 'idempotency_key']).unique().execute();

  await db.schema
    .createTable('review_phases')
    .addColumn('cycle_id', 'uuid', (c) => c.notNull().references('review_cycles.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('self_assessment', 'feedback_360', 'manager_review', 'calibration', 'sign_off')`))
    .addColumn('opens_on', 'text', (c) => c.notNull().check(sql`opens_on ${day}`))
    .addColumn('due_on', 'text', (c) => c.notNull().check(sql`due_on ${day} and due_on >= opens_on`))
    .addColumn('questions', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('review_phases_pk', ['cycle_id', 'kind'])
    .execute();

  await db.schema
    .createTable('review_participants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('cycle_id', 'uuid', (c) => c.notNull().references('review_cycles.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id'))
    // Who writes the review: the person's manager when the cycle started (HR can change it).
    .addColumn('reviewer_id', 'uuid', (c) => c.references('people.id'))
    .addColumn('state', 'text', (c) =>
      c.notNull().defaultTo('not_started').check(sql`state in ('not_started', 'self_done', 'feedback_in', 'manager_drafted', 'shared', 'signed')`),
    )
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('review_participants_person_uq', ['cycle_id', 'person_id'])
    .execute();
  await db.schema.createIndex('review_participants_reviewer_idx').on('review_participants').columns(['org_id', 'reviewer_id']).execute();

  await db.schema
    .createTable('manager_reviews')
    .addColumn('participant_id', 'uuid', (c) => c.primaryKey().references('review_participants.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('overall_rating', 'integer', (c) => c.check(sql`overall_rating between 1 and 5`))
    // Set in calibration; what the employee sees when set.
    .addColumn('calibrated_rating', 'integer', (c) => c.check(sql`calibrated_rating between 1 and 5`))
    // The 9-box grid's other axis: 1 (low) to 3 (high).
    .addColumn('potential', 'integer', (c) => c.check(sql`potential between 1 and 3`))
    .addColumn('ratings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('answers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('narrative', 'text')
    .addColumn('employee_comment', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('shared_at', 'timestamptz')
    .addColumn('signed_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('review_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('participant_id', 'uuid', (c) => c.notNull().references('review_participants.id').onDelete('cascade'))
    .addColumn('actor_id', 'uuid', (c) => c.references('people.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('reason', 'text')
    // The document as it stood after this event, where the event changed it.
    .addColumn('snapshot', 'jsonb')
    // The delivery that caused it, so a retried one records nothing twice.
    .addColumn('idempotency_key', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('review_events_participant_idx').on('review_events').columns(['participant_id', 'at']).execute();
  await sql`create unique index review_events_idempotency_uq on review_events (org_id, idempotency_key) where idempotency_key is not null`.execute(db);
  await sql`
    create function review_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'review_events is append-only';
    end $$`.execute(db);
  await sql`create trigger review_events_no_update before update on review_events for each row execute function review_events_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('review_events').execute();
  await sql`drop function review_events_append_only()`.execute(db);
  await db.schema.dropTable('manager_reviews').execute();
  await db.schema.dropTable('review_participants').execute();
  await db.schema.dropTable('review_phases').execute();
  await db.schema.dropTable('review_cycles').execute();
}
