import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { goalsTick } from '../../src/features/goals/goals.jobs';
import { fakeClock } from '../support/fake-clock';
import { runTicks } from '../support/schedules';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { blockSuggestion, buttonClick, postSigned, slashCommand, viewSubmission } from '../support/slack-requests';
import { type SlackStub, viewOpenedBy } from '../support/slack-stub';

const users = [
  { id: 'UHR', name: 'Hana Hr', email: 'hana@acme.test', is_admin: true, tz: 'Europe/Berlin' },
  { id: 'UMAYA', name: 'Maya Manager', email: 'maya@acme.test', tz: 'Europe/Berlin' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test', tz: 'Europe/Berlin' },
  { id: 'UBEN', name: 'Ben Okafor', email: 'ben@acme.test', tz: 'Europe/Berlin' },
];

type View = { callback_id: string; private_metadata: string; blocks: any[] };

describe('goals in Slack', () => {
  // Goals are due in days from "today": any start date works.
  const time = fakeClock('2026-03-02T09:00:00Z');
  const inDays = (days: number) => new Date(time.clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users }, clock: time.clock });
    ({ stub, app } = running);
    await slack('/hepo', 'UHR', 'org <@UMAYA> role manager');
    await slack('/hepo', 'UHR', 'org <@UANA> manager <@UMAYA>');
    await stub.waitFor(() => stub.callsTo('response_url').length === 2);
  });
  afterAll(() => running?.close());

  function slack(command: string, userId: string, text: string) {
    return postSigned(app.url, slashCommand({ command, text, userId, responseUrl: stub.responseUrl(userId) }));
  }
  const answersTo = (userId: string) => stub.callsTo('response_url').filter((c) => c.responseTo === userId);
  async function answer(userId: string, command: string, text: string): Promise<string> {
    const before = answersTo(userId).length;
    await slack(command, userId, text);
    await stub.waitFor(() => answersTo(userId).length > before);
    return JSON.stringify(answersTo(userId).at(-1)!.body);
  }
  const opened = (act: () => Promise<unknown>) => viewOpenedBy<View>(stub, act);
  const optionsOf = (view: View, blockId: string) =>
    view.blocks.find((b) => b.block_id === blockId)!.element.options.map((o: any) => ({ value: o.value, label: o.text.text }));
  const goalValues = (v: {
    title: string;
    level?: string;
    owner: string;
    start?: string;
    target: string;
    unit?: string;
    due: string;
    visibility?: string;
    parent?: string;
    progressFrom?: string;
    weight?: string;
  }) => ({
    title: { title: { type: 'plain_text_input', value: v.title } },
    why: { why: { type: 'plain_text_input', value: null } },
    level: { level: { type: 'static_select', selected_option: { value: v.level ?? 'individual' } } },
    owner: { owner: { type: 'users_select', selected_user: v.owner } },
    start: { start: { type: 'number_input', value: v.start ?? '0' } },
    target: { target: { type: 'number_input', value: v.target } },
    unit: { unit: { type: 'plain_text_input', value: v.unit ?? null } },
    due: { due: { type: 'datepicker', selected_date: v.due } },
    visibility: { visibility: { type: 'static_select', selected_option: { value: v.visibility ?? 'public' } } },
    parent: { parent: { type: 'external_select', selected_option: v.parent ? { value: v.parent } : null } },
    progress_from: { progress_from: { type: 'static_select', selected_option: { value: v.progressFrom ?? 'own' } } },
    weight: { weight: { type: 'number_input', value: v.weight ?? '1' } },
  });
  const submit = (userId: string, view: View, values: Record<string, unknown>, id?: string) =>
    postSigned(app.url, viewSubmission({ userId, view: { ...view, ...(id ? { id } : {}) }, values: values as any }));
  const goalIdTitled = async (title: string) => (await app.db.selectFrom('goals').select('id').where('title', '=', title).executeTakeFirstOrThrow()).id;

  it('sets a company goal (HR), a team goal that rolls up (manager) and a private individual goal aligned to it (employee)', async () => {
    const hrForm = await opened(() => slack('/goals', 'UHR', 'new'));
    expect(hrForm.callback_id).toBe('goals.new');
    expect(optionsOf(hrForm, 'level').map((o: any) => o.value)).toEqual(['individual', 'team', 'company']);
    const hr = await submit(
      'UHR',
      hrForm,
      goalValues({ title: 'Grow revenue 20%', level: 'company', owner: 'UHR', target: '20', unit: '%', due: inDays(300) }),
    );
    expect(hr.status).toBe(200);
    const company = await goalIdTitled('Grow revenue 20%');

    const mayaForm = await opened(() => slack('/goals', 'UMAYA', 'new'));
    expect(optionsOf(mayaForm, 'level').map((o: any) => o.value)).toEqual(['individual', 'team']);
    expect(mayaForm.blocks.find((b) => b.block_id === 'parent').element.type).toBe('external_select');
    // Typing in "Aligned to": Slack asks for the goals whose title holds it.
    const typed = async (value: string) =>
      (await (await postSigned(app.url, blockSuggestion({ userId: 'UMAYA', view: mayaForm, actionId: 'parent', value }))).json()) as {
        options: Array<{ text: { text: string }; value: string }>;
      };
    expect((await typed('revenue')).options).toEqual([{ text: { type: 'plain_text', text: '🏢 Company · Grow revenue 20% (Hana Hr)' }, value: company }]);
    // What is typed matches as written: '%%' is two percent signs, not a wildcard.
    expect((await typed('%%')).options).toEqual([]);
    await submit(
      'UMAYA',
      mayaForm,
      goalValues({
        title: 'Nordics pipeline',
        level: 'team',
        owner: 'UMAYA',
        target: '100',
        unit: '%',
        due: inDays(120),
        parent: company,
        progressFrom: 'children',
      }),
    );
    const team = await goalIdTitled('Nordics pipeline');

    const anaForm = await opened(() => slack('/goals', 'UANA', 'new'));
    expect(optionsOf(anaForm, 'level').map((o: any) => o.value)).toEqual(['individual']);
    const values = goalValues({
      title: 'Win 30 new customers',
      owner: 'UANA',
      target: '30',
      unit: 'customers',
      due: inDays(90),
      visibility: 'private',
      parent: team,
    });
    // A double click: one goal.
    await Promise.all([submit('UANA', anaForm, values, 'VGOAL1'), submit('UANA', anaForm, values, 'VGOAL1')]);
    const goals = await app.db.selectFrom('goals').select(['title', 'level', 'visibility', 'parent_id', 'starts_on']).orderBy('created_at').execute();
    expect(goals).toEqual([
      { title: 'Grow revenue 20%', level: 'company', visibility: 'public', parent_id: null, starts_on: '2026-03-02' },
      { title: 'Nordics pipeline', level: 'team', visibility: 'public', parent_id: company, starts_on: '2026-03-02' },
      { title: 'Win 30 new customers', level: 'individual', visibility: 'private', parent_id: team, starts_on: '2026-03-02' },
    ]);
  });

  it('refuses a bad goal at its field and stores nothing: a level above hers, no change to measure, a past due date, a long title', async () => {
    const form = await opened(() => slack('/goals', 'UANA', 'new'));
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [
        goalValues({ title: 'Everything', level: 'company', owner: 'UANA', target: '1', due: inDays(10) }),
        'level',
        'Company goals are set by HR admins and executives',
      ],
      [goalValues({ title: 'Flat', owner: 'UANA', start: '5', target: '5', due: inDays(10) }), 'target', 'The target must differ from the start value.'],
      [goalValues({ title: 'Late', owner: 'UANA', target: '3', due: '2026-03-01' }), 'due', 'The due date must be after today.'],
      [
        goalValues({ title: 'x'.repeat(151), owner: 'UANA', target: '3', due: inDays(10) }),
        'title',
        'Please keep this to 150 characters or fewer; it has 151.',
      ],
      [goalValues({ title: 'Ben’s', owner: 'UBEN', target: '3', due: inDays(10) }), 'owner', 'You can set goals for yourself and the people you manage.'],
      [goalValues({ title: 'Huge', owner: 'UANA', target: '1e300', due: inDays(10) }), 'target', 'That number is too large'],
      [goalValues({ title: 'Heavy', owner: 'UANA', target: '3', due: inDays(10), weight: '11' }), 'weight', 'Use a whole number from 1 to 10.'],
    ];
    for (const [values, field, message] of cases) {
      const res = await submit('UANA', form, values);
      expect(await res.json()).toMatchObject({ response_action: 'errors', errors: { [field]: expect.stringContaining(message) } });
    }
    expect(await app.db.selectFrom('goals').select('id').execute()).toHaveLength(3);
  });

  it('lists my goals with progress and an Update button; an update is kept as history, once', async () => {
    const list = await answer('UANA', '/goals', '');
    expect(list).toContain('Your goals');
    expect(list).toContain('Win 30 new customers* 🔒');
    expect(list).toContain('▱▱▱▱▱▱▱▱▱▱ 0% · 0 of 30 customers · 🟢 On track · due');
    expect(list).toContain('↳ aligned to Nordics pipeline');
    const goalId = await goalIdTitled('Win 30 new customers');
    expect(list).toContain(`"value":"${goalId}"`);

    const form = await opened(() =>
      postSigned(
        app.url,
        buttonClick({ actionId: 'goals.open_update', value: goalId, userId: 'UANA', channelId: 'DANA', responseUrl: stub.responseUrl('UANA') }),
      ),
    );
    expect(form.callback_id).toBe('goals.update');
    const values = {
      goal: { goal: { type: 'static_select', selected_option: { value: goalId } } },
      value: { value: { type: 'number_input', value: '15' } },
      note: { note: { type: 'plain_text_input', value: 'Two big logos signed' } },
    };
    const [first] = await Promise.all([submit('UANA', form, values, 'VUPD1'), submit('UANA', form, values, 'VUPD1')]);
    expect(await first.text()).not.toContain('errors');
    expect(await app.db.selectFrom('goal_updates').select(['value', 'note']).execute()).toEqual([{ value: 15, note: 'Two big logos signed' }]);
    expect(await answer('UANA', '/goals', '')).toContain('▰▰▰▰▰▱▱▱▱▱ 50% · 15 of 30 customers · 🟢 On track');
  });

  it('shows how my goals ladder up, the team goal rolling up from mine', async () => {
    const tree = await answer('UANA', '/goals', 'tree');
    expect(tree).toContain('🏢 *Grow revenue 20%* ▱▱▱▱▱▱▱▱▱▱ 0%');
    expect(tree).toContain('↳ 👥 *Nordics pipeline* ▰▰▰▰▰▱▱▱▱▱ 50%');
    expect(tree).toContain('↳ 🙋 *Win 30 new customers* ▰▰▰▰▰▱▱▱▱▱ 50%');
    expect(tree.indexOf('Grow revenue')).toBeLessThan(tree.indexOf('Nordics pipeline'));
    expect(tree.indexOf('Nordics pipeline')).toBeLessThan(tree.indexOf('Win 30'));
  });

  it('shows a private goal only to its owner and her managers', async () => {
    expect(await answer('UBEN', '/goals', '<@UANA>')).toContain('has no goals you can see');
    const maya = await answer('UMAYA', '/goals', '<@UANA>');
    expect(maya).toContain('Win 30 new customers');
    expect(maya).toContain('Update: Win 30 new customers');
    const hrView = await answer('UHR', '/goals', '<@UANA>');
    expect(hrView).not.toContain('Win 30 new customers');
    // Ben can't update it either, even with its id.
    const goalId = await goalIdTitled('Win 30 new customers');
    await postSigned(
      app.url,
      buttonClick({ actionId: 'goals.open_update', value: goalId, userId: 'UBEN', channelId: 'DBEN', responseUrl: stub.responseUrl('UBEN') }),
    );
    await stub.waitFor(() => answersTo('UBEN').some((c) => JSON.stringify(c.body).includes("I couldn't find that goal.")));
  });

  it('says at risk when progress falls behind the time passed', async () => {
    time.advance(60 * 86_400_000);
    // 50% done, two thirds of the time gone.
    expect(await answer('UANA', '/goals', '')).toContain('50% · 15 of 30 customers · 🟠 At risk');
  });

  it('nudges owners to update on Monday morning their time, and tells the manager which goals of the team need attention, once a week', async () => {
    const dmsTo = (user: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === user);
    const tick = () => runTicks(app, goalsTick);
    // Friday 2026-05-01; Monday 2026-05-04 09:30 in Berlin is 07:30 UTC: not yet.
    time.set('2026-05-04T07:30:00Z');
    await tick();
    expect(dmsTo('UANA')).toHaveLength(0);

    time.set('2026-05-04T08:05:00Z');
    await tick();
    await tick();
    await stub.waitFor(() => dmsTo('UANA').length === 1 && dmsTo('UMAYA').length === 1 && dmsTo('UHR').length === 1);
    const nudge = JSON.stringify(dmsTo('UANA')[0]!.body);
    expect(nudge).toContain('Time to update your goals');
    expect(nudge).toContain('Win 30 new customers');
    expect(nudge).toContain('goals.open_update');
    const summary = JSON.stringify(dmsTo('UMAYA')[0]!.body);
    expect(summary).toContain('Goals in your team that need attention');
    expect(summary).toContain('<@UANA>: *Win 30 new customers* ▰▰▰▰▰▱▱▱▱▱ 50% 🟠 At risk');
    // Maya's team goal rolls up from Ana's: nothing for her to update by hand.
    expect(summary).not.toContain('Time to update');

    // The rest of the week: nothing more. The next Monday: again.
    time.set('2026-05-07T12:00:00Z');
    await tick();
    expect(dmsTo('UANA')).toHaveLength(1);
    time.set('2026-05-11T08:05:00Z');
    await tick();
    await stub.waitFor(() => dmsTo('UANA').length === 2);
  });

  it('measures a goal by a checklist of key results, each updated on its own', async () => {
    const form = await opened(() => slack('/goals', 'UBEN', 'new'));
    const bad = await submit('UBEN', form, {
      ...goalValues({ title: 'Expand', owner: 'UBEN', target: '', due: inDays(60) }),
      key_results: { key_results: { type: 'plain_text_input', value: 'Open Oslo office\nHire ten' } },
    });
    expect(await bad.json()).toMatchObject({
      response_action: 'errors',
      errors: { key_results: 'Line 1 needs a target after a colon, like "Sign new customers: 10".' },
    });
    await submit('UBEN', form, {
      ...goalValues({ title: 'Expand north', owner: 'UBEN', target: '', due: inDays(60) }),
      key_results: { key_results: { type: 'plain_text_input', value: 'Open offices: 2\nHire engineers: 10' } },
    });
    const goalId = await goalIdTitled('Expand north');
    const list = await answer('UBEN', '/goals', '');
    expect(list).toContain('▱▱▱▱▱▱▱▱▱▱ 0% · 2 key results');
    expect(list).toContain('◦ Hire engineers: 0 of 10');

    const update = await opened(() =>
      postSigned(
        app.url,
        buttonClick({ actionId: 'goals.open_update', value: goalId, userId: 'UBEN', channelId: 'DBEN', responseUrl: stub.responseUrl('UBEN') }),
      ),
    );
    const choices = optionsOf(update, 'goal');
    expect(choices.map((c: any) => c.label)).toEqual(['Expand north › Open offices: now 0 of 2', 'Expand north › Hire engineers: now 0 of 10']);
    const hire = choices[1]!.value;
    await submit('UBEN', update, {
      goal: { goal: { type: 'static_select', selected_option: { value: hire } } },
      value: { value: { type: 'number_input', value: '5' } },
      note: { note: { type: 'plain_text_input', value: null } },
    });
    // Half of one of two key results: a quarter of the goal.
    const after = await answer('UBEN', '/goals', '');
    expect(after).toContain('▰▰▰▱▱▱▱▱▱▱ 25% · 2 key results');
    expect(after).toContain('◦ Hire engineers: 5 of 10');
    expect(await app.db.selectFrom('goal_updates').select(['value', 'key_result_id']).where('goal_id', '=', goalId).execute()).toEqual([
      { value: 5, key_result_id: hire.split(':')[1] },
    ]);
  });
});
