import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { fakeClock } from '../support/fake-clock';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, choiceField, postSigned, slashCommand, textField, viewClosed, viewSubmission } from '../support/slack-requests';
import { type SlackStub, viewOpenedBy } from '../support/slack-stub';

// Maya manages Ana, Ben, Cal and Dev; Hana is an HR admin (a workspace admin).
const users = ['HANA:Hana Hr', 'MAYA:Maya Manager', 'ANA:Ana Lopez', 'BEN:Ben Okafor', 'CAL:Cal Diaz', 'DEV:Dev Rao'].map((u) => {
  const [id, name] = u.split(':') as [string, string];
  return { id: `U${id}`, name, email: `${id.toLowerCase()}@acme.test`, ...(id === 'HANA' ? { is_admin: true } : {}) };
});
type View = { id?: string; callback_id: string; private_metadata: string; blocks: any[] };

const COMPETENCIES = 'Communication: clear, timely, listens\nDelivery: ships what matters\nMentoring';
const QUESTIONS = 'What should they start doing?\nWhat should they stop doing?';

describe('the org’s 360° set in Slack, and the self-rating from the self-assessment', () => {
  const time = fakeClock('2026-10-05T08:00:00Z');
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users }, clock: time.clock });
    ({ stub, app } = running);
    for (const id of ['ANA', 'BEN', 'CAL', 'DEV']) await command('/hepo', 'UHANA', `org <@U${id}> manager <@UMAYA>`);
    await stub.waitFor(() => stub.callsTo('response_url').length === 4);
  });
  afterAll(() => running?.close());

  function command(name: string, userId: string, text: string) {
    return postSigned(app.url, slashCommand({ command: name, text, userId, responseUrl: stub.responseUrl(userId) }));
  }
  const opened = (act: () => Promise<unknown>) => viewOpenedBy<View>(stub, act);
  const click = (actionId: string, value: string | undefined, userId: string) =>
    postSigned(app.url, buttonClick({ actionId, ...(value ? { value } : {}), userId, channelId: `D${userId}`, responseUrl: stub.responseUrl(userId) }));
  const privately = (userId: string) => JSON.stringify(stub.calls.filter((c) => c.responseTo === userId || c.body.user === userId).map((c) => c.body));
  const dmsTo = (user: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === user);
  const settingsValues = (competencies: string, questions: string, min: string) => ({
    ...textField('competencies', competencies),
    ...textField('questions', questions),
    min_responses: { min_responses: { type: 'number_input', value: min } },
  });
  const orgRow = () => app.db.selectFrom('orgs').select(['feedback_questions', 'feedback_min_responses']).executeTakeFirstOrThrow();

  async function request(byUser: string, about: string, reviewers: string[], anonymous: 'yes' | 'no') {
    const form = await opened(() => command('/feedback', byUser, `360 <@${about}>`));
    const res = await postSigned(
      app.url,
      viewSubmission({
        userId: byUser,
        view: form,
        values: {
          reviewers: { reviewers: { type: 'multi_users_select', selected_users: reviewers } },
          due: { due: { type: 'datepicker', selected_date: '2026-10-19' } },
          anonymous: { anonymous: { type: 'static_select', selected_option: { value: anonymous } } },
        },
      }),
    );
    expect(await res.text()).not.toContain('errors');
    const requests = await app.db.selectFrom('feedback_360_requests').select(['id', 'questions', 'min_responses']).orderBy('created_at').execute();
    return requests.at(-1)!;
  }

  let before: { id: string };

  it('shows HR admins the 360° settings in /hepo help and opens them with the current values; others are refused', async () => {
    before = await request('UANA', 'UANA', ['UBEN', 'UCAL', 'UDEV'], 'yes');
    await command('/hepo', 'UHANA', 'help');
    await stub.waitFor(() => privately('UHANA').includes('Here is what I can do'));
    expect(privately('UHANA')).toContain('/feedback 360 settings');
    expect(privately('UHANA')).toContain('5 competencies, 2 open questions; confidential groups of at least 3');

    await command('/feedback', 'UBEN', '360 settings');
    await stub.waitFor(() => privately('UBEN').includes('Only an HR admin can change the organization’s settings.'));

    const form = await opened(() => click('feedback360.settings.open', undefined, 'UHANA'));
    expect(form.callback_id).toBe('feedback360.settings');
    const field = (id: string) => form.blocks.find((b) => b.block_id === id);
    expect(field('competencies').element.initial_value).toBe(
      [
        'Communication: clear, timely, listens',
        'Collaboration: makes the people around them better',
        'Ownership: follows through, owns mistakes',
        'Craft: the quality of their work',
        'Growth: learns and helps others learn',
      ].join('\n'),
    );
    expect(field('questions').element.initial_value).toBe('What should they keep doing?\nWhat could they do differently?');
    expect(field('min_responses').element.initial_value).toBe('3');
    expect(field('competencies').hint.text).toContain('One per line, 1 to 10, each up to 100 characters.');
  });

  it('refuses bad input at its field and writes nothing', async () => {
    const form = await opened(() => command('/feedback', 'UHANA', '360 settings'));
    const cases: Array<[ReturnType<typeof settingsValues>, string, string]> = [
      [settingsValues('\n  \n', QUESTIONS, '3'), 'competencies', 'Write at least one competency, one per line.'],
      [settingsValues(Array.from({ length: 11 }, (_, i) => `Skill ${i}`).join('\n'), QUESTIONS, '3'), 'competencies', 'Keep it to 10 competencies or fewer'],
      [settingsValues(`Communication\n${'x'.repeat(101)}`, QUESTIONS, '3'), 'competencies', 'Line 2 has 101 characters: keep each competency to 100.'],
      [settingsValues('Delivery\ndelivery', QUESTIONS, '3'), 'competencies', '“delivery” is there twice.'],
      [settingsValues(COMPETENCIES, '', '3'), 'questions', 'Write at least one question, one per line.'],
      [settingsValues(COMPETENCIES, QUESTIONS, '1'), 'min_responses', 'The smallest anonymous group is a whole number from 2 to 20.'],
      [settingsValues(COMPETENCIES, QUESTIONS, '21'), 'min_responses', 'The smallest anonymous group is a whole number from 2 to 20.'],
    ];
    for (const [values, field, message] of cases) {
      const res = await postSigned(app.url, viewSubmission({ userId: 'UHANA', view: form, values }));
      expect(await res.json()).toMatchObject({ response_action: 'errors', errors: { [field]: expect.stringContaining(message) } });
    }
    expect(await orgRow()).toEqual({ feedback_questions: null, feedback_min_responses: 3 });
  });

  it('saves a good set once, however often it is sent; the form shows it next time', async () => {
    const form = await opened(() => command('/feedback', 'UHANA', '360 settings'));
    const submission = viewSubmission({ userId: 'UHANA', view: { ...form, id: 'VSET' }, values: settingsValues(`${COMPETENCIES}\n\n`, QUESTIONS, '4') });
    const answers = await Promise.all([postSigned(app.url, submission), postSigned(app.url, submission)]);
    for (const res of answers) expect(await res.text()).not.toContain('errors');
    await stub.waitFor(() => privately('UHANA').includes('360° feedback settings saved.'));
    expect(await orgRow()).toEqual({
      feedback_questions: {
        competencies: [
          { id: 'communication', label: 'Communication: clear, timely, listens' },
          { id: 'delivery', label: 'Delivery: ships what matters' },
          { id: 'mentoring', label: 'Mentoring' },
        ],
        questions: [
          { id: 'what-should-they-start-doing', label: 'What should they start doing?' },
          { id: 'what-should-they-stop-doing', label: 'What should they stop doing?' },
        ],
      },
      feedback_min_responses: 4,
    });
    const again = await opened(() => command('/feedback', 'UHANA', '360 settings'));
    expect(again.blocks.find((b) => b.block_id === 'competencies').element.initial_value).toBe(COMPETENCIES);
    expect(again.blocks.find((b) => b.block_id === 'min_responses').element.initial_value).toBe('4');
  });

  it('new requests copy the org’s set and minimum; one already running keeps its own', async () => {
    const after = await request('UMAYA', 'UANA', ['UBEN', 'UCAL', 'UDEV'], 'no');
    expect(after.min_responses).toBe(4);
    expect(after.questions.competencies.map((c) => c.id)).toEqual(['communication', 'delivery', 'mentoring']);
    const running = await app.db
      .selectFrom('feedback_360_requests')
      .select(['questions', 'min_responses'])
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow();
    expect(running.min_responses).toBe(3);
    expect(running.questions.competencies.map((c) => c.id)).toEqual(['communication', 'collaboration', 'ownership', 'craft', 'growth']);
    await stub.waitFor(() => dmsTo('UBEN').some((c) => JSON.stringify(c.body).includes(after.id)));
    const form = await opened(() => click('feedback360.give', after.id, 'UBEN'));
    expect(form.blocks.find((b) => b.block_id === 'rate_delivery').label.text).toBe('Delivery: ships what matters');
    expect(form.blocks.find((b) => b.block_id === 'text_what-should-they-stop-doing').label.text).toBe('What should they stop doing?');
  });

  it('rates the org’s competencies in the self-assessment, keeps them in a draft, and the 360 report shows them as the self-rating', async () => {
    const form = await opened(() => command('/review', 'UANA', 'self'));
    const rated = form.blocks.find((b) => b.block_id === 'competency_delivery');
    expect(rated.label.text).toBe('360° · Delivery: ships what matters');
    expect(rated.optional).toBe(true);
    expect(rated.element.options.map((o: any) => o.value)).toEqual(['1', '2', '3', '4', '5']);
    await postSigned(
      app.url,
      viewClosed({ userId: 'UANA', view: form, values: { ...choiceField('competency_delivery', '2'), ...textField('strengths', 'Planning') } }),
    );
    await stub.waitFor(() => privately('UANA').includes('Draft saved'));
    const draft = await opened(() => command('/review', 'UANA', 'self'));
    expect(draft.blocks.find((b) => b.block_id === 'competency_delivery').element.initial_option.value).toBe('2');

    const bad = await postSigned(app.url, viewSubmission({ userId: 'UANA', view: draft, values: { ...choiceField('competency_mentoring', '9') } }));
    expect(await bad.json()).toMatchObject({ response_action: 'errors', errors: { competency_mentoring: 'Choose a rating from 1 to 5.' } });
    const submitted = await postSigned(
      app.url,
      viewSubmission({
        userId: 'UANA',
        view: draft,
        values: {
          ...choiceField('competency_communication', '5'),
          ...choiceField('competency_delivery', '2'),
          ...textField('strengths', 'Planning'),
          ...textField('growth', 'Saying no'),
        },
      }),
    );
    expect(await submitted.text()).not.toContain('errors');
    await stub.waitFor(() => privately('UANA').includes('Self-assessment submitted and locked.'));

    // The request Maya made about Ana after the settings changed (not confidential): Ana and her three peers answer.
    const requestId = (await app.db.selectFrom('feedback_360_requests').select('id').where('min_responses', '=', 4).executeTakeFirstOrThrow()).id;
    const answer = async (userId: string, rating: string) => {
      const answerForm = await opened(() => click('feedback360.give', requestId, userId));
      const ratings = Object.assign({}, ...['communication', 'delivery', 'mentoring'].map((c) => choiceField(`rate_${c}`, rating)));
      const res = await postSigned(app.url, viewSubmission({ userId, view: answerForm, values: ratings }));
      expect(await res.text()).not.toContain('errors');
    };
    await answer('UANA', '3');
    for (const peer of ['UBEN', 'UCAL', 'UDEV']) await answer(peer, '4');
    const reportIn = (user: string) => dmsTo(user).find((c) => JSON.stringify(c.body).includes('360° feedback: Ana Lopez'));
    await stub.waitFor(() => reportIn('UANA') !== undefined && reportIn('UMAYA') !== undefined);
    const report = JSON.stringify(reportIn('UANA')!.body);
    expect(report).toContain('*Communication*: Self 5 (self-assessment) · Peers 4.0 (4–4)');
    expect(report).toContain('*Delivery*: Self 2 (self-assessment) · Peers 4.0 (4–4)');
    // Not rated in the self-assessment: the answer to the request gives it.
    expect(report).toContain('*Mentoring*: Self 3.0 (3–3) · Peers 4.0 (4–4)');
    expect(report).toContain('Self-ratings marked “self-assessment” come from the self-assessment submitted 2026-10-05.');
    expect(report).toContain('Blind spots');
  });
});
