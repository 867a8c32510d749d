import type { Kysely } from 'kysely';
import type { Platform } from '../../chat/interaction';
import type { OutgoingNotification } from '../../chat/ports';
import type { Database, FeedbackRelationship as Relationship, QuestionSet } from '../../db/database';
import { advisoryLock } from '../../db/locks';
import { type RecordedNotification, recordNotifications, recordNotificationsToSend } from '../../notify/notify.queries';

type Db = Kysely<Database>;

export interface NewRequest {
  orgId: string;
  subjectId: string;
  requestedBy: string;
  dueOn: string;
  anonymous: boolean;
  minResponses: number;
  questions: QuestionSet;
  reviewers: Array<{ personId: string; relationship: Relationship }>;
  platform: Platform;
  workspaceId: string;
  idempotencyKey: string;
  /** The review cycle participant (the subject) it is asked for, from the cycle's 360° phase. */
  participantId?: string | null;
}

export function feedback360Queries(db: Db) {
  /** Closes the request if it is still open; true when this call closed it. */
  async function close(trx: Db, orgId: string, requestId: string, at: Date): Promise<boolean> {
    const closed = await trx
      .updateTable('feedback_360_requests')
      .set({ closed_at: at })
      .where('org_id', '=', orgId)
      .where('id', '=', requestId)
      .where('closed_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return closed !== undefined;
  }

  /** True when nobody is left to answer. */
  async function everyoneResponded(trx: Db, orgId: string, requestId: string): Promise<boolean> {
    const waiting = await trx
      .selectFrom('feedback_360_reviewers')
      .select('reviewer_id')
      .where('org_id', '=', orgId)
      .where('request_id', '=', requestId)
      .where('status', '=', 'invited')
      .executeTakeFirst();
    return waiting === undefined;
  }

  return {
    /** The org's set and smallest anonymous group, which new requests copy (one statement: nothing half-written). */
    async saveSettings(orgId: string, questions: QuestionSet, minResponses: number): Promise<void> {
      await db
        .updateTable('orgs')
        .set({ feedback_questions: JSON.stringify(questions), feedback_min_responses: minResponses })
        .where('id', '=', orgId)
        .execute();
    },

    /** Records the request, its reviewers and their invitations; a repeated delivery records nothing. */
    async create(r: NewRequest, invitationsFor: (requestId: string) => OutgoingNotification[]): Promise<RecordedNotification[]> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('feedback_360_requests')
          .values({
            org_id: r.orgId,
            subject_id: r.subjectId,
            requested_by: r.requestedBy,
            due_on: r.dueOn,
            anonymous: r.anonymous,
            min_responses: r.minResponses,
            questions: JSON.stringify(r.questions),
            platform: r.platform,
            workspace_id: r.workspaceId,
            idempotency_key: r.idempotencyKey,
            // Tied only to a participant who is the subject: the id came back through the platform.
            participant_id: r.participantId
              ? trx
                  .selectFrom('review_participants')
                  .select('id')
                  .where('org_id', '=', r.orgId)
                  .where('id', '=', r.participantId)
                  .where('person_id', '=', r.subjectId)
              : null,
          })
          .onConflict((oc) => oc.columns(['org_id', 'idempotency_key']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row) return [];
        await trx
          .insertInto('feedback_360_reviewers')
          .values(r.reviewers.map((v) => ({ request_id: row.id, org_id: r.orgId, reviewer_id: v.personId, relationship: v.relationship })))
          .execute();
        return recordNotificationsToSend(trx, r.orgId, invitationsFor(row.id));
      });
    },

    async request(orgId: string, requestId: string) {
      return db.selectFrom('feedback_360_requests').selectAll().where('org_id', '=', orgId).where('id', '=', requestId).executeTakeFirst();
    },

    /** The reviewer's place in the request, if they are one. */
    async reviewer(orgId: string, requestId: string, reviewerId: string) {
      return db
        .selectFrom('feedback_360_reviewers')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('request_id', '=', requestId)
        .where('reviewer_id', '=', reviewerId)
        .executeTakeFirst();
    },

    async reviewers(orgId: string, requestId: string) {
      return db.selectFrom('feedback_360_reviewers').selectAll().where('org_id', '=', orgId).where('request_id', '=', requestId).execute();
    },

    async draft(orgId: string, requestId: string, reviewerId: string): Promise<Record<string, string> | undefined> {
      const row = await db
        .selectFrom('feedback_360_drafts')
        .select('values')
        .where('org_id', '=', orgId)
        .where('request_id', '=', requestId)
        .where('reviewer_id', '=', reviewerId)
        .executeTakeFirst();
      return row?.values;
    },

    async saveDraft(orgId: string, requestId: string, reviewerId: string, values: Record<string, string>): Promise<void> {
      await db
        .insertInto('feedback_360_drafts')
        .values({ org_id: orgId, request_id: requestId, reviewer_id: reviewerId, values: JSON.stringify(values) })
        .onConflict((oc) => oc.columns(['request_id', 'reviewer_id']).doUpdateSet({ values: JSON.stringify(values) }))
        .execute();
    },

    /**
     * Records an answer, once: the reviewer's row goes from invited to answered and the answer is
     * written apart from it (with its author only when the request is not anonymous); the draft goes.
     * Returns whether it was recorded, and whether the request is now complete (closed by this call).
     */
    async answer(a: {
      orgId: string;
      requestId: string;
      reviewerId: string;
      relationship: Relationship;
      anonymous: boolean;
      ratings: Record<string, number>;
      texts: Record<string, string>;
      at: Date;
    }): Promise<{ recorded: boolean; closed: boolean }> {
      return db.transaction().execute(async (trx) => {
        await advisoryLock(trx, `feedback-360:${a.requestId}`);
        const marked = await trx
          .updateTable('feedback_360_reviewers')
          .set({ status: 'answered' })
          .where('org_id', '=', a.orgId)
          .where('request_id', '=', a.requestId)
          .where('reviewer_id', '=', a.reviewerId)
          .where('status', '=', 'invited')
          .returning('reviewer_id')
          .executeTakeFirst();
        if (!marked) return { recorded: false, closed: false };
        await trx
          .insertInto('feedback_360_answers')
          .values({
            request_id: a.requestId,
            org_id: a.orgId,
            relationship: a.relationship,
            ratings: JSON.stringify(a.ratings),
            texts: JSON.stringify(a.texts),
            reviewer_id: a.anonymous ? null : a.reviewerId,
          })
          .execute();
        await trx
          .deleteFrom('feedback_360_drafts')
          .where('org_id', '=', a.orgId)
          .where('request_id', '=', a.requestId)
          .where('reviewer_id', '=', a.reviewerId)
          .execute();
        const closed = (await everyoneResponded(trx, a.orgId, a.requestId)) && (await close(trx, a.orgId, a.requestId, a.at));
        return { recorded: true, closed };
      });
    },

    /** Declines, once, with the reason; returns the same as `answer`. */
    async decline(orgId: string, requestId: string, reviewerId: string, reason: string, at: Date): Promise<{ recorded: boolean; closed: boolean }> {
      return db.transaction().execute(async (trx) => {
        await advisoryLock(trx, `feedback-360:${requestId}`);
        const marked = await trx
          .updateTable('feedback_360_reviewers')
          .set({ status: 'declined', decline_reason: reason })
          .where('org_id', '=', orgId)
          .where('request_id', '=', requestId)
          .where('reviewer_id', '=', reviewerId)
          .where('status', '=', 'invited')
          .returning('reviewer_id')
          .executeTakeFirst();
        if (!marked) return { recorded: false, closed: false };
        await trx
          .deleteFrom('feedback_360_drafts')
          .where('org_id', '=', orgId)
          .where('request_id', '=', requestId)
          .where('reviewer_id', '=', reviewerId)
          .execute();
        const closed = (await everyoneResponded(trx, orgId, requestId)) && (await close(trx, orgId, requestId, at));
        return { recorded: true, closed };
      });
    },

    /** The answers, as the report reads them: their group and content, and an author only where not anonymous. */
    async answers(orgId: string, requestId: string) {
      return db
        .selectFrom('feedback_360_answers')
        .leftJoin('people', 'people.id', 'feedback_360_answers.reviewer_id')
        .select(['feedback_360_answers.relationship', 'feedback_360_answers.ratings', 'feedback_360_answers.texts', 'people.display_name as reviewer_name'])
        .where('feedback_360_answers.org_id', '=', orgId)
        .where('feedback_360_answers.request_id', '=', requestId)
        .execute();
    },

    /** Open requests the person has yet to answer, due soonest first. */
    async waitingFor(orgId: string, personId: string, limit: number) {
      return db
        .selectFrom('feedback_360_reviewers as r')
        .innerJoin('feedback_360_requests as q', 'q.id', 'r.request_id')
        .select(['q.id', 'q.subject_id', 'q.requested_by', 'q.due_on', 'q.anonymous', 'r.relationship'])
        .where('r.org_id', '=', orgId)
        .where('q.org_id', '=', orgId)
        .where('r.reviewer_id', '=', personId)
        .where('r.status', '=', 'invited')
        .where('q.closed_at', 'is', null)
        .orderBy('q.due_on')
        .limit(limit)
        .execute();
    },

    /** Open requests of every org, for the tick (the scheduler's scan: see DESIGN.md, org scoping). */
    async open() {
      return db.selectFrom('feedback_360_requests').selectAll().where('closed_at', 'is', null).execute();
    },

    closeAt: (orgId: string, requestId: string, at: Date) => db.transaction().execute((trx) => close(trx, orgId, requestId, at)),

    /** Marks the reviewers still to answer as reminded and records their reminders, once. */
    async remind(orgId: string, requestId: string, reminderFor: (reviewerId: string) => OutgoingNotification): Promise<string[]> {
      return db.transaction().execute(async (trx) => {
        const due = await trx
          .updateTable('feedback_360_reviewers')
          .set({ reminded: true })
          .where('org_id', '=', orgId)
          .where('request_id', '=', requestId)
          .where('status', '=', 'invited')
          .where('reminded', '=', false)
          .where('relationship', '!=', 'self')
          .returning('reviewer_id')
          .execute();
        return due.length === 0
          ? []
          : recordNotifications(
              trx,
              orgId,
              due.map((r) => reminderFor(r.reviewer_id)),
            );
      });
    },

    /** Records the report's notifications (one per reader, once per request). */
    async recordReport(orgId: string, notifications: OutgoingNotification[]): Promise<string[]> {
      return notifications.length === 0 ? [] : recordNotifications(db, orgId, notifications);
    },
  };
}

export type Feedback360Queries = ReturnType<typeof feedback360Queries>;
