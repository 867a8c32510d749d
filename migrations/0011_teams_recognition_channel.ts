import type { Kysely } from 'kysely';

/**
 * Teams gets a recognition channel too, for kudos given in a 1:1 chat with the bot: the channel's
 * conversation id (a new post there starts its own thread) and its name as it was when an HR admin
 * chose it, so the giver's confirmation can say where the kudos went without asking Teams.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('orgs').addColumn('teams_recognition_channel', 'text').addColumn('teams_recognition_channel_name', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('orgs').dropColumn('teams_recognition_channel_name').dropColumn('teams_recognition_channel').execute();
}
