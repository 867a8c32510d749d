import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('people')
    .addColumn('manager_id', 'uuid', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('is_hr_admin', 'boolean', (c) => c.notNull().defaultTo(false))
    // The last day away, YYYY-MM-DD in their timezone (dates are kept as text so no driver shifts them).
    .addColumn('away_until', 'text')
    .execute();
  await db.schema.createIndex('people_manager_idx').on('people').columns(['org_id', 'manager_id']).execute();

  await db.schema
    .createTable('checkin_teams')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('manager_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('every', 'text', (c) => c.notNull().defaultTo('week'))
    .addColumn('weekday', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('local_time', 'text', (c) => c.notNull().defaultTo('15:00'))
    .addColumn('anchor_date', 'text', (c) => c.notNull())
    .addColumn('reminder_hours', 'integer', (c) => c.notNull().defaultTo(24))
    // A prompt stays open this long (reminders included); then the manager's digest goes out.
    .addColumn('deadline_hours', 'integer', (c) => c.notNull().defaultTo(96))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('checkin_teams_manager_uq', ['org_id', 'manager_id'])
    .execute();

  await db.schema
    .createTable('checkin_members')
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('checkin_teams.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('checkin_members_pk', ['team_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('checkin_questions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('checkin_teams.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('prompt', 'text', (c) => c.notNull())
    .addColumn('options', sql`text[]`)
    // 'mood' and 'blockers' feed the manager's digest; other questions are shown as answered.
    .addColumn('role', 'text')
    .addColumn('archived', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();

  await db.schema
    .createTable('checkin_prompts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('checkin_teams.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('sent'))
    .addColumn('skip_reason', 'text')
    .addColumn('snoozed_until', 'timestamptz')
    .addColumn('snoozes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reminded', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('answered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('checkin_prompts_period_uq', ['team_id', 'person_id', 'period'])
    .execute();
  await db.schema.createIndex('checkin_prompts_person_idx').on('checkin_prompts').columns(['org_id', 'person_id', 'period']).execute();

  await db.schema
    .createTable('checkin_answers')
    .addColumn('prompt_id', 'uuid', (c) => c.notNull().references('checkin_prompts.id').onDelete('cascade'))
    .addColumn('question_id', 'uuid', (c) => c.notNull().references('checkin_questions.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('checkin_answers_pk', ['prompt_id', 'question_id'])
    .execute();

  await db.schema
    .createTable('checkin_digests')
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('checkin_teams.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('org_id', 'uuid', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('checkin_digests_pk', ['team_id', 'period'])
    .execute();

  // Private notes on a check-in between the person and their manager (replies from the digest).
  await db.schema
    .createTable('checkin_replies')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull())
    .addColumn('prompt_id', 'uuid', (c) => c.notNull().references('checkin_prompts.id').onDelete('cascade'))
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('checkin_replies_idempotency_uq', ['org_id', 'idempotency_key'])
    .execute();

  await db.schema
    .createTable('feedback')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('giver_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('recipient_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('request_id', 'uuid')
    .addColumn('thanked_at', 'timestamptz')
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('feedback_idempotency_uq', ['org_id', 'idempotency_key'])
    .execute();

  await db.schema
    .createTable('feedback_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('requester_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('feedback_requests_idempotency_uq', ['org_id', 'idempotency_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'feedback_requests',
    'feedback',
    'checkin_replies',
    'checkin_digests',
    'checkin_answers',
    'checkin_prompts',
    'checkin_questions',
    'checkin_members',
    'checkin_teams',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('people').dropColumn('manager_id').dropColumn('is_hr_admin').dropColumn('away_until').execute();
}
