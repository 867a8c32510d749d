import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('orgs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kudos_monthly_allowance', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('company_values', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{teamwork,integrity,excellence,growth,respect}'::text[]`))
    .addColumn('slack_recognition_channel', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // A Slack team or enterprise, or a Microsoft tenant, belongs to one org.
  await db.schema
    .createTable('org_workspaces')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('org_workspaces_pk', ['platform', 'external_id'])
    .execute();

  await db.schema
    .createTable('people')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('is_bot', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index people_org_email_uq on people (org_id, lower(email)) where email is not null`.execute(db);

  await db.schema
    .createTable('identities')
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('platform_user_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('identities_pk', ['org_id', 'platform', 'platform_user_id'])
    .execute();
  await db.schema.createIndex('identities_person_idx').on('identities').columns(['person_id', 'platform']).execute();

  await db.schema
    .createTable('slack_installations')
    .addColumn('install_key', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text')
    .addColumn('enterprise_id', 'text')
    .addColumn('is_enterprise_install', 'boolean', (c) => c.notNull())
    .addColumn('installation', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('teams_conversations')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('personal_user_id', 'text')
    .addColumn('reference', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('teams_conversations_personal_idx').on('teams_conversations').column('personal_user_id').execute();

  await db.schema
    .createTable('kudos')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('giver_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('points_each', 'integer', (c) => c.notNull())
    .addColumn('company_value', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('allowance_period', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('kudos_idempotency_uq', ['org_id', 'idempotency_key'])
    .execute();

  await db.schema
    .createTable('kudos_recipients')
    .addColumn('kudos_id', 'uuid', (c) => c.notNull().references('kudos.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('points', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('kudos_recipients_pk', ['kudos_id', 'person_id'])
    .execute();
  await db.schema.createIndex('kudos_recipients_person_idx').on('kudos_recipients').columns(['org_id', 'person_id']).execute();

  await db.schema
    .createTable('point_allowances')
    .addColumn('org_id', 'uuid', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('spent', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('point_allowances_pk', ['org_id', 'person_id', 'period'])
    .execute();

  // The outbox: every message the bot sends on its own, recorded before it is sent.
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('target', 'jsonb', (c) => c.notNull())
    .addColumn('message', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('platform_message_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('notifications_dedupe_uq', ['org_id', 'dedupe_key'])
    .execute();
  await sql`create index notifications_pending_idx on notifications (created_at) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'notifications',
    'point_allowances',
    'kudos_recipients',
    'kudos',
    'teams_conversations',
    'slack_installations',
    'identities',
    'people',
    'org_workspaces',
    'orgs',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
