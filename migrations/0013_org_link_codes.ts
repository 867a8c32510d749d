import { type Kysely, sql } from 'kysely';

/**
 * A Slack workspace and a Microsoft tenant become one org only when HR admins of both link them: one
 * side's HR admin gets a one-time code, the other's sends it back. An org has at most one live code
 * (a new one replaces it); only its hash is kept, and it is deleted when used.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('org_link_codes')
    .addColumn('org_id', 'uuid', (c) => c.primaryKey().references('orgs.id').onDelete('cascade'))
    .addColumn('code_sha256', 'text', (c) => c.notNull().unique())
    .addColumn('issued_by', 'uuid', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('org_link_codes').execute();
}
