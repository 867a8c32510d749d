import { type Kysely, sql } from 'kysely';

/**
 * Every table carries org_id: 1:1 reminders were the one org-scoped table without it. Existing rows
 * take their 1:1's org; every reminder has a 1:1 (a cascading foreign key), so none is left null.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('one_on_one_reminders').addColumn('org_id', 'uuid').execute();
  await sql`
    update one_on_one_reminders r set org_id = o.org_id
    from one_on_ones o where o.id = r.one_on_one_id`.execute(db);
  await db.schema
    .alterTable('one_on_one_reminders')
    .alterColumn('org_id', (c) => c.setNotNull())
    .execute();
  await db.schema
    .alterTable('one_on_one_reminders')
    .addForeignKeyConstraint('one_on_one_reminders_org_id_fkey', ['org_id'], 'orgs', ['id'], (c) => c.onDelete('cascade'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('one_on_one_reminders').dropColumn('org_id').execute();
}
