import { type Kysely, sql } from 'kysely';

/**
 * Senders no longer look people up: a person's target carries their user id on the platform from
 * when it is recorded. Pending notifications recorded before get it now (on Teams a `29:` id the bot
 * met them by before an AAD object id an import gave, as at record time).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update notifications n
    set target = n.target || jsonb_build_object('platformUserId', (
      select i.platform_user_id from identities i
      where i.org_id = n.org_id and i.platform = n.platform and i.person_id::text = n.target->>'personId'
      order by i.platform_user_id like '29:%' desc, i.created_at
      limit 1))
    where n.status = 'pending' and n.target->>'kind' = 'person' and not n.target ? 'platformUserId'
      and exists (
        select 1 from identities i
        where i.org_id = n.org_id and i.platform = n.platform and i.person_id::text = n.target->>'personId')`.execute(db);
}

export async function down(): Promise<void> {
  // The user ids stay in the targets: nothing older reads them wrongly.
}
