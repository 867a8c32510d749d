import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Platform } from '../../chat/interaction';
import type { Clock } from '../../chat/ports';
import type { Database } from '../../db/database';
import type { OutgoingNotification } from '../../chat/ports';
import { claimedOnRecord, type RecordedNotification, withIds } from '../../notify/notify.queries';

type Db = Kysely<Database>;

export interface NewKudos {
  orgId: string;
  giverId: string;
  recipientIds: string[];
  pointsEach: number;
  companyValue: string | undefined;
  message: string;
  platform: Platform;
  period: string;
  allowance: number;
  idempotencyKey: string;
}

export type RecordResult =
  | { status: 'recorded' | 'repeat'; kudosId: string; pointsLeft: number; notifications: RecordedNotification[] }
  | { status: 'over_allowance'; pointsLeft: number };

/** Postgres' answer when spending would pass the allowance (see migration 0004). */
function isOverAllowance(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23514' && e.constraint === 'point_allowances_within_allowance';
}

/** How many of the latest kudos a person received the home lists. */
const LATEST_RECEIVED = 3;

/** `clock` stamps a kudos' time, which a person's month of kudos is counted by. */
export function recognitionQueries(db: Db, clock: Clock) {
  async function pointsSpent(orgId: string, personId: string, period: string): Promise<number> {
    const row = await db
      .selectFrom('point_allowances')
      .select('spent')
      .where('org_id', '=', orgId)
      .where('person_id', '=', personId)
      .where('period', '=', period)
      .executeTakeFirst();
    return row?.spent ?? 0;
  }

  return {
    async setRecognitionChannel(orgId: string, channelId: string | null): Promise<void> {
      await db.updateTable('orgs').set({ slack_recognition_channel: channelId }).where('id', '=', orgId).execute();
    },

    /** Teams' recognition channel, with its name as Teams gave it now; none when `channel` is null. */
    async setTeamsRecognitionChannel(orgId: string, channel: { id: string; name: string | undefined } | null): Promise<void> {
      await db
        .updateTable('orgs')
        .set({ teams_recognition_channel: channel?.id ?? null, teams_recognition_channel_name: channel?.name ?? null })
        .where('id', '=', orgId)
        .execute();
    },

    pointsSpent,

    /** What a person received (counts, points and the latest few) and gave between `from` and `to`. */
    async kudosBetween(orgId: string, personId: string, from: Date, to: Date) {
      const received = db
        .selectFrom('kudos_recipients')
        .innerJoin('kudos', 'kudos.id', 'kudos_recipients.kudos_id')
        .where('kudos_recipients.org_id', '=', orgId)
        .where('kudos.org_id', '=', orgId)
        .where('kudos_recipients.person_id', '=', personId)
        .where('kudos.created_at', '>=', from)
        .where('kudos.created_at', '<', to);
      const [totals, latest, given] = await Promise.all([
        received
          .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.coalesce(eb.fn.sum<string>('kudos_recipients.points'), eb.lit(0)).as('points')])
          .executeTakeFirstOrThrow(),
        received
          .innerJoin('people as giver', 'giver.id', 'kudos.giver_id')
          .where('giver.org_id', '=', orgId)
          .select(['giver.display_name as giver', 'kudos.message', 'kudos.company_value'])
          .orderBy('kudos.created_at', 'desc')
          .limit(LATEST_RECEIVED)
          .execute(),
        db
          .selectFrom('kudos')
          .select((eb) => eb.fn.countAll<string>().as('count'))
          .where('org_id', '=', orgId)
          .where('giver_id', '=', personId)
          .where('created_at', '>=', from)
          .where('created_at', '<', to)
          .executeTakeFirstOrThrow(),
      ]);
      return { received: { count: Number(totals.count), points: Number(totals.points), latest }, given: Number(given.count) };
    },

    /**
     * Records the kudos, its recipients and notifications and spends the points in one statement, so
     * one round trip does it all or nothing. Every write hangs off the kudos insert: a repeated
     * delivery (same idempotency key) conflicts there, or waits for the first to commit and then
     * conflicts, and writes nothing else. Concurrent kudos by one giver queue on their allowance row,
     * and its check constraint refuses the one that would overspend, undoing the whole statement.
     * The notifications are recorded already claimed, for this process sends them (`claimedOnRecord`).
     */
    async record(kudos: NewKudos, notificationsFor: (kudosId: string) => OutgoingNotification[]): Promise<RecordResult> {
      const id = randomUUID();
      const outgoing = notificationsFor(id);
      const claim = claimedOnRecord();
      const total = kudos.pointsEach * kudos.recipientIds.length;
      const recipients = sql.join(kudos.recipientIds.map((personId) => sql`(${personId}::uuid)`));
      const notifications = sql.join(
        outgoing.map(
          (n) => sql`(${n.dedupeKey}, ${n.platform}, ${JSON.stringify(n.target)}::jsonb, ${JSON.stringify(n.message)}::jsonb,
               ${n.ifUndeliverable ? JSON.stringify(n.ifUndeliverable) : null}::jsonb)`,
        ),
      );
      const spentNow = sql<number>`(select spent from point_allowances
        where org_id = ${kudos.orgId} and person_id = ${kudos.giverId} and period = ${kudos.period})`;
      try {
        const { rows } = await sql<{ kudos_id: string | null; spent: number | null; notifications: Array<{ id: string; key: string }> }>`
          with new_kudos as (
            insert into kudos (id, org_id, giver_id, points_each, company_value, message, platform, allowance_period, idempotency_key, created_at)
            values (${id}, ${kudos.orgId}, ${kudos.giverId}, ${kudos.pointsEach}, ${kudos.companyValue ?? null}, ${kudos.message},
                    ${kudos.platform}, ${kudos.period}, ${kudos.idempotencyKey}, ${clock.now()})
            on conflict (org_id, idempotency_key) do nothing
            returning id
          ), spend as (
            insert into point_allowances (org_id, person_id, period, spent, allowance)
            select ${kudos.orgId}, ${kudos.giverId}, ${kudos.period}, ${total}, ${kudos.allowance} from new_kudos where ${total} > 0
            on conflict (org_id, person_id, period)
              do update set spent = point_allowances.spent + excluded.spent, allowance = excluded.allowance
            returning spent
          ), new_recipients as (
            insert into kudos_recipients (kudos_id, org_id, person_id, points)
            select new_kudos.id, ${kudos.orgId}, r.person_id, ${kudos.pointsEach}
            from new_kudos, (values ${recipients}) as r(person_id)
          ), new_notifications as (
            insert into notifications (org_id, dedupe_key, platform, target, message, if_undeliverable, claimed_until, attempts)
            select ${kudos.orgId}, n.dedupe_key, n.platform, n.target, n.message, n.if_undeliverable, ${claim.claimedUntil}, ${claim.attempts}
            from new_kudos, (values ${notifications}) as n(dedupe_key, platform, target, message, if_undeliverable)
            on conflict (org_id, dedupe_key) do nothing
            returning id, dedupe_key
          )
          select (select id from new_kudos) as kudos_id,
                 coalesce((select spent from spend), ${spentNow}, 0) as spent,
                 (select coalesce(json_agg(json_build_object('id', id, 'key', dedupe_key)), '[]') from new_notifications) as notifications`.execute(db);
        const row = rows[0]!;
        const pointsLeft = kudos.allowance - row.spent!;
        if (row.kudos_id) {
          const notifications = withIds(outgoing, new Map(row.notifications.map((n) => [n.key, n.id])));
          return { status: 'recorded', kudosId: row.kudos_id, pointsLeft, notifications };
        }
        const earlier = await db
          .selectFrom('kudos')
          .select('id')
          .where('org_id', '=', kudos.orgId)
          .where('idempotency_key', '=', kudos.idempotencyKey)
          .executeTakeFirstOrThrow();
        return { status: 'repeat', kudosId: earlier.id, pointsLeft, notifications: [] };
      } catch (error) {
        if (!isOverAllowance(error)) throw error;
        const spent = await pointsSpent(kudos.orgId, kudos.giverId, kudos.period);
        return { status: 'over_allowance', pointsLeft: Math.max(kudos.allowance - spent, 0) };
      }
    },
  };
}

export type RecognitionQueries = ReturnType<typeof recognitionQueries>;
