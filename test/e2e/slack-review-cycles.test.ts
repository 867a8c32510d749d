import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { reviewCyclesTick } from '../../src/features/reviews/cycles.jobs';
import { DEFAULT_REVIEW_QUESTIONS } from '../../src/features/reviews/review-questions.rules';
import { fakeClock } from '../support/fake-clock';
import { runTicks } from '../support/schedules';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, modalValues, postSigned, postSignedEvent, slashCommand, viewSubmission } from '../support/slack-requests';
import { type SlackStub, viewOpenedBy } from '../support/slack-stub';
import { until } from '../support/wait';

const users = [
  { id: 'UHR', name: 'Hana Hr', email: 'hana@acme.test', is_admin: true, tz: 'Europe/Berlin' },
  { id: 'UMAYA', name: 'Maya Manager', email: 'maya@acme.test', tz: 'America/New_York' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test', tz: 'America/New_York' },
  { id: 'UBEN', name: 'Ben Okafor', email: 'ben@acme.test', tz: 'Asia/Tokyo' },
  { id: 'UEVE', name: 'Eve Exec', email: 'eve@acme.test', tz: 'Europe/Berlin' },
];
type View = { id?: string; callback_id: string; private_metadata: string; blocks: any[] };

/** The cycle's dates: a week each, Monday to Friday, from Monday 2026-03-09. */
const DATES = {
  self_assessment_opens: '2026-03-09',
  self_assessment_due: '2026-03-13',
  manager_review_opens: '2026-03-16',
  manager_review_due: '2026-03-20',
  sign_off_opens: '2026-03-23',
  sign_off_due: '2026-03-27',
};

describe('review cycles in Slack', () => {
  // Wednesday 2026-03-04; Ana and Maya are in New York (EDT from March 8), Ben in Tokyo.
  const time = fakeClock('2026-03-04T12:00:00Z');
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;
  let cycleId: string;

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users }, clock: time.clock });
    ({ stub, app } = running);
    for (const [i, text] of [
      'org <@UANA> manager <@UMAYA>',
      'org <@UBEN> manager <@UMAYA>',
      'org <@UANA> department Design',
      'org <@UBEN> department Engineering',
      'org <@UEVE> role executive',
    ].entries()) {
      await command('/hepo', 'UHR', text);
      await stub.waitFor(() => stub.callsTo('response_url').filter((c) => c.responseTo === 'UHR').length === i + 1);
    }
  });
  afterAll(() => running?.close());

  function command(name: string, userId: string, text: string) {
    return postSigned(app.url, slashCommand({ command: name, text, userId, channelId: `D${userId}`, responseUrl: stub.responseUrl(userId) }));
  }
  const click = (userId: string, actionId: string, value?: string) =>
    postSigned(app.url, buttonClick({ actionId, ...(value ? { value } : {}), userId, channelId: `D${userId}`, responseUrl: stub.responseUrl(userId) }));
  const repliesTo = (userId: string) => stub.callsTo('response_url').filter((c) => c.responseTo === userId);
  async function reply(userId: string, act: () => Promise<unknown>): Promise<any> {
    const before = repliesTo(userId).length;
    await act();
    await stub.waitFor(() => repliesTo(userId).length > before);
    return repliesTo(userId).at(-1)!.body;
  }
  const opened = (act: () => Promise<unknown>) => viewOpenedBy<View>(stub, act);

  const dmsTo = (userId: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === userId);
  const dmText = (userId: string) => dmsTo(userId).map((c) => JSON.stringify(c.body));
  const buttonsOf = (body: any) => (body.blocks as any[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements);
  const tick = async (iso: string) => {
    time.set(iso);
    await runTicks(app, reviewCyclesTick);
  };

  /** The field errors a view submission was answered with. */
  const errorsOf = async (res: Response) => ((await res.json()) as { errors?: Record<string, string> }).errors;
  const submit = (view: View, userId: string, given: Record<string, string | string[] | null>) =>
    postSigned(app.url, viewSubmission({ userId, view, values: modalValues(view, given) }));

  it('HR starts a cycle from the quarterly template: each mistake at its field, nothing written, and a double submit makes one cycle', async () => {
    expect(JSON.stringify(await reply('UANA', () => command('/review', 'UANA', 'cycle new')))).toContain('Review cycles are run by HR admins');

    const offer = await reply('UHR', () => command('/review', 'UHR', 'cycle new'));
    expect(buttonsOf(offer).map((b: any) => b.text.text)).toEqual(['Quarterly review', 'Annual review']);
    const form = await opened(() => click('UHR', 'review.cycle.template.quarterly'));
    expect(form.callback_id).toBe('review.cycle.new');
    const initial = (id: string) => form.blocks.find((b) => b.block_id === id)?.element;
    expect(initial('name').initial_value).toBe('Quarterly review');
    expect(initial('self_assessment_opens').initial_date).toBe('2026-03-09');
    expect(initial('sign_off_due').initial_date).toBe('2026-04-10');
    expect(JSON.stringify(form.blocks.find((b) => b.block_id === 'departments'))).toContain('Design, Engineering');

    const base = { ...DATES, name: 'Spring review', audience: 'departments', departments: 'design, Engineering', repeat: 'none' };
    const errorsFor = async (given: Record<string, string | null>) => errorsOf(await submit(form, 'UHR', { ...base, ...given }));
    expect(await errorsFor({ name: '' })).toEqual({ name: 'Give the cycle a name.' });
    expect(await errorsFor({ departments: 'Design, Nope' })).toEqual({
      departments: expect.stringContaining('Nobody is in “Nope”. The departments are: Design, Engineering.'),
    });
    expect(await errorsFor({ self_assessment_due: '2026-03-08' })).toEqual({ self_assessment_due: 'Self-assessment must be due after it opens (2026-03-09).' });
    expect(await errorsFor({ manager_review_opens: '2026-03-02' })).toEqual({
      manager_review_opens: 'Manager review can’t open in the past (today is 2026-03-04).'.replace('’', "'"),
    });
    expect(await errorsFor({ sign_off_opens: '2026-03-10' })).toEqual({ sign_off_opens: "Sign-off can't open before manager review (2026-03-16)." });
    expect(await errorsFor({ audience: 'people' })).toEqual({ people: 'Pick the people in it.' });
    expect(await errorsFor({ repeat: 'custom', repeat_months: '30' })).toEqual({ repeat_months: 'Say every how many months: 1 to 24.' });
    expect(await app.db.selectFrom('review_cycles').select('id').execute()).toEqual([]);

    const once = { ...form, id: 'VCYCLE1' };
    await Promise.all([submit(once, 'UHR', base), submit(once, 'UHR', base)]);
    await stub.waitFor(() => JSON.stringify(repliesTo('UHR').concat(stub.callsTo('chat.postEphemeral'))).includes('Spring review'));
    const cycles = await app.db.selectFrom('review_cycles').select(['id', 'name', 'repeat_months']).execute();
    expect(cycles).toEqual([{ id: expect.any(String), name: 'Spring review', repeat_months: null }]);
    cycleId = cycles[0]!.id;
    const people = await app.db
      .selectFrom('review_participants as p')
      .innerJoin('people as person', 'person.id', 'p.person_id')
      .innerJoin('people as reviewer', 'reviewer.id', 'p.reviewer_id')
      .select(['person.display_name as person', 'reviewer.display_name as reviewer', 'p.state'])
      .orderBy('person.display_name')
      .execute();
    expect(people).toEqual([
      { person: 'Ana Lopez', reviewer: 'Maya Manager', state: 'not_started' },
      { person: 'Ben Okafor', reviewer: 'Maya Manager', state: 'not_started' },
    ]);
    const phases = await app.db.selectFrom('review_phases').select(['kind', 'questions']).where('cycle_id', '=', cycleId).orderBy('opens_on').execute();
    // Each with its copy of the org's review questions (the defaults: the manager's set, no self-assessment questions).
    expect(phases.map((p) => [p.kind, p.questions])).toEqual([
      ['self_assessment', { competencies: [], questions: [] }],
      ['manager_review', DEFAULT_REVIEW_QUESTIONS.manager_review],
      ['sign_off', { competencies: [], questions: [] }],
    ]);
  });

  it('opens each phase with a DM at 09:00 each person’s time, counts down, stops when done, and tells the manager who is behind, never twice', async () => {
    await tick('2026-03-09T00:30:00Z'); // Monday 09:30 in Tokyo, Sunday night in New York
    expect(dmText('UBEN')).toHaveLength(1);
    expect(dmText('UBEN')[0]).toContain('Self-assessment has opened');
    expect(dmText('UBEN')[0]).toContain('due 2026-03-13');
    expect(buttonsOf(dmsTo('UBEN')[0]!.body).map((b: any) => b.action_id)).toEqual(['review.self.open']);
    expect(dmsTo('UANA')).toHaveLength(0);

    await tick('2026-03-09T13:30:00Z'); // Monday 09:30 in New York
    await tick('2026-03-09T14:00:00Z');
    expect(dmText('UANA')).toEqual([expect.stringContaining('Self-assessment has opened')]);
    expect(dmsTo('UBEN')).toHaveLength(1);

    await tick('2026-03-10T13:30:00Z'); // 3 days before Friday the 13th, for both
    expect(dmText('UANA').at(-1)).toContain('due in 3 days (2026-03-13)');
    expect(dmText('UBEN').at(-1)).toContain('due in 3 days (2026-03-13)');

    // Ana submits her self-assessment: it moves her in the cycle, and her nudges stop.
    const form = await opened(() => command('/review', 'UANA', 'self'));
    await submit({ ...form, id: 'VSELFANA' }, 'UANA', { strengths: 'Calm', growth: 'Delegating' });
    await stub.waitFor(() => dmsTo('UMAYA').some((c) => JSON.stringify(c.body).includes('submitted a self-assessment')));
    const ana = await app.db
      .selectFrom('review_participants as p')
      .innerJoin('people', 'people.id', 'p.person_id')
      .select('p.state')
      .where('people.display_name', '=', 'Ana Lopez')
      .executeTakeFirstOrThrow();
    expect(ana.state).toBe('feedback_in');

    await tick('2026-03-12T13:30:00Z');
    await tick('2026-03-13T13:30:00Z');
    expect(dmText('UBEN').slice(-2)).toEqual([expect.stringContaining('due tomorrow (2026-03-13)'), expect.stringContaining('due today')]);
    expect(dmText('UANA')).toHaveLength(2);

    await tick('2026-03-16T13:30:00Z'); // Monday: Ben is overdue, Maya hears it, and her reviews open
    await tick('2026-03-16T14:00:00Z');
    expect(dmText('UBEN').at(-1)).toContain('was due 2026-03-13');
    expect(dmText('UBEN')).toHaveLength(5);
    const toMaya = dmsTo('UMAYA').map((c) => c.body as any);
    const behind = toMaya.filter((b) => JSON.stringify(b).includes('Self-assessment: behind'));
    expect(behind).toHaveLength(1);
    expect(JSON.stringify(behind[0])).toContain('<@UBEN>');
    expect(JSON.stringify(behind[0])).not.toContain('<@UANA>');
    const reviews = toMaya.filter((b) => JSON.stringify(b).includes('Manager review has opened'));
    expect(reviews).toHaveLength(1);
    const participants = await app.db.selectFrom('review_participants').select('id').execute();
    expect(
      buttonsOf(reviews[0])
        .map((b: any) => [b.action_id, b.value])
        .sort(),
    ).toEqual(participants.map((p) => ['review_write', p.id]).sort());
  });

  it('HR extends the deadline for one person, and their nudges count down to the new date', async () => {
    const list = await reply('UHR', () => command('/review', 'UHR', 'cycle'));
    expect(buttonsOf(list).map((b: any) => [b.action_id, b.value])).toEqual([['review.cycle.show', cycleId]]);
    const progress = await reply('UHR', () => click('UHR', 'review.cycle.show', cycleId));
    const form = await opened(() => click('UHR', buttonsOf(progress).find((b: any) => b.text.text === 'Extend a deadline').action_id, cycleId));
    expect(await errorsOf(await submit(form, 'UHR', { phase: 'self_assessment', due: '2026-03-09', person: 'UBEN' }))).toEqual({
      due: 'Pick a deadline from today on.',
    });
    await submit({ ...form, id: 'VEXT1' }, 'UHR', { phase: 'self_assessment', due: '2026-03-20', person: 'UBEN' });
    await until(async () => (await app.db.selectFrom('review_deadline_overrides').select('due_on').execute()).length === 1);
    expect(await app.db.selectFrom('review_phases').select('due_on').where('kind', '=', 'self_assessment').execute()).toEqual([{ due_on: '2026-03-13' }]);

    await tick('2026-03-17T00:30:00Z'); // Tuesday 09:30 in Tokyo: three days before his new deadline
    expect(dmText('UBEN').at(-1)).toContain('due in 3 days (2026-03-20)');
    await tick('2026-03-17T01:00:00Z');
    expect(dmText('UBEN')).toHaveLength(6);
  });

  it('shows HR the progress per phase, department and manager; reminds those behind once a day; executives see the numbers only', async () => {
    const progress = JSON.stringify(await reply('UHR', () => click('UHR', 'review.cycle.show', cycleId)));
    expect(progress).toContain('Self-assessment: 1 of 2 (50 %)');
    expect(progress).toContain('Design: 0 of 1 (0 %)'); // the manager review is the phase open now
    expect(progress).toContain('<@UMAYA>: 0 of 2 (0 %)');
    expect(progress).not.toContain('Calm');

    const beforeBen = dmsTo('UBEN').length;
    const beforeMaya = dmsTo('UMAYA').length;
    const answers = await Promise.all([reply('UHR', () => click('UHR', 'review.cycle.remind', cycleId)), click('UHR', 'review.cycle.remind', cycleId)]);
    await stub.waitFor(() => dmsTo('UBEN').length > beforeBen && dmsTo('UMAYA').length > beforeMaya);
    await new Promise((r) => setTimeout(r, 300));
    expect(dmsTo('UBEN')).toHaveLength(beforeBen + 1);
    expect(dmsTo('UMAYA')).toHaveLength(beforeMaya + 1);
    expect(JSON.stringify(answers[0])).toMatch(/Reminded 2 people|Nobody to remind/);
    expect(JSON.stringify(await reply('UHR', () => click('UHR', 'review.cycle.remind', cycleId)))).toContain('Nobody to remind');

    const seen = JSON.stringify(await reply('UEVE', () => click('UEVE', 'review.cycle.show', cycleId)));
    expect(seen).toContain('Self-assessment: 1 of 2 (50 %)');
    expect(seen).not.toContain('Remind everyone behind');
    expect(JSON.stringify(await reply('UEVE', () => click('UEVE', 'review.cycle.remind', cycleId)))).toContain('Review cycles are run by HR admins');
    expect(JSON.stringify(await reply('UANA', () => click('UANA', 'review.cycle.show', cycleId)))).toContain('Cycle progress is for HR admins and executives');
  });

  it('`/review` and the Home tab show each person’s tasks: their own phase, and their reports’ states with the buttons', async () => {
    const ben = await reply('UBEN', () => command('/review', 'UBEN', ''));
    expect(JSON.stringify(ben)).toContain('Self-assessment, due 2026-03-20 · you: Not started');
    expect(buttonsOf(ben).map((b: any) => b.action_id)).toContain('review.self.open');

    const maya = await reply('UMAYA', () => command('/review', 'UMAYA', ''));
    const text = JSON.stringify(maya);
    expect(text).toContain('<@UANA> · Feedback in');
    expect(text).toContain('<@UBEN> · Not started');
    expect(
      buttonsOf(maya)
        .filter((b: any) => b.action_id === 'review_write')
        .map((b: any) => b.text.text)
        .sort(),
    ).toEqual(['Review Ana Lopez', 'Review Ben Okafor']);

    const before = stub.callsTo('views.publish').length;
    await postSignedEvent(app.url, { type: 'app_home_opened', user: 'UMAYA', channel: 'DUMAYA', tab: 'home', event_ts: '1.1' });
    await stub.waitFor(() => stub.callsTo('views.publish').length > before);
    const home = JSON.stringify(stub.callsTo('views.publish').at(-1)!.body);
    expect(home).toContain('Spring review');
    expect(home).toContain('<@UBEN> · Not started');
    expect(home).toContain('review_write');
  });
});
