import type { Db } from '../../db/connect';
import type { ParticipantState, ReviewPhaseKind } from '../../db/database';
import { type ParticipantEvent, nextState } from './cycle.rules';

/** A move asked of a participant's state machine, with who made it and why. */
export interface Move {
  orgId: string;
  participantId: string;
  event: ParticipantEvent;
  /** Who caused it; null for the scheduler (a 360° closing at its due date). */
  actorId: string | null;
  at: Date;
  /** The delivery that caused it: a retried one moves nothing twice. */
  idempotencyKey?: string;
  reason?: string;
  /** The document as it stands after the move, where the move changed it. */
  snapshot?: unknown;
}

export type Moved =
  | { kind: 'moved'; from: ParticipantState; to: ParticipantState }
  /** Allowed, but the participant stays where they are (recorded all the same). */
  | { kind: 'stayed'; state: ParticipantState }
  /** Not allowed from where the participant stands: nothing written. */
  | { kind: 'refused'; state: ParticipantState }
  /** This delivery was recorded before. */
  | { kind: 'repeated' }
  | { kind: 'not_found' };

/** The org's participants, each with their cycle: its name, whether it repeats, whether it closed. */
export function participantsWithCycle(db: Db, orgId: string) {
  return db
    .selectFrom('review_participants as p')
    .innerJoin('review_cycles as c', 'c.id', 'p.cycle_id')
    .select(['p.id', 'p.org_id', 'p.person_id', 'p.reviewer_id', 'p.state', 'p.cycle_id', 'c.name as cycle_name', 'c.repeat_months', 'c.closed_at'])
    .where('p.org_id', '=', orgId);
}

/** The person's place in the newest of their open cycles: the review under way. */
export function currentParticipant(db: Db, orgId: string, personId: string) {
  return participantsWithCycle(db, orgId)
    .where('p.person_id', '=', personId)
    .where('c.closed_at', 'is', null)
    .orderBy('c.created_at', 'desc')
    .executeTakeFirst();
}

/** A participant of a cycle still open. */
export function openParticipant(db: Db, orgId: string, participantId: string) {
  return participantsWithCycle(db, orgId).where('p.id', '=', participantId).where('c.closed_at', 'is', null).executeTakeFirst();
}

/**
 * Moves a participant through the cycle's state machine and writes the audit row, in the caller's
 * transaction (so the document change that caused the move lands with it, or neither does). The
 * participant's row is locked first, so two moves at once are taken in turn.
 */
export async function moveParticipant(trx: Db, move: Move): Promise<Moved> {
  if (move.idempotencyKey && (await eventRecorded(trx, move.orgId, move.idempotencyKey))) return { kind: 'repeated' };
  const participant = await trx
    .selectFrom('review_participants')
    .select(['state', 'cycle_id'])
    .where('org_id', '=', move.orgId)
    .where('id', '=', move.participantId)
    .forUpdate()
    .executeTakeFirst();
  if (!participant) return { kind: 'not_found' };
  const phases = await trx.selectFrom('review_phases').select('kind').where('cycle_id', '=', participant.cycle_id).execute();
  const feedbackClosed = await feedbackClosedFor(trx, move.orgId, move.participantId);
  const to = nextState(participant.state, move.event, { phases: phases.map((p) => p.kind as ReviewPhaseKind), feedbackClosed });
  if (to === undefined) return { kind: 'refused', state: participant.state };
  if (to !== participant.state) {
    await trx.updateTable('review_participants').set({ state: to, updated_at: move.at }).where('id', '=', move.participantId).execute();
  }
  await trx
    .insertInto('review_events')
    .values({
      org_id: move.orgId,
      participant_id: move.participantId,
      actor_id: move.actorId,
      kind: move.event,
      from_state: participant.state,
      to_state: to,
      reason: move.reason ?? null,
      snapshot: move.snapshot === undefined ? null : JSON.stringify(move.snapshot),
      idempotency_key: move.idempotencyKey ?? null,
      at: move.at,
    })
    .execute();
  return to === participant.state ? { kind: 'stayed', state: to } : { kind: 'moved', from: participant.state, to };
}

/** Whether the delivery with this idempotency key wrote its review event already. */
export async function eventRecorded(trx: Db, orgId: string, idempotencyKey: string): Promise<boolean> {
  const seen = await trx.selectFrom('review_events').select('id').where('org_id', '=', orgId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return seen !== undefined;
}

/** Whether the participant's 360° feedback of this cycle closed: its `feedback_closed` event is in the trail. */
async function feedbackClosedFor(trx: Db, orgId: string, participantId: string): Promise<boolean> {
  const closed = await trx
    .selectFrom('review_events')
    .select('id')
    .where('org_id', '=', orgId)
    .where('participant_id', '=', participantId)
    .where('kind', '=', 'feedback_closed')
    .executeTakeFirst();
  return closed !== undefined;
}
