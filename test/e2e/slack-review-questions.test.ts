import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { reviewCyclesTick } from '../../src/features/reviews/cycles.jobs';
import { DEFAULT_REVIEW_QUESTIONS } from '../../src/features/reviews/review-questions.rules';
import { fakeClock } from '../support/fake-clock';
import { runTicks } from '../support/schedules';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, modalValues, postSigned, slashCommand, viewSubmission } from '../support/slack-requests';
import { type SlackStub, viewOpenedBy } from '../support/slack-stub';
import { until } from '../support/wait';

const users = [
  { id: 'UHR', name: 'Hana Hr', email: 'hana@acme.test', is_admin: true, tz: 'America/New_York' },
  { id: 'UMAYA', name: 'Maya Manager', email: 'maya@acme.test', tz: 'America/New_York' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test', tz: 'America/New_York' },
];
/** Long enough for a few DMs queued to one channel, which Slack takes about one a second. */
const PACED = 15_000;
type View = { id?: string; callback_id: string; private_metadata: string; blocks: any[] };

const EDITED = {
  competencies: 'Results: delivered what was agreed, to the standard agreed\nCraft: the quality of the work\nMentoring',
  questions: 'What went well?\nWhat comes next?',
  self_questions: 'What are you proudest of?',
};

/** HR edits the review questions; a cycle created afterwards asks them, one created before keeps its own. */
describe('the org’s review questions in Slack', () => {
  // Wednesday 2026-03-04: the quarterly template starts on Monday 2026-03-09.
  const time = fakeClock('2026-03-04T15:00:00Z');
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users }, clock: time.clock });
    ({ stub, app } = running);
    await command('/hepo', 'UHR', 'org <@UANA> manager <@UMAYA>');
    await stub.waitFor(() => privately('UHR').includes('Ana Lopez'));
  });
  afterAll(() => running?.close());

  function command(name: string, userId: string, text: string) {
    return postSigned(app.url, slashCommand({ command: name, text, userId, channelId: `D${userId}`, responseUrl: stub.responseUrl(userId) }));
  }
  const click = (userId: string, actionId: string, value?: string) =>
    postSigned(app.url, buttonClick({ actionId, ...(value ? { value } : {}), userId, channelId: `D${userId}`, responseUrl: stub.responseUrl(userId) }));
  const opened = (act: () => Promise<unknown>) => viewOpenedBy<View>(stub, act);
  const privately = (userId: string) => JSON.stringify(stub.calls.filter((c) => c.responseTo === userId || c.body.user === userId).map((c) => c.body));
  const dmsTo = (userId: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === userId);
  const buttonsIn = (userId: string) =>
    dmsTo(userId).flatMap((c) => ((c.body.blocks ?? []) as any[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements));
  const submitted = (userId: string, view: View, given: Record<string, string | null>) =>
    postSigned(app.url, viewSubmission({ userId, view, values: modalValues(view, given) }));
  const blockIds = (view: View) => view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id as string);
  const orgQuestions = async () => (await app.db.selectFrom('orgs').select('review_questions').executeTakeFirstOrThrow()).review_questions;

  /** HR creates a cycle for everyone from the quarterly template. */
  async function createCycle(name: string) {
    await command('/review', 'UHR', 'cycle new');
    await stub.waitFor(() => privately('UHR').includes('review.cycle.template.quarterly'));
    const form = await opened(() => click('UHR', 'review.cycle.template.quarterly'));
    const res = await submitted('UHR', form, { name, audience: 'everyone' });
    expect(await res.text()).not.toContain('"errors"');
    return app.db.selectFrom('review_cycles').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  }
  const phaseQuestions = (cycleId: string, kind: 'self_assessment' | 'manager_review') =>
    app.db
      .selectFrom('review_phases')
      .select('questions')
      .where('cycle_id', '=', cycleId)
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow()
      .then((p) => p.questions);

  let spring: { id: string };

  it('lists /review questions in the help, and refuses someone who doesn’t run review cycles', async () => {
    await command('/review', 'UMAYA', 'help');
    await stub.waitFor(() => privately('UMAYA').includes('/review questions'));
    await command('/review', 'UMAYA', 'questions');
    await stub.waitFor(() => privately('UMAYA').includes('Review cycles are run by HR admins.'));
    expect(await orgQuestions()).toBeNull();
  });

  it('opens HR’s form with the defaults, each limit at its field, and refuses bad input at its field, writing nothing', async () => {
    spring = await createCycle('Spring review');
    const form = await opened(() => command('/review', 'UHR', 'questions'));
    expect(form.callback_id).toBe('review.questions');
    const field = (id: string) => form.blocks.find((b) => b.block_id === id);
    expect(field('competencies').element.initial_value).toBe(DEFAULT_REVIEW_QUESTIONS.manager_review.competencies.map((c) => c.label).join('\n'));
    expect(field('questions').element.initial_value).toBe(DEFAULT_REVIEW_QUESTIONS.manager_review.questions.map((q) => q.label).join('\n'));
    expect(field('self_questions').element.initial_value ?? '').toBe('');
    expect(field('self_questions').optional).toBe(true);
    expect(field('competencies').hint.text).toContain('One per line, 1 to 6, each up to 70 characters.');
    expect(field('questions').hint.text).toContain('One per line, 1 to 3, each up to 70 characters.');
    expect(field('self_questions').hint.text).toContain('One per line, 0 to 3, each up to 70 characters.');

    const cases: Array<[Record<string, string>, string, string]> = [
      [{ competencies: 'A\nB\nC\nD\nE\nF\nG' }, 'competencies', 'Keep it to 6 competencies or fewer (there are 7)'],
      [{ competencies: `Results\n${'x'.repeat(71)}` }, 'competencies', 'Line 2 has 71 characters: keep each competency to 70.'],
      [{ questions: ' \n ' }, 'questions', 'Write at least one question, one per line.'],
      [{ self_questions: 'One?\nTwo?\nThree?\nFour?' }, 'self_questions', 'Keep it to 3 questions or fewer (there are 4)'],
      [{ self_questions: 'Proud?\nproud?' }, 'self_questions', '“proud?” is there twice.'],
    ];
    for (const [given, at, message] of cases) {
      const res = await submitted('UHR', form, { ...EDITED, ...given });
      expect(await res.json()).toMatchObject({ response_action: 'errors', errors: { [at]: expect.stringContaining(message) } });
    }
    expect(await orgQuestions()).toBeNull();
  });

  it('saves the set once however often it is sent, says what was saved privately, and shows it next time', async () => {
    const form = await opened(() => command('/review', 'UHR', 'questions'));
    const submission = viewSubmission({ userId: 'UHR', view: { ...form, id: 'VQUESTIONS' }, values: modalValues(form, EDITED) });
    for (const res of await Promise.all([postSigned(app.url, submission), postSigned(app.url, submission)])) expect(await res.text()).not.toContain('errors');
    await stub.waitFor(() => privately('UHR').includes('Review questions saved.'));
    expect(privately('UHR')).toContain('Review cycles created from now on ask these');
    expect(privately('UHR')).toContain('What are you proudest of?');
    // An unchanged label keeps its id, so answers stored under it keep their question.
    expect(await orgQuestions()).toEqual({
      manager_review: {
        competencies: [
          { id: 'results', label: 'Results: delivered what was agreed, to the standard agreed' },
          { id: 'craft', label: 'Craft: the quality of the work' },
          { id: 'mentoring', label: 'Mentoring' },
        ],
        questions: [
          { id: 'what-went-well', label: 'What went well?' },
          { id: 'what-comes-next', label: 'What comes next?' },
        ],
      },
      self_assessment: { questions: [{ id: 'what-are-you-proudest-of', label: 'What are you proudest of?' }] },
    });
    const again = await opened(() => command('/review', 'UHR', 'questions'));
    expect(again.blocks.find((b) => b.block_id === 'self_questions').element.initial_value).toBe(EDITED.self_questions);
    // The cycle created before keeps what it was created with.
    expect(await phaseQuestions(spring.id, 'manager_review')).toEqual(DEFAULT_REVIEW_QUESTIONS.manager_review);
    expect(await phaseQuestions(spring.id, 'self_assessment')).toEqual({ competencies: [], questions: [] });
  });

  it('a cycle created afterwards asks them: the self-assessment, the manager’s form and context, the shared review and its export; the running one asks its own', async () => {
    const summer = await createCycle('Summer review');
    expect(await phaseQuestions(summer.id, 'manager_review')).toEqual((await orgQuestions())!.manager_review);

    // Monday 2026-03-09: both self-assessment phases open; Ana's form asks the newer cycle's question.
    time.set('2026-03-09T14:30:00Z');
    await runTicks(app, reviewCyclesTick);
    await stub.waitFor(() => buttonsIn('UANA').some((b) => b.action_id === 'review.self.open'));
    const selfForm = await opened(() => click('UANA', 'review.self.open'));
    const proud = selfForm.blocks.find((b) => b.block_id === 'question_what-are-you-proudest-of');
    expect(proud.label.text).toBe('What are you proudest of?');
    expect(proud.hint.text).toContain('Up to 1,000 characters.');
    const res = await submitted('UANA', selfForm, {
      strengths: 'Shipped the app',
      growth: 'Public speaking',
      'question_what-are-you-proudest-of': 'The offline mode',
    });
    expect(await res.text()).not.toContain('"errors"');
    await stub.waitFor(() => privately('UANA').includes('Self-assessment submitted and locked.'));
    const stored = await app.db.selectFrom('self_assessments').select('answers').executeTakeFirstOrThrow();
    expect(stored.answers).toEqual([{ id: 'what-are-you-proudest-of', label: 'What are you proudest of?', text: 'The offline mode' }]);

    // Monday 2026-03-16: the manager reviews open; Maya has a button per cycle.
    time.set('2026-03-16T13:30:00Z');
    await runTicks(app, reviewCyclesTick);
    const participantIn = async (cycleId: string) =>
      (
        await app.db
          .selectFrom('review_participants')
          .select('id')
          .where('cycle_id', '=', cycleId)
          .where('reviewer_id', 'is not', null)
          .executeTakeFirstOrThrow()
      ).id;
    const [summerAna, springAna] = [await participantIn(summer.id), await participantIn(spring.id)];
    await stub.waitFor(() => buttonsIn('UMAYA').filter((b) => b.action_id === 'review_write').length >= 2);

    const summerForm = await opened(() => click('UMAYA', 'review_write', summerAna));
    expect(blockIds(summerForm)).toEqual([
      'overall',
      'rate_results',
      'rate_craft',
      'rate_mentoring',
      'answer_what-went-well',
      'answer_what-comes-next',
      'narrative',
      'potential',
    ]);
    expect(summerForm.blocks.find((b) => b.block_id === 'rate_mentoring').label.text).toBe('Mentoring');
    // The context beside the form shows Ana's self-assessment with her answer to the cycle's question (DMs to one channel go about one a second).
    await stub.waitFor(() => JSON.stringify(dmsTo('UMAYA').map((c) => c.body)).includes('The offline mode'), PACED);
    expect(JSON.stringify(dmsTo('UMAYA').map((c) => c.body))).toContain('What are you proudest of?');

    const review = await submitted('UMAYA', summerForm, {
      overall: '4',
      rate_results: '4',
      rate_craft: '5',
      rate_mentoring: '3',
      'answer_what-went-well': 'The offline mode shipped.',
      'answer_what-comes-next': 'Lead the sync rewrite.',
      narrative: 'A strong quarter.',
      potential: '2',
    });
    expect(await review.text()).not.toContain('"errors"');
    await stub.waitFor(() => buttonsIn('UMAYA').some((b) => b.action_id === 'review.share' && b.value === summerAna), PACED);
    time.advance(60_000);
    await click('UMAYA', 'review.share', summerAna);
    await until(
      async () => (await app.db.selectFrom('review_participants').select('state').where('id', '=', summerAna).executeTakeFirstOrThrow()).state === 'shared',
    );
    await stub.waitFor(() => JSON.stringify(dmsTo('UANA').map((c) => c.body)).includes('Lead the sync rewrite.'), PACED);
    const toAna = JSON.stringify(dmsTo('UANA').map((c) => c.body));
    expect(toAna).toContain('*Mentoring*: 3 · Meets expectations');
    expect(toAna).toContain('*What comes next?*');

    await command('/review', 'UANA', 'export <@UANA>');
    await stub.waitFor(() => stub.uploaded().length === 2);
    const markdown = stub.uploaded()[1]!.content.toString();
    expect(markdown).toContain('Mentoring: 3 · Meets expectations');
    expect(markdown).toContain('## What comes next?');
    expect(markdown).toContain('Lead the sync rewrite.');
    expect(markdown).not.toContain('Collaboration');

    // The cycle created before the edit asks what it was created with.
    const springForm = await opened(() => click('UMAYA', 'review_write', springAna));
    expect(blockIds(springForm)).toEqual([
      'overall',
      ...DEFAULT_REVIEW_QUESTIONS.manager_review.competencies.map((c) => `rate_${c.id}`),
      ...DEFAULT_REVIEW_QUESTIONS.manager_review.questions.map((q) => `answer_${q.id}`),
      'narrative',
      'potential',
    ]);
  });
});
