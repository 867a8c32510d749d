import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import type { OutgoingNotification } from '../../chat/ports';
import { type RecordedNotification, recordNotificationsToSend } from '../../notify/notify.queries';
import type { Platform } from '../../chat/interaction';
import type { Clock } from '../../chat/ports';
import { platformIdsOf } from '../people/people.queries';

type Db = Kysely<Database>;

export function feedbackQueries(db: Db, clock: Clock) {
  return {
    /** Records the feedback and the recipient's DM together; a repeated delivery records nothing. */
    async give(
      f: { orgId: string; giverId: string; recipientId: string; kind: 'praise' | 'suggestion'; text: string; requestId: string | null; idempotencyKey: string },
      notificationFor: (feedbackId: string) => OutgoingNotification,
    ): Promise<RecordedNotification[]> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('feedback')
          .values({
            org_id: f.orgId,
            giver_id: f.giverId,
            recipient_id: f.recipientId,
            kind: f.kind,
            text: f.text,
            request_id: f.requestId,
            idempotency_key: f.idempotencyKey,
          })
          .onConflict((oc) => oc.columns(['org_id', 'idempotency_key']).doNothing())
          .returning('id')
          .executeTakeFirst();
        return row ? recordNotificationsToSend(trx, f.orgId, [notificationFor(row.id)]) : [];
      });
    },

    async feedback(orgId: string, feedbackId: string) {
      return db
        .selectFrom('feedback')
        .innerJoin('people as giver', 'giver.id', 'feedback.giver_id')
        .selectAll('feedback')
        .select('giver.display_name as giver_name')
        .where('feedback.org_id', '=', orgId)
        .where('giver.org_id', '=', orgId)
        .where('feedback.id', '=', feedbackId)
        .executeTakeFirst();
    },

    /** Marks the thanks and records the giver's notice, once. */
    async thank(orgId: string, feedbackId: string, notification: OutgoingNotification): Promise<RecordedNotification[]> {
      return db.transaction().execute(async (trx) => {
        const first = await trx
          .updateTable('feedback')
          .set({ thanked_at: clock.now() })
          .where('org_id', '=', orgId)
          .where('id', '=', feedbackId)
          .where('thanked_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        return first ? recordNotificationsToSend(trx, orgId, [notification]) : [];
      });
    },

    /** Records the request, who it asks, and their DMs together; a repeated delivery records nothing. */
    async request(
      r: { orgId: string; requesterId: string; recipientIds: string[]; topic: string; idempotencyKey: string; platform: Platform },
      notificationsFor: (requestId: string) => OutgoingNotification[],
    ): Promise<RecordedNotification[]> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('feedback_requests')
          .values({ org_id: r.orgId, requester_id: r.requesterId, topic: r.topic, idempotency_key: r.idempotencyKey })
          .onConflict((oc) => oc.columns(['org_id', 'idempotency_key']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row) return [];
        await trx
          .insertInto('feedback_request_recipients')
          .values(r.recipientIds.map((person_id) => ({ request_id: row.id, org_id: r.orgId, person_id })))
          .onConflict((oc) => oc.doNothing())
          .execute();
        return recordNotificationsToSend(trx, r.orgId, notificationsFor(row.id));
      });
    },

    /** Requests that asked this person and that they haven't answered yet, newest first. */
    async waitingFor(orgId: string, personId: string, limit: number) {
      return db
        .selectFrom('feedback_request_recipients as asked')
        .innerJoin('feedback_requests', 'feedback_requests.id', 'asked.request_id')
        .innerJoin('people as requester', 'requester.id', 'feedback_requests.requester_id')
        .select(['feedback_requests.id', 'feedback_requests.topic', 'feedback_requests.requester_id'])
        .where('asked.org_id', '=', orgId)
        .where('feedback_requests.org_id', '=', orgId)
        .where('requester.org_id', '=', orgId)
        .where('asked.person_id', '=', personId)
        .where('requester.active', '=', true)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('feedback')
                .select('feedback.id')
                .where('feedback.org_id', '=', orgId)
                .whereRef('feedback.request_id', '=', 'feedback_requests.id')
                .where('feedback.giver_id', '=', personId),
            ),
          ),
        )
        .orderBy('feedback_requests.created_at', 'desc')
        .limit(limit)
        .execute();
    },

    async requestById(orgId: string, requestId: string) {
      return db
        .selectFrom('feedback_requests')
        .innerJoin('people', 'people.id', 'feedback_requests.requester_id')
        .select(['feedback_requests.id', 'feedback_requests.topic', 'feedback_requests.requester_id', 'people.display_name as requester_name'])
        .where('feedback_requests.org_id', '=', orgId)
        .where('people.org_id', '=', orgId)
        .where('feedback_requests.id', '=', requestId)
        .executeTakeFirst();
    },

    async platformId(orgId: string, platform: Platform, personId: string): Promise<string | undefined> {
      return (await platformIdsOf(db, orgId, platform, [personId]))[0];
    },
  };
}

export type FeedbackQueries = ReturnType<typeof feedbackQueries>;
