import type { Kysely } from 'kysely';

/**
 * Files the bot hands someone through a link (Teams: a review's export; a bot can't attach a file in a
 * 1:1 chat without Teams' file consent flow). A link names its row and carries a random key, of
 * which only the SHA-256 is kept; it lasts minutes, and rows past their time are deleted as new ones
 * come. The org is the tenant's, so the files go with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('download_links')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    // Who asked, as the platform knows them: the link goes to their 1:1 chat only.
    .addColumn('platform_user_id', 'text', (c) => c.notNull())
    .addColumn('key_sha256', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('download_links_expires_idx').on('download_links').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('download_links').execute();
}
