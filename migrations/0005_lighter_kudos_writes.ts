import { type Kysely, sql } from 'kysely';

/**
 * Kudos and notifications no longer check their org as a foreign key. The check took a key-share
 * lock on the org's row for every kudos and every notification, so all the kudos in an org queued on
 * one row, and Postgres turned their overlapping locks into multixacts. A kudos keeps its org through
 * its giver (people → orgs); a notification through what produced it. Deleting an org must now
 * delete its kudos and notifications itself (nothing deletes orgs yet).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table kudos drop constraint kudos_org_id_fkey`.execute(db);
  await sql`alter table notifications drop constraint notifications_org_id_fkey`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table kudos add constraint kudos_org_id_fkey foreign key (org_id) references orgs (id) on delete cascade`.execute(db);
  await sql`alter table notifications add constraint notifications_org_id_fkey foreign key (org_id) references orgs (id) on delete cascade`.execute(db);
}
