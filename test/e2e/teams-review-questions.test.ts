import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { DEFAULT_REVIEW_QUESTIONS } from '../../src/features/reviews/review-questions.rules';
import { type ConnectorStub, cardActions, cardOf, cardProblems, personalChat, type teamsClient } from '../support/connector-stub';
import { fakeClock } from '../support/fake-clock';
import { createQuarterlyCycleInTeams, parisMorningTick, startTeamsReviewTeam } from '../support/review-cycles';
import { type TeamsTestApp, sayToBot } from '../support/teams-app';
import { until } from '../support/wait';

const EDITED = {
  competencies: 'Results: delivered what was agreed, to the standard agreed\nMentoring',
  questions: 'What comes next?',
  self_questions: 'What are you proudest of?\nWhat slowed you down?',
};

/** HR edits the review questions in Teams; a cycle created afterwards asks them, one created before keeps its own. */
describe('the org’s review questions in Teams', () => {
  // Wednesday 2026-09-02: the quarterly template starts on Monday 2026-09-07. Everyone is in Paris.
  const time = fakeClock('2026-09-02T08:00:00Z');
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;
  const chat = (id: string) => personalChat(stub, `29:${id}`);
  const posted = (id: string) => stub.postedTo(chat(id).conversationId);
  const say = async (id: string, text: string) => (await sayToBot(running, `29:${id}`, text)).at(-1)!;
  const textOf = (value: unknown) => JSON.stringify(value);
  const inputs = (card: any) => card.body.filter((e: any) => e.type.startsWith('Input.'));
  const orgQuestions = async () => (await app.db.selectFrom('orgs').select('review_questions').executeTakeFirstOrThrow()).review_questions;
  const morningOf = (day: string) => parisMorningTick(app, time, day);

  beforeAll(async () => {
    running = await startTeamsReviewTeam(time.clock);
    ({ app, stub, teams } = running);
  });
  afterAll(() => running?.close());

  /** HR creates a cycle for everyone from the quarterly template, in a dialog; its id and its form's values. */
  async function createCycle(name: string) {
    const values = await createQuarterlyCycleInTeams(running, name);
    const { id } = await app.db.selectFrom('review_cycles').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    return { id, values };
  }

  it('refuses someone who doesn’t run review cycles, and lists the command in the help', async () => {
    expect(textOf(cardOf((await say('maya', 'review questions')).activity))).toContain('Review cycles are run by HR admins.');
    expect(textOf(cardOf((await say('maya', 'review help')).activity))).toContain('**review questions**');
    expect(await orgQuestions()).toBeNull();
  });

  it('takes HR’s edit once, refusing a bad field; a new cycle asks the new questions while one already running keeps its own', async () => {
    const autumn = await createCycle('Autumn review');

    const form = await say('hana', 'review questions');
    const card = cardOf(form.activity);
    expect(cardProblems(card)).toEqual([]);
    expect(inputs(card).map((e: any) => [e.id, e.value ?? ''])).toEqual([
      ['competencies', DEFAULT_REVIEW_QUESTIONS.manager_review.competencies.map((c) => c.label).join('\n')],
      ['questions', DEFAULT_REVIEW_QUESTIONS.manager_review.questions.map((q) => q.label).join('\n')],
      ['self_questions', ''],
    ]);
    const refused = (await teams.execute(chat('hana'), '29:hana', form, 'Save', { ...EDITED, competencies: `Mentoring\n${'x'.repeat(71)}` })).body.value;
    const at = refused.body.findIndex((e: any) => e.id === 'competencies');
    expect(refused.body[at + 1]).toMatchObject({ color: 'Attention', text: 'Line 2 has 71 characters: keep each competency to 70.' });
    expect(await orgQuestions()).toBeNull();
    for (let i = 0; i < 2; i++)
      expect(textOf((await teams.execute(chat('hana'), '29:hana', form, 'Save', EDITED)).body.value)).toContain('Review questions saved.');
    expect((await orgQuestions())?.self_assessment.questions.map((q) => q.id)).toEqual(['what-are-you-proudest-of', 'what-slowed-you-down']);

    const managerQuestions = async (cycleId: string) =>
      (
        await app.db
          .selectFrom('review_phases')
          .select('questions')
          .where('cycle_id', '=', cycleId)
          .where('kind', '=', 'manager_review')
          .executeTakeFirstOrThrow()
      ).questions;
    expect(await managerQuestions(autumn.id)).toEqual(DEFAULT_REVIEW_QUESTIONS.manager_review);
    const winter = await createCycle('Winter review');
    expect((await managerQuestions(winter.id)).competencies.map((c) => c.id)).toEqual(['results', 'mentoring']);

    // The self-assessment phases open: Ana's dialog asks the newer cycle's questions.
    await morningOf(winter.values.self_assessment_opens!);
    const selfButton = () => posted('ana').find((p) => cardActions(cardOf(p.activity)).some((a: any) => a.title === '📝 Self-assessment'));
    await stub.waitFor(() => selfButton() !== undefined);
    const dialog = (await teams.fetchTask(chat('ana'), '29:ana', selfButton()!, '📝 Self-assessment')).body.task.value.card.content;
    expect(cardProblems(dialog)).toEqual([]);
    expect(inputs(dialog).find((e: any) => e.id === 'question_what-slowed-you-down')).toMatchObject({ maxLength: 1000 });
    const done = await teams.submitTask(chat('ana'), '29:ana', dialog, {
      strengths: 'Shipped the app',
      growth: 'Public speaking',
      'question_what-are-you-proudest-of': 'The offline mode',
    });
    expect(textOf(done.body)).toContain('Self-assessment submitted and locked.');
    // Only what was answered is kept.
    expect((await app.db.selectFrom('self_assessments').select('answers').executeTakeFirstOrThrow()).answers).toEqual([
      { id: 'what-are-you-proudest-of', label: 'What are you proudest of?', text: 'The offline mode' },
    ]);

    // The manager reviews open: Maya writes in each cycle from its own card.
    await morningOf(winter.values.manager_review_opens!);
    const writeCard = (cycle: string) =>
      posted('maya').find((p) => textOf(cardOf(p.activity)).includes(cycle) && cardActions(cardOf(p.activity)).some((a: any) => a.title === 'Write review 1'));
    await stub.waitFor(() => writeCard('Winter review') !== undefined && writeCard('Autumn review') !== undefined);
    const formIn = async (cycle: string) => (await teams.execute(chat('maya'), '29:maya', writeCard(cycle)!, 'Write review 1')).body.value;
    expect(inputs(await formIn('Winter review')).map((e: any) => e.id)).toEqual([
      'overall',
      'rate_results',
      'rate_mentoring',
      'answer_what-comes-next',
      'narrative',
      'potential',
    ]);
    expect(inputs(await formIn('Autumn review')).map((e: any) => e.id)).toEqual([
      'overall',
      ...DEFAULT_REVIEW_QUESTIONS.manager_review.competencies.map((c) => `rate_${c.id}`),
      ...DEFAULT_REVIEW_QUESTIONS.manager_review.questions.map((q) => `answer_${q.id}`),
      'narrative',
      'potential',
    ]);
    // The context beside the form: Ana's self-assessment with her answer (paced behind the day's other messages to Maya's chat).
    await until(async () => textOf(posted('maya').map((p) => cardOf(p.activity))).includes('The offline mode'), 20_000);
  });
});
