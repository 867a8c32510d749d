import type { Kysely } from 'kysely';
import type { Platform } from '../../chat/interaction';
import type { OutgoingNotification } from '../../chat/ports';
import type { Database } from '../../db/database';
import { type RecordedNotification, recordNotificationsToSend } from '../../notify/notify.queries';
import { advisoryLock } from '../../db/locks';
import type { SelfAssessment } from './self-assessment.views';

type Db = Kysely<Database>;

export interface Saved {
  orgId: string;
  personId: string;
  platform: Platform;
  workspaceId: string;
  at: Date;
  assessment: SelfAssessment;
}

export function selfAssessmentQueries(db: Db) {
  async function assessment(trx: Db, orgId: string, id: string) {
    const head = await trx.selectFrom('self_assessments').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!head) return undefined;
    const goals = await trx
      .selectFrom('self_assessment_goals')
      .select(['goal_id as goalId', 'goal_title as title', 'rating', 'reflection'])
      .where('org_id', '=', orgId)
      .where('assessment_id', '=', id)
      .orderBy('goal_title')
      .execute();
    const assessment = {
      strengths: head.strengths,
      growth: head.growth,
      goals,
      competencies: head.competency_ratings,
      answers: head.answers,
    } satisfies SelfAssessment;
    return { ...head, assessment };
  }

  /** Writes the person's draft (made on first save), what it says replacing what it said; returns its id. */
  async function writeDraft(trx: Db, s: Saved): Promise<string> {
    const rated = JSON.stringify(s.assessment.competencies.flatMap(({ id, label, rating }) => (rating === null ? [] : [{ id, label, rating }])));
    const answers = JSON.stringify(s.assessment.answers.flatMap(({ id, label, text }) => (text === null ? [] : [{ id, label, text }])));
    const { id } = await trx
      .insertInto('self_assessments')
      .values({
        org_id: s.orgId,
        person_id: s.personId,
        strengths: s.assessment.strengths,
        growth: s.assessment.growth,
        updated_at: s.at,
        platform: s.platform,
        workspace_id: s.workspaceId,
        competency_ratings: rated,
        answers,
      })
      .onConflict((oc) =>
        oc
          .columns(['org_id', 'person_id'])
          .where('submitted_at', 'is', null)
          .doUpdateSet({ strengths: s.assessment.strengths, growth: s.assessment.growth, updated_at: s.at, competency_ratings: rated, answers }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('self_assessment_goals').where('org_id', '=', s.orgId).where('assessment_id', '=', id).execute();
    if (s.assessment.goals.length > 0) {
      await trx
        .insertInto('self_assessment_goals')
        .values(
          s.assessment.goals.map((g) => ({
            assessment_id: id,
            org_id: s.orgId,
            goal_id: g.goalId,
            goal_title: g.title,
            rating: g.rating,
            reflection: g.reflection,
          })),
        )
        .execute();
    }
    return id;
  }

  return {
    /** The person's draft, if they have one. */
    async draft(orgId: string, personId: string) {
      const row = await db
        .selectFrom('self_assessments')
        .select('id')
        .where('org_id', '=', orgId)
        .where('person_id', '=', personId)
        .where('submitted_at', 'is', null)
        .executeTakeFirst();
      return row ? assessment(db, orgId, row.id) : undefined;
    },

    /** The person's latest submitted one, if any: its id and when. */
    async lastSubmitted(orgId: string, personId: string) {
      const row = await db
        .selectFrom('self_assessments')
        .select(['id', 'submitted_at'])
        .where('org_id', '=', orgId)
        .where('person_id', '=', personId)
        .where('submitted_at', 'is not', null)
        .orderBy('submitted_at', 'desc')
        .executeTakeFirst();
      return row?.submitted_at ? { id: row.id, submittedAt: row.submitted_at } : undefined;
    },

    byId: (orgId: string, id: string) => assessment(db, orgId, id),

    /** The 360° competencies the person rated in their latest submitted self-assessment, if any, and when it was submitted. */
    async latestCompetencyRatings(orgId: string, personId: string): Promise<{ ratings: Record<string, number>; submittedAt: Date } | undefined> {
      const row = await db
        .selectFrom('self_assessments')
        .select(['competency_ratings', 'submitted_at'])
        .where('org_id', '=', orgId)
        .where('person_id', '=', personId)
        .where('submitted_at', 'is not', null)
        .orderBy('submitted_at', 'desc')
        .executeTakeFirst();
      if (!row?.submitted_at || row.competency_ratings.length === 0) return undefined;
      return { ratings: Object.fromEntries(row.competency_ratings.map((c) => [c.id, c.rating])), submittedAt: row.submitted_at };
    },

    async saveDraft(s: Saved): Promise<void> {
      await db.transaction().execute((trx) => writeDraft(trx, s));
    },

    /**
     * Writes and locks the draft, and records the manager's notice, in one transaction. Submits of one
     * person take turns; one delivered twice (a double click, a retry) finds itself done and records nothing.
     */
    async submit(
      s: Saved,
      idempotencyKey: string,
      noticeFor: (assessmentId: string) => OutgoingNotification | undefined,
    ): Promise<{ id: string; recorded: RecordedNotification[] } | undefined> {
      return db.transaction().execute(async (trx) => {
        await advisoryLock(trx, `self-assessment:${s.orgId}:${s.personId}`);
        const done = await trx
          .selectFrom('self_assessments')
          .select('id')
          .where('org_id', '=', s.orgId)
          .where('submitted_key', '=', idempotencyKey)
          .executeTakeFirst();
        if (done) return undefined;
        const id = await writeDraft(trx, s);
        const locked = await trx
          .updateTable('self_assessments')
          .set({ submitted_at: s.at, submitted_key: idempotencyKey })
          .where('org_id', '=', s.orgId)
          .where('id', '=', id)
          .where('submitted_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (!locked) return undefined;
        const notice = noticeFor(id);
        return { id, recorded: notice ? await recordNotificationsToSend(trx, s.orgId, [notice]) : [] };
      });
    },
  };
}

export type SelfAssessmentQueries = ReturnType<typeof selfAssessmentQueries>;
