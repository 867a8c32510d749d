import type { Db } from '../../src/db/connect';
import type { QuestionSet, ReviewPhaseKind } from '../../src/db/database';

/** A phase as a test wants it: its kind and dates, the manager review's questions (others get none). */
export interface PhaseRow {
  kind: ReviewPhaseKind;
  opensOn: string;
  dueOn: string;
}

/**
 * A review cycle as HR would have started it (cycle creation is tested with its own feature): the
 * cycle, its phases and a participant per person, each with their reviewer. Returns the participants' ids by person id.
 */
export async function seedCycle(
  db: Db,
  o: {
    orgId: string;
    createdBy: string;
    name: string;
    platform: 'slack' | 'teams';
    workspaceId: string;
    questions: QuestionSet;
    phases: PhaseRow[];
    participants: Array<{ personId: string; reviewerId: string }>;
  },
): Promise<Map<string, string>> {
  const cycle = await db
    .insertInto('review_cycles')
    .values({
      org_id: o.orgId,
      name: o.name,
      audience: JSON.stringify({ kind: 'people', personIds: o.participants.map((p) => p.personId) }),
      created_by: o.createdBy,
      idempotency_key: `seed:${o.name}`,
      platform: o.platform,
      workspace_id: o.workspaceId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('review_phases')
    .values(
      o.phases.map((p) => ({
        cycle_id: cycle.id,
        org_id: o.orgId,
        kind: p.kind,
        opens_on: p.opensOn,
        due_on: p.dueOn,
        questions: JSON.stringify(p.kind === 'manager_review' ? o.questions : { competencies: [], questions: [] }),
      })),
    )
    .execute();
  const rows = await db
    .insertInto('review_participants')
    .values(o.participants.map((p) => ({ org_id: o.orgId, cycle_id: cycle.id, person_id: p.personId, reviewer_id: p.reviewerId })))
    .returning(['id', 'person_id'])
    .execute();
  return new Map(rows.map((r) => [r.person_id, r.id]));
}
