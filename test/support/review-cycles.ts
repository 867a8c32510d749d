import type { RunningApp } from '../../src/app';
import type { Clock } from '../../src/chat/ports';
import type { Db } from '../../src/db/connect';
import type { ParticipantState, Platform, QuestionSet, ReviewPhaseKind } from '../../src/db/database';
import { reviewCyclesTick } from '../../src/features/reviews/cycles.jobs';
import { type RosterMember, cardValues, personalChat, rosterOf } from './connector-stub';
import type { fakeClock } from './fake-clock';
import { runTicks } from './schedules';
import { type TeamsTestApp, sayToBot, startTeamsTestApp } from './teams-app';

/** A phase as a test wants it: its kind and dates. */
export interface SeededPhase {
  kind: ReviewPhaseKind;
  opensOn: string;
  dueOn: string;
}

export interface SeededParticipant {
  /** Whose review: a person's display name in the org. */
  name: string;
  /** Their reviewer's display name (their manager when the cycle started). */
  reviewer: string;
  /** Where their review stands; not started when left out. */
  state?: ParticipantState;
  /** A manager review submitted with this rating and potential (none when left out). */
  review?: { rating: number; potential: number | null };
}

const NO_QUESTIONS: QuestionSet = { competencies: [], questions: [] };
const ALL_YEAR: SeededPhase[] = (['self_assessment', 'manager_review', 'calibration', 'sign_off'] as const).map((kind) => ({
  kind,
  opensOn: '2026-01-01',
  dueOn: '2026-12-31',
}));

/**
 * A review cycle as HR's creation and the managers' reviews leave it (those are tested with their own
 * features): the cycle, its phases (all four over 2026 unless given; only the manager review has
 * questions), its participants in their states, and their submitted manager reviews. Rows only, so
 * the tests of what builds on it drive nothing of what came before. People are named as in the org.
 */
export async function seedReviewCycle(
  db: Db,
  o: {
    name: string;
    platform: Platform;
    workspaceId: string;
    createdBy: string;
    phases?: SeededPhase[];
    questions?: QuestionSet;
    participants: SeededParticipant[];
  },
): Promise<{ cycleId: string; participantOf: (name: string) => string }> {
  const people = await db.selectFrom('people').select(['id', 'org_id', 'display_name']).execute();
  const called = (name: string) => {
    const found = people.find((p) => p.display_name === name);
    if (!found) throw new Error(`no one called ${name}`);
    return found;
  };
  const orgId = called(o.createdBy).org_id;
  const cycle = await db
    .insertInto('review_cycles')
    .values({
      org_id: orgId,
      name: o.name,
      audience: JSON.stringify({ kind: 'people', personIds: o.participants.map((p) => called(p.name).id) }),
      created_by: called(o.createdBy).id,
      idempotency_key: `seed:${o.name}`,
      platform: o.platform,
      workspace_id: o.workspaceId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('review_phases')
    .values(
      (o.phases ?? ALL_YEAR).map((p) => ({
        cycle_id: cycle.id,
        org_id: orgId,
        kind: p.kind,
        opens_on: p.opensOn,
        due_on: p.dueOn,
        questions: JSON.stringify(p.kind === 'manager_review' ? (o.questions ?? NO_QUESTIONS) : NO_QUESTIONS),
      })),
    )
    .execute();
  const participantIds = new Map<string, string>();
  for (const p of o.participants) {
    const { id } = await db
      .insertInto('review_participants')
      .values({ org_id: orgId, cycle_id: cycle.id, person_id: called(p.name).id, reviewer_id: called(p.reviewer).id, state: p.state })
      .returning('id')
      .executeTakeFirstOrThrow();
    participantIds.set(p.name, id);
    if (p.review) {
      await db
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
  const participantOf = (name: string) => {
    const id = participantIds.get(name);
    if (!id) throw new Error(`${name} is not in the cycle`);
    return id;
  };
  return { cycleId: cycle.id, participantOf };
}

/** Hana (HR), Maya and Ana, who reports to Maya, all in Paris, in Teams: Ana and Maya have met the bot in their 1:1 chats. */
export async function startTeamsReviewTeam(clock: Clock): Promise<TeamsTestApp & { roster: RosterMember[] }> {
  const roster = rosterOf('Hana Hr', 'Maya Manager', 'Ana Lopez');
  const member = (id: string) => roster.find((m) => m.id === `29:${id}`)!;
  const running = await startTeamsTestApp({
    roster,
    clock,
    env: { HR_ADMIN_EMAILS: 'hana@contoso.test' },
    timezones: { '29:hana': 'Europe/Paris', '29:ana': 'Europe/Paris', '29:maya': 'Europe/Paris' },
  });
  await sayToBot(running, '29:hana', 'hepo org <at>Ana Lopez</at> manager <at>Maya Manager</at>', [member('ana'), member('maya')]);
  for (const id of ['ana', 'maya']) await sayToBot(running, `29:${id}`, 'review');
  return { ...running, roster };
}

/** Hana creates a cycle for everyone from the quarterly template, in a Teams dialog; the form's values, as sent. */
export async function createQuarterlyCycleInTeams(running: TeamsTestApp, name: string): Promise<Record<string, string>> {
  const chat = personalChat(running.stub, '29:hana');
  const [offer] = (await sayToBot(running, '29:hana', 'review cycle new')).slice(-1);
  const form = (await running.teams.fetchTask(chat, '29:hana', offer!, 'Quarterly review')).body.task.value.card.content;
  const values = cardValues(form, { name, audience: 'everyone' });
  const created = await running.teams.submitTask(chat, '29:hana', form, values);
  if (!JSON.stringify(created.body).includes(name)) throw new Error(`the cycle form was not taken: ${JSON.stringify(created.body)}`);
  return values;
}

/** Mid-morning of `day` in Paris, the review team's timezone, when the review cycles tick sends what is due. */
export async function parisMorningTick(app: RunningApp, time: ReturnType<typeof fakeClock>, day: string): Promise<void> {
  time.set(`${day}T09:30:00Z`);
  await runTicks(app, reviewCyclesTick);
}
