import { sql } from 'kysely';
import type { OutgoingNotification } from '../../chat/ports';
import type { Db } from '../../db/connect';
import type { CycleAudience, ParticipantState, Platform, ReviewPhaseKind, ReviewQuestions } from '../../db/database';
import { type RecordedNotification, recordNotifications, recordNotificationsToSend } from '../../notify/notify.queries';
import type { PhaseDates } from './cycle-plan.rules';
import { type Move, type Moved, moveParticipant, openParticipant } from './participants.queries';
import { phaseQuestions, reviewQuestionsOf } from './review-questions.rules';

export interface NewCycle {
  orgId: string;
  name: string;
  audience: CycleAudience;
  repeatMonths: number | null;
  /** The cycle this one repeats (made by the scheduler), if any. */
  repeatsId: string | null;
  createdBy: string;
  idempotencyKey: string;
  platform: Platform;
  workspaceId: string;
  phases: PhaseDates[];
}

/** A participant as the scheduler and the progress view read them. */
export interface ParticipantRow {
  id: string;
  person_id: string;
  reviewer_id: string | null;
  state: ParticipantState;
  timezone: string;
  department: string | null;
  reviewer_timezone: string | null;
}

/** Who is in an audience now: active people, not bots (an empty list of departments or people is nobody). */
function audienceQuery(db: Db, orgId: string, audience: CycleAudience) {
  const q = db.selectFrom('people').select(['id', 'manager_id']).where('org_id', '=', orgId).where('active', '=', true).where('is_bot', '=', false);
  switch (audience.kind) {
    case 'everyone':
      return q;
    case 'departments':
      return audience.departments.length > 0 ? q.where('department', 'in', audience.departments) : q.where(sql<boolean>`false`);
    case 'people':
      return audience.personIds.length > 0 ? q.where('id', 'in', audience.personIds) : q.where(sql<boolean>`false`);
  }
}

export function cyclesQueries(db: Db) {
  const phasesOf = (orgId: string, cycleId: string) =>
    db
      .selectFrom('review_phases')
      .select(['kind', 'opens_on', 'due_on'])
      .where('org_id', '=', orgId)
      .where('cycle_id', '=', cycleId)
      .orderBy('opens_on')
      .orderBy('due_on')
      .execute();

  return {
    /** The departments people of the org are in, for the form to offer. */
    async departments(orgId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('people')
        .select('department')
        .distinct()
        .where('org_id', '=', orgId)
        .where('active', '=', true)
        .where('department', 'is not', null)
        .orderBy('department')
        .execute();
      return rows.map((r) => r.department!);
    },

    async audienceSize(orgId: string, audience: CycleAudience): Promise<number> {
      return (await audienceQuery(db, orgId, audience).execute()).length;
    },

    /** The org's review questions, which cycles made from now on copy (one statement: nothing half-written). */
    async saveQuestions(orgId: string, questions: ReviewQuestions): Promise<void> {
      await db
        .updateTable('orgs')
        .set({ review_questions: JSON.stringify(questions) })
        .where('id', '=', orgId)
        .execute();
    },

    /**
     * Creates the cycle, its phases (each with its copy of the org's review questions as they are
     * now, so HR's later edits leave it be) and its participants, with each one's manager as
     * reviewer, in one transaction. A repeat of the same submission (or a second repeat of one
     * cycle) creates nothing and returns the first one's id.
     */
    async create(c: NewCycle): Promise<{ id: string; created: boolean; participants: number }> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('review_cycles')
          .values({
            org_id: c.orgId,
            name: c.name,
            audience: JSON.stringify(c.audience),
            repeat_months: c.repeatMonths,
            repeats_id: c.repeatsId,
            created_by: c.createdBy,
            idempotency_key: c.idempotencyKey,
            platform: c.platform,
            workspace_id: c.workspaceId,
          })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row) {
          const first = await trx
            .selectFrom('review_cycles')
            .select('id')
            .where('org_id', '=', c.orgId)
            .where((eb) => eb.or([eb('idempotency_key', '=', c.idempotencyKey), ...(c.repeatsId ? [eb('repeats_id', '=', c.repeatsId)] : [])]))
            .executeTakeFirstOrThrow();
          const { n } = await trx
            .selectFrom('review_participants')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('cycle_id', '=', first.id)
            .executeTakeFirstOrThrow();
          return { id: first.id, created: false, participants: Number(n) };
        }
        const questions = reviewQuestionsOf(await trx.selectFrom('orgs').select('review_questions').where('id', '=', c.orgId).executeTakeFirstOrThrow());
        await trx
          .insertInto('review_phases')
          .values(
            c.phases.map((p) => ({
              cycle_id: row.id,
              org_id: c.orgId,
              kind: p.kind,
              opens_on: p.opensOn,
              due_on: p.dueOn,
              questions: JSON.stringify(phaseQuestions(questions, p.kind)),
            })),
          )
          .execute();
        const people = await audienceQuery(trx, c.orgId, c.audience).execute();
        if (people.length > 0) {
          await trx
            .insertInto('review_participants')
            .values(people.map((p) => ({ org_id: c.orgId, cycle_id: row.id, person_id: p.id, reviewer_id: p.manager_id })))
            .execute();
        }
        return { id: row.id, created: true, participants: people.length };
      });
    },

    /** The org's cycles, newest first, with how many are in each and how many signed off. */
    async list(orgId: string, limit: number) {
      return db
        .selectFrom('review_cycles as c')
        .leftJoin('review_participants as p', 'p.cycle_id', 'c.id')
        .select(['c.id', 'c.name', 'c.closed_at', 'c.created_at'])
        .select((eb) => [eb.fn.count<string>('p.id').as('participants'), eb.fn.count<string>('p.id').filterWhere('p.state', '=', 'signed').as('signed')])
        .where('c.org_id', '=', orgId)
        .groupBy('c.id')
        .orderBy('c.created_at', 'desc')
        .limit(limit)
        .execute();
    },

    async cycle(orgId: string, cycleId: string) {
      const cycle = await db.selectFrom('review_cycles').selectAll().where('org_id', '=', orgId).where('id', '=', cycleId).executeTakeFirst();
      return cycle ? { ...cycle, phases: await phasesOf(orgId, cycleId) } : undefined;
    },

    /** Every open cycle of every org, with the org's working hours: the scheduler's scan (see DESIGN.md, org scoping). */
    async open() {
      return db
        .selectFrom('review_cycles')
        .innerJoin('orgs', 'orgs.id', 'review_cycles.org_id')
        .selectAll('review_cycles')
        .select(['orgs.work_start_hour', 'orgs.work_end_hour'])
        .where('review_cycles.closed_at', 'is', null)
        .execute();
    },

    phases: phasesOf,

    /** The cycle's participants with what nudges and progress need: their timezone, department, reviewer and the reviewer's timezone. */
    async participants(orgId: string, cycleId: string): Promise<ParticipantRow[]> {
      return db
        .selectFrom('review_participants as p')
        .innerJoin('people as person', 'person.id', 'p.person_id')
        .leftJoin('people as reviewer', 'reviewer.id', 'p.reviewer_id')
        .select(['p.id', 'p.person_id', 'p.reviewer_id', 'p.state', 'person.timezone', 'person.department', 'reviewer.timezone as reviewer_timezone'])
        .where('p.org_id', '=', orgId)
        .where('p.cycle_id', '=', cycleId)
        .where('person.active', '=', true)
        .orderBy('person.display_name')
        .execute();
    },

    /** HR's later deadlines for single participants of the cycle, keyed `participant:kind`. */
    async overrides(orgId: string, cycleId: string): Promise<Map<string, string>> {
      const rows = await db
        .selectFrom('review_deadline_overrides as o')
        .innerJoin('review_participants as p', 'p.id', 'o.participant_id')
        .select(['o.participant_id', 'o.kind', 'o.due_on'])
        .where('o.org_id', '=', orgId)
        .where('p.cycle_id', '=', cycleId)
        .execute();
      return new Map(rows.map((r) => [`${r.participant_id}:${r.kind}`, r.due_on]));
    },

    /** The 360° requests asked for from the cycle, by participant: whether each closed. */
    async feedbackRequests(orgId: string, cycleId: string): Promise<Map<string, boolean>> {
      const rows = await db
        .selectFrom('feedback_360_requests as r')
        .innerJoin('review_participants as p', 'p.id', 'r.participant_id')
        .select(['r.participant_id', 'r.closed_at'])
        .where('r.org_id', '=', orgId)
        .where('p.cycle_id', '=', cycleId)
        .execute();
      const byParticipant = new Map<string, boolean>();
      for (const r of rows) byParticipant.set(r.participant_id!, (byParticipant.get(r.participant_id!) ?? false) || r.closed_at !== null);
      return byParticipant;
    },

    participant: (orgId: string, participantId: string) => openParticipant(db, orgId, participantId),

    /** The person's place in each open cycle: as the one reviewed, and as reviewer of others. */
    async tasksOf(orgId: string, personId: string) {
      const rows = await db
        .selectFrom('review_participants as p')
        .innerJoin('review_cycles as c', 'c.id', 'p.cycle_id')
        .innerJoin('people as person', 'person.id', 'p.person_id')
        .select(['p.id', 'p.person_id', 'p.reviewer_id', 'p.state', 'p.cycle_id', 'c.name as cycle_name', 'person.display_name'])
        .where('p.org_id', '=', orgId)
        .where('c.closed_at', 'is', null)
        .where('person.active', '=', true)
        .where((eb) => eb.or([eb('p.person_id', '=', personId), eb('p.reviewer_id', '=', personId)]))
        .orderBy('c.created_at')
        .orderBy('person.display_name')
        .execute();
      const cycleIds = [...new Set(rows.map((r) => r.cycle_id))];
      const phases =
        cycleIds.length === 0
          ? []
          : await db
              .selectFrom('review_phases')
              .select(['cycle_id', 'kind', 'opens_on', 'due_on'])
              .where('org_id', '=', orgId)
              .where('cycle_id', 'in', cycleIds)
              .orderBy('opens_on')
              .orderBy('due_on')
              .execute();
      const overrides =
        rows.length === 0
          ? []
          : await db
              .selectFrom('review_deadline_overrides')
              .select(['participant_id', 'kind', 'due_on'])
              .where('org_id', '=', orgId)
              .where(
                'participant_id',
                'in',
                rows.map((r) => r.id),
              )
              .execute();
      return { rows, phases, overrides: new Map(overrides.map((o) => [`${o.participant_id}:${o.kind}`, o.due_on])) };
    },

    /** The person's participations in open cycles whose phase of `kind` has opened by `today`, the latest opened first, with the phase's questions. */
    async inOpenPhase(orgId: string, personId: string, kind: ReviewPhaseKind, today: string) {
      return db
        .selectFrom('review_participants as p')
        .innerJoin('review_cycles as c', 'c.id', 'p.cycle_id')
        .innerJoin('review_phases as ph', (j) => j.onRef('ph.cycle_id', '=', 'p.cycle_id').on('ph.kind', '=', kind))
        .select(['p.id', 'ph.questions'])
        .where('p.org_id', '=', orgId)
        .where('p.person_id', '=', personId)
        .where('c.closed_at', 'is', null)
        .where('ph.opens_on', '<=', today)
        .orderBy('ph.opens_on', 'desc')
        .orderBy('c.created_at', 'desc')
        .execute();
    },

    /** Moves a participant (see `moveParticipant`), in a transaction of its own. */
    move: (move: Move): Promise<Moved> => db.transaction().execute((trx) => moveParticipant(trx, move)),

    /** A new deadline for the whole phase. */
    async extendPhase(orgId: string, cycleId: string, kind: ReviewPhaseKind, dueOn: string): Promise<void> {
      await db
        .updateTable('review_phases')
        .set({ due_on: dueOn })
        .where('org_id', '=', orgId)
        .where('cycle_id', '=', cycleId)
        .where('kind', '=', kind)
        .execute();
    },

    /** A deadline of the phase for one participant, replacing any earlier one of theirs. */
    async extendFor(orgId: string, participantId: string, kind: ReviewPhaseKind, dueOn: string, setBy: string): Promise<void> {
      await db
        .insertInto('review_deadline_overrides')
        .values({ org_id: orgId, participant_id: participantId, kind, due_on: dueOn, set_by: setBy })
        .onConflict((oc) => oc.columns(['participant_id', 'kind']).doUpdateSet({ due_on: dueOn, set_by: setBy }))
        .execute();
    },

    /** The participant of the cycle who is this person. */
    async participantOf(orgId: string, cycleId: string, personId: string) {
      return db
        .selectFrom('review_participants')
        .select(['id', 'state'])
        .where('org_id', '=', orgId)
        .where('cycle_id', '=', cycleId)
        .where('person_id', '=', personId)
        .executeTakeFirst();
    },

    /**
     * Records nudges for the job runner; each dedupe key once. Returns the new ones' ids. Every tick
     * works out each person's latest nudge again, so most are recorded already: those are left out
     * first, by key, rather than addressed and written again to be refused by the unique key.
     */
    async recordNudges(orgId: string, notifications: OutgoingNotification[]): Promise<string[]> {
      if (notifications.length === 0) return [];
      const recorded = await db
        .selectFrom('notifications')
        .select('dedupe_key')
        .where('org_id', '=', orgId)
        .where(sql<boolean>`dedupe_key = any(${notifications.map((n) => n.dedupeKey)}::text[])`)
        .execute();
      const known = new Set(recorded.map((r) => r.dedupe_key));
      const fresh = notifications.filter((n) => !known.has(n.dedupeKey));
      return fresh.length === 0 ? [] : recordNotifications(db, orgId, fresh);
    },

    /** Records reminders an HR admin asked for, to send from this process; a repeat (same day) records nothing. */
    async recordReminders(orgId: string, notifications: OutgoingNotification[]): Promise<RecordedNotification[]> {
      return notifications.length === 0 ? [] : recordNotificationsToSend(db, orgId, notifications);
    },

    async close(orgId: string, cycleId: string, at: Date): Promise<void> {
      await db
        .updateTable('review_cycles')
        .set({ closed_at: at })
        .where('org_id', '=', orgId)
        .where('id', '=', cycleId)
        .where('closed_at', 'is', null)
        .execute();
    },

    /** Repeating cycles of every org not repeated yet: the scheduler's scan. */
    async toRepeat() {
      return db
        .selectFrom('review_cycles as c')
        .selectAll('c')
        .where('c.repeat_months', 'is not', null)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('review_cycles as next').select('next.id').whereRef('next.repeats_id', '=', 'c.id'))))
        .execute();
    },
  };
}

export type CyclesQueries = ReturnType<typeof cyclesQueries>;
