import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import { type OutgoingNotification, type RecordedNotification, recordNotificationsToSend } from '../../notify/notify.queries';
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
          .values({ org_id: f.orgId, giver_id: f.giverId, recipient_id: f.recipientId, kind: f.kind, text: f.text, request_id: f.requestId, idempotency_key: f.idempotencyKey })
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

    async request(
      r: { orgId: string; requesterId: string; topic: string; idempotencyKey: string; platform: Platform },
      notificationsFor: (requestId: string) => OutgoingNotification[],
    ): Promise<RecordedNotification[]> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('feedback_requests')
          .values({ org_id: r.orgId, requester_id: r.requesterId, topic: r.topic, idempotency_key: r.idempotencyKey })
          .onConflict((oc) => oc.columns(['org_id', 'idempotency_key']).doNothing())
          .returning('id')
          .executeTakeFirst();
        return row ? recordNotificationsToSend(trx, r.orgId, notificationsFor(row.id)) : [];
      });
    },

    async requestById(orgId: string, requestId: string) {
      return db
        .selectFrom('feedback_requests')
        .innerJoin('people', 'people.id', 'feedback_requests.requester_id')
        .select(['feedback_requests.id', 'feedback_requests.topic', 'feedback_requests.requester_id', 'people.display_name as requester_name'])
        .where('feedback_requests.org_id', '=', orgId)
        .where('feedback_requests.id', '=', requestId)
        .executeTakeFirst();
    },

    async platformId(orgId: string, platform: Platform, personId: string): Promise<string | undefined> {
      return (await platformIdsOf(db, orgId, platform, [personId]))[0];
    },
  };
}

export type FeedbackQueries = ReturnType<typeof feedbackQueries>;
