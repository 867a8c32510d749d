import { type Kysely, sql } from 'kysely';
import type { Platform } from '../chat/interaction';
import type { Database } from '../db/database';

type Db = Kysely<Database>;

/** Marks a workspace removed from now, once: a repeated event keeps the first time, so the grace period isn't stretched. */
export async function workspaceRemoved(db: Db, platform: Platform, externalId: string, at: Date): Promise<void> {
  await db
    .updateTable('org_workspaces')
    .set({ removed_at: at })
    .where('platform', '=', platform)
    .where('external_id', '=', externalId)
    .where('removed_at', 'is', null)
    .execute();
}

/** The app is back in the workspace: nothing of its org is deleted. */
export async function workspaceBack(db: Db, platform: Platform, externalId: string): Promise<void> {
  await db.updateTable('org_workspaces').set({ removed_at: null }).where('platform', '=', platform).where('external_id', '=', externalId).execute();
}

/** Tables of the schema that carry org_id: every row of an org is in one of them, or is the org. */
async function orgScopedTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.columns
    where table_schema = current_schema() and column_name = 'org_id'
    order by table_name`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * Deletes an org and every row that carries its id, in one statement: foreign keys that don't
 * cascade (kudos and the like to people) are checked at its end, when all are gone, so no order
 * between tables has to be kept, and a table added later is included without a change here.
 */
async function deleteOrg(trx: Db, orgId: string, tables: string[]): Promise<void> {
  const deletes = tables.map((table, i) => sql`${sql.raw(`d${i}`)} as (delete from ${sql.table(table)} where org_id = ${orgId})`);
  await sql`with ${sql.join(deletes)} delete from orgs where id = ${orgId}`.execute(trx);
}

export interface Purged {
  /** Orgs deleted whole: every workspace of theirs was gone for the grace period. */
  orgs: string[];
  /** Workspaces gone for the grace period whose org lives on through another (a linked Teams tenant). */
  workspaces: number;
}

/**
 * Deletes what belongs to nobody any more: an org every workspace of which was removed before
 * `cutoff`, with all its data. An org another workspace keeps alive keeps its people and their
 * history; it loses the removed workspace's link and, when no workspace of that platform is left,
 * its people's identities there. Each org is decided with its workspace rows locked, so a
 * reinstall that clears `removed_at` meanwhile either comes first and is seen, or finds the org gone.
 */
export async function purgeRemovedWorkspaces(db: Db, cutoff: Date): Promise<Purged> {
  const candidates = await db.selectFrom('org_workspaces').select('org_id').distinct().where('removed_at', '<=', cutoff).execute();
  const purged: Purged = { orgs: [], workspaces: 0 };
  if (candidates.length === 0) return purged;
  const tables = await orgScopedTables(db);
  for (const { org_id: orgId } of candidates) {
    await db.transaction().execute(async (trx) => {
      const workspaces = await trx.selectFrom('org_workspaces').selectAll().where('org_id', '=', orgId).forUpdate().execute();
      const expired = workspaces.filter((w) => w.removed_at !== null && w.removed_at <= cutoff);
      if (expired.length === 0) return;
      if (expired.length === workspaces.length) {
        await deleteOrg(trx, orgId, tables);
        purged.orgs.push(orgId);
        return;
      }
      // Only a live workspace keeps the org: one still in its grace period waits for its own end.
      if (!workspaces.some((w) => w.removed_at === null)) return;
      for (const gone of expired) {
        await trx
          .deleteFrom('org_workspaces')
          .where('org_id', '=', orgId)
          .where('platform', '=', gone.platform)
          .where('external_id', '=', gone.external_id)
          .execute();
      }
      purged.workspaces += expired.length;
      const platformsLeft = new Set(workspaces.filter((w) => !expired.includes(w)).map((w) => w.platform));
      const platformsGone = [...new Set(expired.map((w) => w.platform))].filter((p) => !platformsLeft.has(p));
      if (platformsGone.length > 0) await trx.deleteFrom('identities').where('org_id', '=', orgId).where('platform', 'in', platformsGone).execute();
    });
  }
  return purged;
}
