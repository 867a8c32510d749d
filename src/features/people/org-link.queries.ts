import { type Kysely, sql } from 'kysely';
import type { OutgoingNotification } from '../../chat/ports';
import type { Database, Org, Platform } from '../../db/database';
import { type RecordedNotification, recordNotificationsToSend } from '../../notify/notify.queries';
import { MOVED_WHEN_LINKING } from './org-link.rules';
import { lockOrgChart } from './people.queries';

type Db = Kysely<Database>;

export type LinkOutcome =
  /** `joined`: the platforms of the org that joined; `matched`: its people found by email, `moved`: the others. */
  | { kind: 'linked'; org: Org; joined: Platform[]; matched: number; moved: number; recorded: RecordedNotification[] }
  | { kind: 'unknown_code' }
  | { kind: 'own_org' }
  | { kind: 'issuer_not_hr' }
  | { kind: 'same_platform'; platform: Platform }
  /** Table names with rows of each org: neither may join the other. */
  | { kind: 'both_have_records'; here: string[]; there: string[] };

/** Tables, other than those that move, holding rows of this org: any means it has records of its own. */
async function tablesWithRecords(trx: Db, orgId: string): Promise<string[]> {
  const { rows: tables } = await sql<{ table_name: string }>`
    select table_name from information_schema.columns
    where table_schema = current_schema() and column_name = 'org_id' and table_name not in (${sql.join(MOVED_WHEN_LINKING)})
    order by table_name`.execute(trx);
  if (tables.length === 0) return [];
  const probes = tables.map(
    ({ table_name }) => sql`select ${table_name}::text as name where exists (select 1 from ${sql.table(table_name)} where org_id = ${orgId})`,
  );
  const { rows } = await sql<{ name: string }>`${sql.join(probes, sql` union all `)}`.execute(trx);
  return rows.map((r) => r.name);
}

/** Who the code's maker is told about a link: where they are, and who sent the code back (person ids after the link). */
export interface LinkNotice {
  platform: Platform;
  workspaceId: string;
  issuerId: string;
  redeemerId: string;
}

/** The people of `joining` who are someone in `keeping` too, by email: the joining row and the keeping one. */
const sameEmail = (joining: string, keeping: string) => sql`
  select j.id as joining_id, k.id as keeping_id from people j
  join people k on k.org_id = ${keeping} and lower(k.email) = lower(j.email)
  where j.org_id = ${joining}`;

/**
 * Makes `joining` part of `keeping`: a person with an email `keeping` knows becomes that person (their
 * identities move to them; `keeping`'s row, role and place in the chart stay), everyone else moves
 * with their place in the chart. What was said to them moves too, then `joining` is gone.
 */
async function join(trx: Db, joining: string, keeping: string): Promise<{ matched: number; moved: number; idAfter: (personId: string) => string }> {
  const { rows: pairs } = await sql<{ joining_id: string; keeping_id: string }>`${sameEmail(joining, keeping)}`.execute(trx);
  const keepingIdOf = new Map(pairs.map((p) => [p.joining_id, p.keeping_id]));
  const keepingOf = (personId: unknown) => sql`(select m.keeping_id from (${sameEmail(joining, keeping)}) m where m.joining_id::text = ${personId})`;
  await sql`
    update identities set org_id = ${keeping}, person_id = coalesce(${keepingOf(sql`identities.person_id::text`)}, person_id)
    where org_id = ${joining}`.execute(trx);
  const moved = await sql`
    update people set org_id = ${keeping}
    where org_id = ${joining} and id not in (select joining_id from (${sameEmail(joining, keeping)}) m)`.execute(trx);
  // After the move, so the check-in team trigger finds a matched manager's team in `keeping`.
  await sql`
    update people p set manager_id = m.keeping_id
    from (${sameEmail(joining, keeping)}) m
    where p.org_id = ${keeping} and p.manager_id = m.joining_id`.execute(trx);
  // A message to a matched person is theirs under their new id, and so is its dedupe key.
  const personId = sql`notifications.target->>'personId'`;
  await sql`
    update notifications set
      org_id = ${keeping},
      target = coalesce(jsonb_set(target, '{personId}', to_jsonb(${keepingOf(personId)}::text)), target),
      dedupe_key = coalesce(replace(dedupe_key, ${personId}, ${keepingOf(personId)}::text), dedupe_key)
    where org_id = ${joining}`.execute(trx);
  // Each platform's recognition channel is the one side's that has it.
  await sql`
    update orgs k set
      slack_recognition_channel = coalesce(k.slack_recognition_channel, j.slack_recognition_channel),
      teams_recognition_channel = coalesce(k.teams_recognition_channel, j.teams_recognition_channel),
      teams_recognition_channel_name = case when k.teams_recognition_channel is null then j.teams_recognition_channel_name else k.teams_recognition_channel_name end
    from orgs j where k.id = ${keeping} and j.id = ${joining}`.execute(trx);
  await trx.updateTable('org_workspaces').set({ org_id: keeping }).where('org_id', '=', joining).execute();
  // Its matched people (their identities moved) and its link code go with it.
  await trx.deleteFrom('orgs').where('id', '=', joining).execute();
  return { matched: pairs.length, moved: Number(moved.numAffectedRows ?? 0), idAfter: (personId) => keepingIdOf.get(personId) ?? personId };
}

export function orgLinkQueries(db: Db) {
  return {
    /** Whether the org already has both a Slack workspace and a Teams tenant: there is nothing left to link. */
    async isLinked(orgId: string): Promise<boolean> {
      const rows = await db.selectFrom('org_workspaces').select('platform').distinct().where('org_id', '=', orgId).execute();
      return rows.length > 1;
    },

    /**
     * Keeps a new code for the org, replacing any it had. False when this interaction already got one
     * (a retry): its code was shown once, and only its hash is kept.
     */
    async issue(c: { orgId: string; issuedBy: string; codeHash: string; idempotencyKey: string; expiresAt: Date }): Promise<boolean> {
      const row = await db
        .insertInto('org_link_codes')
        .values({ org_id: c.orgId, code_sha256: c.codeHash, issued_by: c.issuedBy, idempotency_key: c.idempotencyKey, expires_at: c.expiresAt })
        .onConflict((oc) =>
          oc
            .column('org_id')
            .doUpdateSet((eb) => ({
              code_sha256: eb.ref('excluded.code_sha256'),
              issued_by: eb.ref('excluded.issued_by'),
              idempotency_key: eb.ref('excluded.idempotency_key'),
              expires_at: eb.ref('excluded.expires_at'),
            }))
            .where('org_link_codes.idempotency_key', '<>', c.idempotencyKey),
        )
        .returning('org_id')
        .executeTakeFirst();
      return row !== undefined;
    },

    /**
     * The code's org and `orgId` become one, if the code is live and its maker still an HR admin, the
     * two have no platform in common and one of them has nothing but its people: that one joins the
     * other. All or nothing, one link at a time; the code is used up only by a link.
     */
    async redeem(r: { orgId: string; actorId: string; codeHash: string; now: Date }, notice: (n: LinkNotice) => OutgoingNotification): Promise<LinkOutcome> {
      return db.transaction().execute(async (trx): Promise<LinkOutcome> => {
        await sql`select pg_advisory_xact_lock(hashtext('org-link'))`.execute(trx);
        const code = await trx
          .selectFrom('org_link_codes')
          .select(['org_id', 'issued_by'])
          .where('code_sha256', '=', r.codeHash)
          .where('expires_at', '>', r.now)
          .executeTakeFirst();
        if (!code) return { kind: 'unknown_code' };
        if (code.org_id === r.orgId) return { kind: 'own_org' };
        const issuer = await trx
          .selectFrom('people')
          .select('id')
          .where('org_id', '=', code.org_id)
          .where('id', '=', code.issued_by)
          .where('role', '=', 'hr_admin')
          .where('active', '=', true)
          .executeTakeFirst();
        if (!issuer) return { kind: 'issuer_not_hr' };
        const workspaces = await trx
          .selectFrom('org_workspaces')
          .select(['org_id', 'platform', 'external_id'])
          .where('org_id', 'in', [code.org_id, r.orgId])
          .execute();
        const platformsOf = (orgId: string) => new Set(workspaces.filter((w) => w.org_id === orgId).map((w) => w.platform));
        const shared = [...platformsOf(r.orgId)].find((p) => platformsOf(code.org_id).has(p));
        if (shared) return { kind: 'same_platform', platform: shared };

        await lockOrgChart(trx, code.org_id);
        await lockOrgChart(trx, r.orgId);
        const here = await tablesWithRecords(trx, r.orgId);
        const there = await tablesWithRecords(trx, code.org_id);
        if (here.length > 0 && there.length > 0) return { kind: 'both_have_records', here, there };
        // The side with nothing but its people joins; when both have nothing else, the one that sent the code back.
        const [joining, keeping] = here.length === 0 ? [r.orgId, code.org_id] : [code.org_id, r.orgId];
        await trx.deleteFrom('org_link_codes').where('org_id', '=', code.org_id).execute();
        const { idAfter, ...counts } = await join(trx, joining, keeping);
        const org = await trx.selectFrom('orgs').selectAll().where('id', '=', keeping).executeTakeFirstOrThrow();
        // The maker hears of it on their platform, in the same transaction as the link.
        const issuerWorkspace = workspaces.find((w) => w.org_id === code.org_id);
        const told = issuerWorkspace
          ? [
              notice({
                platform: issuerWorkspace.platform,
                workspaceId: issuerWorkspace.external_id,
                issuerId: idAfter(code.issued_by),
                redeemerId: idAfter(r.actorId),
              }),
            ]
          : [];
        const recorded = await recordNotificationsToSend(trx, keeping, told);
        return { kind: 'linked', org, joined: [...platformsOf(joining)], ...counts, recorded };
      });
    },
  };
}

export type OrgLinkQueries = ReturnType<typeof orgLinkQueries>;
