import { sql } from 'kysely';
import type { Db } from '../../db/connect';
import type { ParticipantState } from '../../db/database';
import { type CalibrationRow, calibratable } from './calibration.rules';
import { eventRecorded } from './participants.queries';

/** What a move asks: the person's new rating and/or potential, and why. */
export interface Calibration {
  orgId: string;
  cycleId: string;
  personId: string;
  actorId: string;
  rating: number | null;
  potential: number | null;
  reason: string;
  at: Date;
  /** The delivery that asked it: a double submit moves once. */
  idempotencyKey: string;
}

export interface Placed {
  rating: number | null;
  potential: number | null;
}

export type Calibrated =
  | { kind: 'moved'; from: Placed; to: Placed }
  | { kind: 'repeated' }
  | { kind: 'not_in_cycle' }
  /** The review isn't submitted yet, or is shared already: nothing written. */
  | { kind: 'not_calibratable'; state: ParticipantState; submitted: boolean };

/** People of the org with their department and manager: what a calibration group is drawn from. */
type ChartRow = { id: string; display_name: string; department: string | null; manager_id: string | null };

export function calibrationQueries(db: Db) {
  return {
    /** The org's open cycles that have a calibration phase, newest first. */
    async openCycles(orgId: string, limit: number) {
      return db
        .selectFrom('review_cycles')
        .select(['id', 'name'])
        .where('org_id', '=', orgId)
        .where('closed_at', 'is', null)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('review_phases')
              .select('kind')
              .whereRef('review_phases.cycle_id', '=', 'review_cycles.id')
              .where('review_phases.kind', '=', 'calibration'),
          ),
        )
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
    },

    async cycle(orgId: string, cycleId: string) {
      return db.selectFrom('review_cycles').select(['id', 'name', 'closed_at']).where('org_id', '=', orgId).where('id', '=', cycleId).executeTakeFirst();
    },

    /** The active people of the org (`below`: only those under this manager, at any depth). */
    async chart(orgId: string, below?: string): Promise<ChartRow[]> {
      if (below === undefined) {
        return db
          .selectFrom('people')
          .select(['id', 'display_name', 'department', 'manager_id'])
          .where('org_id', '=', orgId)
          .where('active', '=', true)
          .where('is_bot', '=', false)
          .execute();
      }
      const { rows } = await sql<ChartRow>`
        with recursive under(id, depth) as (
          select id, 1 from people where org_id = ${orgId} and manager_id = ${below}
          union all
          select p.id, under.depth + 1 from people p join under on p.manager_id = under.id
          where p.org_id = ${orgId} and under.depth < 50
        )
        select p.id, p.display_name, p.department, p.manager_id from people p join under on under.id = p.id
        where p.org_id = ${orgId} and p.active and not p.is_bot`.execute(db);
      return rows;
    },

    /** The cycle's participants among these people whose manager's review is submitted. */
    async reviewed(orgId: string, cycleId: string, personIds: string[]): Promise<CalibrationRow[]> {
      if (personIds.length === 0) return [];
      return db
        .selectFrom('review_participants as p')
        .innerJoin('manager_reviews as r', (j) => j.onRef('r.participant_id', '=', 'p.id').onRef('r.org_id', '=', 'p.org_id'))
        .select([
          'p.id as participantId',
          'p.person_id as personId',
          'p.reviewer_id as reviewerId',
          'p.state',
          'r.overall_rating as overall',
          'r.calibrated_rating as calibrated',
          'r.potential',
        ])
        .where('p.org_id', '=', orgId)
        .where('p.cycle_id', '=', cycleId)
        .where('p.person_id', 'in', personIds)
        .where('r.submitted_at', 'is not', null)
        .execute();
    },

    /**
     * Sets the person's calibrated rating and/or potential and writes its `calibrated` event (from →
     * to, reason, who), in one transaction with the participant's row locked, so moves are taken in
     * turn and a repeated delivery (the event's idempotency key) moves nothing.
     */
    async calibrate(c: Calibration): Promise<Calibrated> {
      return db.transaction().execute(async (trx) => {
        const participant = await trx
          .selectFrom('review_participants')
          .select(['id', 'state'])
          .where('org_id', '=', c.orgId)
          .where('cycle_id', '=', c.cycleId)
          .where('person_id', '=', c.personId)
          .forUpdate()
          .executeTakeFirst();
        if (!participant) return { kind: 'not_in_cycle' };
        if (await eventRecorded(trx, c.orgId, c.idempotencyKey)) return { kind: 'repeated' };
        const review = await trx
          .selectFrom('manager_reviews')
          .select(['overall_rating', 'calibrated_rating', 'potential', 'submitted_at'])
          .where('org_id', '=', c.orgId)
          .where('participant_id', '=', participant.id)
          .executeTakeFirst();
        if (!review?.submitted_at || !calibratable(participant.state)) {
          return { kind: 'not_calibratable', state: participant.state, submitted: Boolean(review?.submitted_at) };
        }
        const from: Placed = { rating: review.calibrated_rating ?? review.overall_rating, potential: review.potential };
        const to: Placed = { rating: c.rating ?? from.rating, potential: c.potential ?? from.potential };
        await trx
          .updateTable('manager_reviews')
          .set({ calibrated_rating: to.rating, potential: to.potential, updated_at: c.at })
          .where('org_id', '=', c.orgId)
          .where('participant_id', '=', participant.id)
          .execute();
        await trx
          .insertInto('review_events')
          .values({
            org_id: c.orgId,
            participant_id: participant.id,
            actor_id: c.actorId,
            kind: 'calibrated',
            from_state: participant.state,
            to_state: participant.state,
            reason: c.reason,
            snapshot: JSON.stringify({ from, to, managerRating: review.overall_rating }),
            idempotency_key: c.idempotencyKey,
            at: c.at,
          })
          .execute();
        return { kind: 'moved', from, to };
      });
    },
  };
}

export type CalibrationQueries = ReturnType<typeof calibrationQueries>;
