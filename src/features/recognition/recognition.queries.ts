import type { Kysely } from 'kysely';
import type { Platform } from '../../chat/interaction';
import type { Database } from '../../db/database';
import { type OutgoingNotification, recordNotifications } from '../../notify/notify.queries';

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
  | { status: 'recorded' | 'repeat'; kudosId: string; pointsLeft: number; notificationIds: string[] }
  | { status: 'over_allowance'; pointsLeft: number };

/** Locks the giver's allowance row for this period (creating it) and returns what is spent. */
async function lockAllowance(trx: Db, orgId: string, personId: string, period: string): Promise<number> {
  const row = await trx
    .insertInto('point_allowances')
    .values({ org_id: orgId, person_id: personId, period })
    .onConflict((oc) => oc.columns(['org_id', 'person_id', 'period']).doUpdateSet({ spent: (eb) => eb.ref('point_allowances.spent') }))
    .returning('spent')
    .executeTakeFirstOrThrow();
  return row.spent;
}

export function recognitionQueries(db: Db) {
  return {
    async setRecognitionChannel(orgId: string, channelId: string): Promise<void> {
      await db.updateTable('orgs').set({ slack_recognition_channel: channelId }).where('id', '=', orgId).execute();
    },

    async pointsSpent(orgId: string, personId: string, period: string): Promise<number> {
      const row = await db
        .selectFrom('point_allowances')
        .select('spent')
        .where('org_id', '=', orgId)
        .where('person_id', '=', personId)
        .where('period', '=', period)
        .executeTakeFirst();
      return row?.spent ?? 0;
    },

    /**
     * Records the kudos, spends the points and records its notifications in one transaction. The giver's
     * allowance row is locked first, so concurrent kudos can't overspend and a repeated delivery
     * (same idempotency key) finds the first one instead of recording a second.
     */
    async record(kudos: NewKudos, notificationsFor: (kudosId: string) => OutgoingNotification[]): Promise<RecordResult> {
      return db.transaction().execute(async (trx) => {
        const spent = await lockAllowance(trx, kudos.orgId, kudos.giverId, kudos.period);
        const pointsLeft = kudos.allowance - spent;
        const earlier = await trx
          .selectFrom('kudos')
          .select('id')
          .where('org_id', '=', kudos.orgId)
          .where('idempotency_key', '=', kudos.idempotencyKey)
          .executeTakeFirst();
        if (earlier) return { status: 'repeat', kudosId: earlier.id, pointsLeft, notificationIds: [] };

        const total = kudos.pointsEach * kudos.recipientIds.length;
        if (total > pointsLeft) return { status: 'over_allowance', pointsLeft };

        const { id } = await trx
          .insertInto('kudos')
          .values({
            org_id: kudos.orgId,
            giver_id: kudos.giverId,
            points_each: kudos.pointsEach,
            company_value: kudos.companyValue ?? null,
            message: kudos.message,
            platform: kudos.platform,
            allowance_period: kudos.period,
            idempotency_key: kudos.idempotencyKey,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('kudos_recipients')
          .values(
            kudos.recipientIds.map((personId) => ({
              kudos_id: id,
              org_id: kudos.orgId,
              person_id: personId,
              points: kudos.pointsEach,
            })),
          )
          .execute();
        if (total > 0) {
          await trx
            .updateTable('point_allowances')
            .set((eb) => ({ spent: eb('spent', '+', total) }))
            .where('org_id', '=', kudos.orgId)
            .where('person_id', '=', kudos.giverId)
            .where('period', '=', kudos.period)
            .execute();
        }
        const notificationIds = await recordNotifications(trx, kudos.orgId, notificationsFor(id));
        return { status: 'recorded', kudosId: id, pointsLeft: pointsLeft - total, notificationIds };
      });
    },
  };
}

export type RecognitionQueries = ReturnType<typeof recognitionQueries>;
