import dayjs from 'dayjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { DEFAULT_REVIEW_QUESTIONS } from '../../src/features/reviews/review-questions.rules';
import { type ConnectorStub, cardActions, cardOf, personalChat, type teamsClient } from '../support/connector-stub';
import { fakeClock } from '../support/fake-clock';
import { createQuarterlyCycleInTeams, parisMorningTick, startTeamsReviewTeam } from '../support/review-cycles';
import type { TeamsTestApp } from '../support/teams-app';
import { until } from '../support/wait';

/** One cycle, from HR's first command to Ana's sign-off, only through what people do in Teams and the scheduler's ticks. */
describe('a review cycle from creation to sign-off, in Teams', () => {
  // Wednesday 2026-09-02: the quarterly template starts on Monday 2026-09-07. Everyone is in Paris.
  const time = fakeClock('2026-09-02T08:00:00Z');
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;
  let anaId: string;
  const chat = (id: string) => personalChat(stub, `29:${id}`);
  const posted = (id: string) => stub.postedTo(chat(id).conversationId);
  const latestWith = (id: string, title: string) =>
    posted(id)
      .filter((p) => cardActions(cardOf(p.activity)).some((a: any) => a.title === title))
      .at(-1);
  /** Ana's place in the cycle. */
  const participant = () => app.db.selectFrom('review_participants').selectAll().where('person_id', '=', anaId).executeTakeFirstOrThrow();
  const morningOf = (day: string) => parisMorningTick(app, time, day);

  beforeAll(async () => {
    running = await startTeamsReviewTeam(time.clock);
    ({ app, stub, teams } = running);
    anaId = (await app.db.selectFrom('people').select('id').where('display_name', '=', 'Ana Lopez').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => running?.close());

  it('walks every step: created, self-assessed, reviewed, shared, signed, closed, with each move in the trail', async () => {
    // HR creates the cycle from the quarterly template, for everyone, in a dialog.
    const values = await createQuarterlyCycleInTeams(running, 'Autumn review');
    const maya = await app.db.selectFrom('people').select('id').where('display_name', '=', 'Maya Manager').executeTakeFirstOrThrow();
    expect(await participant()).toMatchObject({ reviewer_id: maya.id, state: 'not_started' });

    // The self-assessment phase opens: Ana's 1:1 chat has the card with the button that starts it.
    await morningOf(values.self_assessment_opens!);
    await stub.waitFor(() => latestWith('ana', '📝 Self-assessment') !== undefined);
    const dialog = (await teams.fetchTask(chat('ana'), '29:ana', latestWith('ana', '📝 Self-assessment')!, '📝 Self-assessment')).body.task.value;
    const done = await teams.submitTask(chat('ana'), '29:ana', dialog.card.content, { strengths: 'Shipped the app', growth: 'Public speaking' });
    expect(JSON.stringify(done.body)).toContain('Self-assessment submitted and locked.');
    await until(async () => (await participant()).state === 'feedback_in');

    // The manager review phase opens: Maya writes Ana's review from her card.
    await morningOf(values.manager_review_opens!);
    await stub.waitFor(() => latestWith('maya', 'Write review 1') !== undefined);
    const writeCard = latestWith('maya', 'Write review 1')!;
    // The button turns the card into the review's form, in place.
    const opened = await teams.execute(chat('maya'), '29:maya', writeCard, 'Write review 1');
    const submitted = await teams.execute(chat('maya'), '29:maya', { id: writeCard.id, card: opened.body.value }, 'Submit', {
      overall: '4',
      ...Object.fromEntries(DEFAULT_REVIEW_QUESTIONS.manager_review.competencies.map((c) => [`rate_${c.id}`, '4'])),
      ...Object.fromEntries(DEFAULT_REVIEW_QUESTIONS.manager_review.questions.map((q) => [`answer_${q.id}`, `On ${q.id}: more of the same`])),
      narrative: 'A strong quarter: the app shipped.',
      potential: '2',
    });
    expect(JSON.stringify(submitted.body)).toContain('Review submitted and locked.');
    await until(async () => (await participant()).state === 'manager_drafted');

    // Maya shares it; Ana reads it and signs off (acknowledging, which the card says is not agreeing).
    await stub.waitFor(() => latestWith('maya', 'Share it with them') !== undefined);
    time.advance(60_000);
    await teams.execute(chat('maya'), '29:maya', latestWith('maya', 'Share it with them')!, 'Share it with them');
    const toAna = () => JSON.stringify(posted('ana').map((p) => cardOf(p.activity)));
    await stub.waitFor(() => latestWith('ana', 'Sign off') !== undefined && toAna().includes('A strong quarter: the app shipped.'));
    expect(toAna()).toContain("it doesn't say you agree");
    // In the order written: the review, then its answers with the buttons.
    const cards = posted('ana').map((p) => JSON.stringify(cardOf(p.activity)));
    expect(cards.findIndex((c) => c.includes('Performance review'))).toBeLessThan(cards.findIndex((c) => c.includes('Sign off')));
    time.advance(60_000);
    await teams.execute(chat('ana'), '29:ana', latestWith('ana', 'Sign off')!, 'Sign off');
    await until(async () => (await participant()).state === 'signed');

    // Every move is in the append-only trail, in order, each by the person who made it.
    const trail = await app.db
      .selectFrom('review_events')
      .select(['kind', 'from_state', 'to_state', 'actor_id'])
      .where('participant_id', '=', (await participant()).id)
      .orderBy('at')
      .execute();
    expect(trail.filter((e) => e.from_state !== e.to_state)).toEqual([
      { kind: 'self_submitted', from_state: 'not_started', to_state: 'feedback_in', actor_id: anaId },
      { kind: 'review_submitted', from_state: 'feedback_in', to_state: 'manager_drafted', actor_id: maya.id },
      { kind: 'shared', from_state: 'manager_drafted', to_state: 'shared', actor_id: maya.id },
      { kind: 'signed', from_state: 'shared', to_state: 'signed', actor_id: anaId },
    ]);

    // Hana and Maya had nobody to review them: the cycle closes once its sign-off is past due everywhere on Earth.
    await morningOf(dayjs(values.sign_off_due).add(2, 'day').format('YYYY-MM-DD'));
    await until(async () => (await app.db.selectFrom('review_cycles').select('closed_at').executeTakeFirstOrThrow()).closed_at !== null);
  });
});
