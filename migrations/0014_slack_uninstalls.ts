import type { Kysely } from 'kysely';

/**
 * When the app was removed from a workspace (Slack's app_uninstalled, or its bot token revoked): the
 * org's data is deleted once every workspace of the org has been gone for the retention period, and
 * a reinstall before then clears it. Install tokens are sealed by the app at start (the key is
 * configuration, which a migration can't read), not here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('org_workspaces').addColumn('removed_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('org_workspaces').dropColumn('removed_at').execute();
}
