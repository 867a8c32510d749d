import type { RunningApp } from '../../src/app';
import type { ParticipantState, Platform, ReviewPhaseKind } from '../../src/db/database';

export interface SeededParticipant {
  /** Whose review: a person's display name in the org. */
  name: string;
  /** Their reviewer's display name (their manager when the cycle started). */
  reviewer: string;
  state: ParticipantState;
  /** A manager review submitted with this rating and potential (none when left out). */
  review?: { rating: number; potential: number | null };
}

/**
 * A review cycle as cycle creation and the manager's review leave it (those are other features'):
 * its phases, its participants in their states, and their submitted manager reviews. Rows only, so
 * the tests of what builds on it drive nothing of what came before.
 */
export async function seedReviewCycle(
  app: RunningApp,
  o: { name: string; platform: Platform; workspaceId: string; createdBy: string; phases?: ReviewPhaseKind[]; participants: SeededParticipant[] },
): Promise<{ cycleId: string; participantOf: (name: string) => string }> {
  const people = await app.db.selectFrom('people').select(['id', 'org_id', 'display_name']).execute();
  const idOf = (name: string) => {
    const found = people.find((p) => p.display_name === name);
    if (!found) throw new Error(`no one called ${name}`);
    return found;
  };
  const orgId = idOf(o.createdBy).org_id;
  const cycle = await app.db
    .insertInto('review_cycles')
    .values({
      org_id: orgId,
      name: o.name,
      audience: JSON.stringify({ kind: 'everyone' }),
      repeat_months: null,
      repeats_id: null,
      created_by: idOf(o.createdBy).id,
      idempotency_key: `seed:${o.name}`,
      closed_at: null,
      platform: o.platform,
      workspace_id: o.workspaceId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const phases = o.phases ?? ['self_assessment', 'manager_review', 'calibration', 'sign_off'];
  await app.db
    .insertInto('review_phases')
    .values(
      phases.map((kind) => ({
        cycle_id: cycle.id,
        org_id: orgId,
        kind,
        opens_on: '2026-01-01',
        due_on: '2026-12-31',
        questions: JSON.stringify({ competencies: [], questions: [] }),
      })),
    )
    .execute();
  const participantIds = new Map<string, string>();
  for (const p of o.participants) {
    const { id } = await app.db
      .insertInto('review_participants')
      .values({ org_id: orgId, cycle_id: cycle.id, person_id: idOf(p.name).id, reviewer_id: idOf(p.reviewer).id, state: p.state })
      .returning('id')
      .executeTakeFirstOrThrow();
    participantIds.set(p.name, id);
    if (p.review) {
      await app.db
        .insertInto('manager_reviews')
        .values({
          participant_id: id,
          org_id: orgId,
          overall_rating: p.review.rating,
          calibrated_rating: null,
          potential: p.review.potential,
          narrative: 'Seeded review',
          employee_comment: null,
          submitted_at: new Date('2026-01-01T00:00:00Z'),
          shared_at: null,
          signed_at: null,
          updated_at: new Date('2026-01-01T00:00:00Z'),
        })
        .execute();
    }
  }
  return { cycleId: cycle.id, participantOf: (name) => participantIds.get(name)! };
}
