import type { OutgoingNotification } from '../../chat/ports';
import type { Db } from '../../db/connect';
import type { ParticipantState } from '../../db/database';
import { type RecordedNotification, recordNotificationsToSend } from '../../notify/notify.queries';
import type { ParticipantEvent } from './cycle.rules';
import type { ReviewDocument } from './manager-review.views';
import { currentParticipant, eventRecorded, moveParticipant, participantsWithCycle } from './participants.queries';

/** A change of the review by someone, at a time, delivered once (`key`). */
export interface Change {
  orgId: string;
  participantId: string;
  actorId: string;
  at: Date;
  key: string;
}

/** The document as a version of it is kept in the trail. */
export type Snapshot = ReviewDocument & { version: number };

/** What a write of the review came to. */
export type Written =
  | { kind: 'written'; version: number; recorded: RecordedNotification[] }
  /** Past the point where this is possible (submitted, signed): nothing written. */
  | { kind: 'locked'; state: ParticipantState }
  /** This delivery was recorded before. */
  | { kind: 'repeated' }
  | { kind: 'not_found' };

const FINISHED: ParticipantState[] = ['shared', 'signed'];

export function managerReviewQueries(db: Db) {
  /** The participant's row, locked for the rest of the transaction, with their review. */
  async function locked(trx: Db, orgId: string, participantId: string) {
    const participant = await trx
      .selectFrom('review_participants')
      .select(['state', 'person_id'])
      .where('org_id', '=', orgId)
      .where('id', '=', participantId)
      .forUpdate()
      .executeTakeFirst();
    if (!participant) return undefined;
    const review = await trx
      .selectFrom('manager_reviews')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    return { ...participant, review };
  }

  async function event(trx: Db, c: Change, kind: string, snapshot?: unknown): Promise<void> {
    await trx
      .insertInto('review_events')
      .values({
        org_id: c.orgId,
        participant_id: c.participantId,
        actor_id: c.actorId,
        kind,
        snapshot: snapshot === undefined ? null : JSON.stringify(snapshot),
        idempotency_key: c.key,
        at: c.at,
      })
      .execute();
  }

  /** Writes the document as `version`, made on the first save. */
  async function writeDocument(trx: Db, c: Change, d: ReviewDocument, version: number, submitted: boolean): Promise<void> {
    const columns = {
      overall_rating: d.overall,
      potential: d.potential,
      ratings: JSON.stringify(d.ratings),
      answers: JSON.stringify(d.answers),
      narrative: d.narrative,
      version,
      updated_at: c.at,
      ...(submitted ? { submitted_at: c.at } : {}),
    };
    await trx
      .insertInto('manager_reviews')
      .values({ participant_id: c.participantId, org_id: c.orgId, ...columns })
      .onConflict((oc) => oc.column('participant_id').doUpdateSet(columns))
      .execute();
  }

  /** A state move with the document change it causes (`write`), in one transaction: both land, or neither. */
  async function move(
    c: Change,
    transition: ParticipantEvent,
    write: (trx: Db, review: NonNullable<Awaited<ReturnType<typeof locked>>>['review']) => Promise<{ snapshot?: unknown; notices: OutgoingNotification[] }>,
  ): Promise<Written> {
    return db
      .transaction()
      .execute(async (trx): Promise<Written> => {
        const found = await locked(trx, c.orgId, c.participantId);
        if (!found) return { kind: 'not_found' };
        if (await eventRecorded(trx, c.orgId, c.key)) return { kind: 'repeated' };
        const prepared = await write(trx, found.review);
        const moved = await moveParticipant(trx, {
          orgId: c.orgId,
          participantId: c.participantId,
          event: transition,
          actorId: c.actorId,
          at: c.at,
          idempotencyKey: c.key,
          snapshot: prepared.snapshot,
        });
        // The document change goes with the move, or not at all: throwing rolls it back.
        if (moved.kind === 'refused') throw new Refused(moved.state);
        if (moved.kind !== 'moved' && moved.kind !== 'stayed') return { kind: moved.kind };
        return { kind: 'written', version: found.review?.version ?? 0, recorded: await recordNotificationsToSend(trx, c.orgId, prepared.notices) };
      })
      .catch((error: unknown): Written => {
        if (error instanceof Refused) return { kind: 'locked', state: error.state };
        throw error;
      });
  }

  /** A move that stamps when it happened on the review, with the messages it sends. */
  const stampedMove = (c: Change, transition: 'shared' | 'signed', column: 'shared_at' | 'signed_at', notices: OutgoingNotification[]) =>
    move(c, transition, async (trx) => {
      await trx
        .updateTable('manager_reviews')
        .set({ [column]: c.at, updated_at: c.at })
        .where('org_id', '=', c.orgId)
        .where('participant_id', '=', c.participantId)
        .execute();
      return { notices };
    });

  return {
    /** The person's place in the latest cycle still open. */
    currentOf: (orgId: string, personId: string) => currentParticipant(db, orgId, personId),

    /** The person's latest review that reached them (shared or signed), open cycle or not. */
    async finishedOf(orgId: string, personId: string) {
      return participantsWithCycle(db, orgId)
        .where('p.person_id', '=', personId)
        .where('p.state', 'in', FINISHED)
        .orderBy('c.created_at', 'desc')
        .executeTakeFirst();
    },

    /** The person's place in their latest cycle, open or closed. */
    async latestOf(orgId: string, personId: string) {
      return participantsWithCycle(db, orgId).where('p.person_id', '=', personId).orderBy('c.created_at', 'desc').executeTakeFirst();
    },

    async participant(orgId: string, participantId: string) {
      return participantsWithCycle(db, orgId).where('p.id', '=', participantId).executeTakeFirst();
    },

    async phases(orgId: string, cycleId: string) {
      return db.selectFrom('review_phases').selectAll().where('org_id', '=', orgId).where('cycle_id', '=', cycleId).execute();
    },

    async review(orgId: string, participantId: string) {
      return db.selectFrom('manager_reviews').selectAll().where('org_id', '=', orgId).where('participant_id', '=', participantId).executeTakeFirst();
    },

    /** Records messages about a review (its context for the manager), each once by its dedupe key. */
    record: (orgId: string, notifications: OutgoingNotification[]) => recordNotificationsToSend(db, orgId, notifications),

    /** Saves the draft as its next version, with a `draft_saved` row in the trail; nothing once submitted. */
    async saveDraft(c: Change, d: ReviewDocument): Promise<Written> {
      return db.transaction().execute(async (trx): Promise<Written> => {
        const found = await locked(trx, c.orgId, c.participantId);
        if (!found) return { kind: 'not_found' };
        if (found.review?.submitted_at) return { kind: 'locked', state: found.state };
        if (await eventRecorded(trx, c.orgId, c.key)) return { kind: 'repeated' };
        const version = (found.review?.version ?? 0) + 1;
        await writeDocument(trx, c, d, version, false);
        await event(trx, c, 'draft_saved', { ...d, version } satisfies Snapshot);
        return { kind: 'written', version, recorded: [] };
      });
    },

    /** Submits the review (`review_submitted`, its version in the trail) and records the manager's note to share it. */
    async submit(c: Change, d: ReviewDocument, notice: OutgoingNotification): Promise<Written> {
      let version = 0;
      const written = await move(c, 'review_submitted', async (trx, review) => {
        if (review?.submitted_at) throw new Refused('manager_drafted');
        version = (review?.version ?? 0) + 1;
        await writeDocument(trx, c, d, version, true);
        return { snapshot: { ...d, version } satisfies Snapshot, notices: [notice] };
      });
      return written.kind === 'written' ? { ...written, version } : written;
    },

    /** Shares the submitted review with the person: their messages are recorded with the move. */
    share: (c: Change, notices: OutgoingNotification[]) => stampedMove(c, 'shared', 'shared_at', notices),

    /** The person's comment, until they sign off. */
    async comment(c: Change, comment: string): Promise<Written> {
      return db.transaction().execute(async (trx): Promise<Written> => {
        const found = await locked(trx, c.orgId, c.participantId);
        if (!found) return { kind: 'not_found' };
        if (found.state !== 'shared') return { kind: 'locked', state: found.state };
        if (await eventRecorded(trx, c.orgId, c.key)) return { kind: 'repeated' };
        await trx
          .updateTable('manager_reviews')
          .set({ employee_comment: comment, updated_at: c.at })
          .where('org_id', '=', c.orgId)
          .where('participant_id', '=', c.participantId)
          .execute();
        await event(trx, c, 'commented', { comment });
        return { kind: 'written', version: found.review?.version ?? 0, recorded: [] };
      });
    },

    /** Signs the review off, locking it, and records the manager's notice. */
    sign: (c: Change, notices: OutgoingNotification[]) => stampedMove(c, 'signed', 'signed_at', notices),

    /** The review's trail, oldest first. */
    async trail(orgId: string, participantId: string) {
      return db
        .selectFrom('review_events')
        .select(['actor_id', 'kind', 'snapshot', 'at'])
        .where('org_id', '=', orgId)
        .where('participant_id', '=', participantId)
        .orderBy('at')
        .execute();
    },

    /** The person's latest closed 360° request since `since` (its report is `buildReport`'s to make). */
    async feedback360Since(orgId: string, personId: string, since: Date) {
      return db
        .selectFrom('feedback_360_requests as r')
        .select((eb) => [
          'r.id',
          'r.closed_at',
          eb.selectFrom('feedback_360_answers as a').select(eb.fn.countAll<string>().as('n')).whereRef('a.request_id', '=', 'r.id').as('answers'),
        ])
        .where('r.org_id', '=', orgId)
        .where('r.subject_id', '=', personId)
        .where('r.closed_at', '>=', since)
        .orderBy('r.closed_at', 'desc')
        .executeTakeFirst();
    },

    /** The person's check-ins since `since`: how many asked and answered, and their mood answers (each out of its scale). */
    async checkinsSince(orgId: string, personId: string, since: Date) {
      const [counts, moods] = await Promise.all([
        db
          .selectFrom('checkin_prompts')
          .select((eb) => [eb.fn.countAll<string>().as('asked'), eb.fn.count<string>('answered_at').as('answered')])
          .where('org_id', '=', orgId)
          .where('person_id', '=', personId)
          .where('due_at', '>=', since)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('checkin_answers as a')
          .innerJoin('checkin_prompts as p', 'p.id', 'a.prompt_id')
          .innerJoin('checkin_questions as q', 'q.id', 'a.question_id')
          .select(['a.value', 'q.options'])
          .where('a.org_id', '=', orgId)
          .where('p.person_id', '=', personId)
          .where('p.due_at', '>=', since)
          .where('q.role', '=', 'mood')
          .execute(),
      ]);
      return { asked: Number(counts.asked), answered: Number(counts.answered), moods };
    },

    /** Kudos the person received since `since`: how many, and the latest few. */
    async kudosSince(orgId: string, personId: string, since: Date, latest: number) {
      const received = db
        .selectFrom('kudos_recipients as r')
        .innerJoin('kudos as k', 'k.id', 'r.kudos_id')
        .where('r.org_id', '=', orgId)
        .where('r.person_id', '=', personId)
        .where('k.created_at', '>=', since);
      const [count, rows] = await Promise.all([
        received.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
        received.select(['k.giver_id', 'k.message', 'k.created_at']).orderBy('k.created_at', 'desc').limit(latest).execute(),
      ]);
      return { count: Number(count.n), latest: rows };
    },
  };
}

/** A move the state machine refuses: the transaction is rolled back, the document unchanged. */
class Refused extends Error {
  constructor(readonly state: ParticipantState) {
    super(`refused from ${state}`);
  }
}

export type ManagerReviewQueries = ReturnType<typeof managerReviewQueries>;
