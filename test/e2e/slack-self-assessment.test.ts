import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { fakeClock } from '../support/fake-clock';
import { seedGoals } from '../support/goals';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, postSigned, slashCommand, textField, viewClosed, viewSubmission } from '../support/slack-requests';
import { type SlackStub, viewOpenedBy } from '../support/slack-stub';

const users = [
  { id: 'UHR', name: 'Hana Hr', email: 'hana@acme.test', is_admin: true },
  { id: 'UMAYA', name: 'Maya Manager', email: 'maya@acme.test' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
  { id: 'UBEN', name: 'Ben Okafor', email: 'ben@acme.test' },
];
const SLACK = { platform: 'slack', workspaceId: 'T1' } as const;
type View = { callback_id: string; private_metadata: string; blocks: any[]; close?: any; notify_on_close?: boolean };

describe('self-assessment in Slack', () => {
  const time = fakeClock('2026-06-15T09:00:00Z');
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;
  let goals: { launch: string; hiring: string };

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users }, clock: time.clock });
    ({ stub, app } = running);
    await command('/hepo', 'UHR', 'org <@UANA> manager <@UMAYA>');
    await stub.waitFor(() => stub.callsTo('response_url').length === 1);
    // Ana's goals, as `/goals new` sets them (tested in slack-goals).
    const [launch, hiring] = await seedGoals(
      app.db,
      await personNamed('Ana Lopez'),
      ['Launch the app', 'Hire two engineers'].map((title) => ({ title, dueOn: '2026-06-30' })),
      SLACK,
    );
    goals = { launch: launch!, hiring: hiring! };
  });
  afterAll(() => running?.close());

  const personNamed = (name: string) => app.db.selectFrom('people').select(['id', 'org_id']).where('display_name', '=', name).executeTakeFirstOrThrow();

  function command(name: string, userId: string, text: string) {
    return postSigned(app.url, slashCommand({ command: name, text, userId, responseUrl: stub.responseUrl(userId) }));
  }
  const opened = (act: () => Promise<unknown>) => viewOpenedBy<View>(stub, act);
  const said = (userId: string) => stub.saidTo(userId);
  const rating = (goalId: string, value?: string) => ({
    [`rating_${goalId}`]: { [`rating_${goalId}`]: { type: 'static_select', selected_option: value ? { value } : null } },
  });

  it('opens a form per goal with labelled ratings; closing it keeps a draft that comes back filled in', async () => {
    const form = await opened(() => command('/review', 'UANA', 'self'));
    expect(form.callback_id).toBe('review.self');
    expect(form.notify_on_close).toBe(true);
    expect(form.close.text).toBe('Save draft');
    const launch = form.blocks.find((b) => b.block_id === `rating_${goals.launch}`);
    expect(launch.label.text).toBe('🎯 Launch the app: how did it go?');
    expect(launch.element.options.map((o: any) => o.text.text)).toEqual(['1 · Not met', '2 · Partly met', '3 · Met', '4 · Exceeded', '5 · Far exceeded']);

    const values = {
      ...rating(goals.launch, '4'),
      ...textField(`reflection_${goals.launch}`, 'Shipped a week late, but solid.'),
      ...textField('strengths', 'Calm under pressure'),
    };
    await postSigned(app.url, viewClosed({ userId: 'UANA', view: form, values }));
    await stub.waitFor(() => said('UANA').includes('Draft saved'));
    expect(await app.db.selectFrom('self_assessments').select(['strengths', 'submitted_at']).execute()).toEqual([
      { strengths: 'Calm under pressure', submitted_at: null },
    ]);

    const answer = await (async () => {
      await command('/review', 'UANA', '');
      await stub.waitFor(() => said('UANA').includes('a draft saved 2026-06-15'));
      return said('UANA');
    })();
    expect(answer).toContain('not submitted yet');

    const again = await opened(() => command('/review', 'UANA', 'self'));
    const shown = JSON.stringify(again);
    expect(shown).toContain('Your draft from 2026-06-15 is filled in.');
    expect(again.blocks.find((b) => b.block_id === `rating_${goals.launch}`).element.initial_option.value).toBe('4');
    expect(shown).toContain('Shipped a week late, but solid.');
    expect(shown).toContain('Calm under pressure');
  });

  it('refuses to submit with a goal unrated, at that goal, and keeps the draft', async () => {
    const form = await opened(() => command('/review', 'UANA', 'self'));
    const res = await postSigned(
      app.url,
      viewSubmission({
        userId: 'UANA',
        view: form,
        values: { ...rating(goals.launch, '4'), ...rating(goals.hiring), ...textField('strengths', 'Calm'), ...textField('growth', 'Delegating') },
      }),
    );
    expect(await res.json()).toMatchObject({
      response_action: 'errors',
      errors: { [`rating_${goals.hiring}`]: expect.stringContaining('Rate “Hire two engineers” before you submit') },
    });
    expect(await app.db.selectFrom('self_assessments').select('submitted_at').execute()).toEqual([{ submitted_at: null }]);
  });

  it('submits once, locks it, and the manager (only) reads it', async () => {
    const form = await opened(() => command('/review', 'UANA', 'self'));
    const submission = viewSubmission({
      userId: 'UANA',
      view: { ...form, id: 'VSELF1' },
      values: {
        ...rating(goals.launch, '4'),
        ...rating(goals.hiring, '2'),
        ...textField(`reflection_${goals.hiring}`, 'One hire so far.'),
        ...textField('strengths', 'Calm under pressure'),
        ...textField('growth', 'Delegating earlier'),
      },
    });
    await Promise.all([postSigned(app.url, submission), postSigned(app.url, submission)]);
    const dmsTo = (user: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === user);
    await stub.waitFor(() => dmsTo('UMAYA').length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(dmsTo('UMAYA')).toHaveLength(1);
    expect(JSON.stringify(dmsTo('UMAYA')[0]!.body)).toContain('<@UANA> submitted a self-assessment.');
    const rows = await app.db.selectFrom('self_assessments').select(['id', 'growth', 'submitted_at']).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.submitted_at).toEqual(time.clock.now());

    const read = (userId: string) =>
      postSigned(
        app.url,
        buttonClick({ actionId: 'review.self.read', value: rows[0]!.id, userId, channelId: `D${userId}`, responseUrl: stub.responseUrl(userId) }),
      );
    await read('UMAYA');
    await stub.waitFor(() => said('UMAYA').includes('Delegating earlier'));
    expect(said('UMAYA')).toContain('*Hire two engineers*: 2 · Partly met');
    await read('UBEN');
    await stub.waitFor(() => said('UBEN').includes('Only the person, their managers and HR can read a self-assessment.'));
    expect(said('UBEN')).not.toContain('Delegating earlier');

    // Locked: the next `/review self` starts a new one.
    const next = await opened(() => command('/review', 'UANA', 'self'));
    expect(JSON.stringify(next)).toContain('You last submitted one on 2026-06-15.');
    expect(JSON.stringify(next)).not.toContain('Calm under pressure');
  });

  it('with more goals than the form holds, covers those due first and names the others in its intro', async () => {
    const empty = await opened(() => command('/review', 'UBEN', 'self'));
    expect(JSON.stringify(empty)).toContain('You have no goals to rate');
    const ben = await personNamed('Ben Okafor');
    // Twelve goals, set in the opposite order of their due dates.
    const titles = Array.from({ length: 12 }, (_, i) => `Ben's goal ${i + 1}`);
    await seedGoals(app.db, ben, titles.map((title, i) => ({ title, dueOn: `2026-07-${String(i + 1).padStart(2, '0')}` })).reverse(), SLACK);

    const form = await opened(() => command('/review', 'UBEN', 'self'));
    const rated = form.blocks.filter((b) => b.block_id?.startsWith('rating_')).map((b) => b.label.text);
    expect(rated).toEqual(titles.slice(0, 10).map((t) => `🎯 ${t}: how did it go?`));
    expect(JSON.stringify(form)).toContain(
      "The form has room for the 10 goals due first; say how the others went (“Ben's goal 11” and “Ben's goal 12”) under strengths or growth.",
    );

    // Beyond two left out, the rest are counted.
    await seedGoals(
      app.db,
      ben,
      [
        { title: 'Later goal A', dueOn: '2026-08-01' },
        { title: 'Later goal B', dueOn: '2026-08-02' },
      ],
      SLACK,
    );
    expect(JSON.stringify(await opened(() => command('/review', 'UBEN', 'self')))).toContain(
      "say how the others went (“Ben's goal 11”, “Ben's goal 12” and 2 more)",
    );
  });
});
