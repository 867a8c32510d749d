import type { Kysely } from 'kysely';

/**
 * A notification may carry another to record and send instead when it is undeliverable (a kudos'
 * DM to someone the bot can't reach tells the giver so).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('if_undeliverable', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('notifications').dropColumn('if_undeliverable').execute();
}
