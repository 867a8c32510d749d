import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { fakeClock } from '../support/fake-clock';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, postSigned, slashCommand, textField, viewClosed, viewSubmission } from '../support/slack-requests';
import { type SlackStub, viewOpenedBy } from '../support/slack-stub';

const users = [
  { id: 'UHR', name: 'Hana Hr', email: 'hana@acme.test', is_admin: true },
  { id: 'UMAYA', name: 'Maya Manager', email: 'maya@acme.test' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
  { id: 'UBEN', name: 'Ben Okafor', email: 'ben@acme.test' },
];
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
    const ana = await app.db.selectFrom('people').select(['id', 'org_id']).where('display_name', '=', 'Ana Lopez').executeTakeFirstOrThrow();
    const goal = (title: string) => ({
      org_id: ana.org_id,
      owner_id: ana.id,
      created_by: ana.id,
      level: 'individual' as const,
      title,
      start_value: 0,
      target_value: 10,
      current_value: 5,
      starts_on: '2026-01-05',
      due_on: '2026-06-30',
      visibility: 'public' as const,
      platform: 'slack' as const,
      workspace_id: 'T1',
      idempotency_key: title,
    });
    const rows = await app.db
      .insertInto('goals')
      .values([goal('Launch the app'), goal('Hire two engineers')])
      .returning(['id', 'title'])
      .execute();
    goals = { launch: rows.find((r) => r.title === 'Launch the app')!.id, hiring: rows.find((r) => r.title === 'Hire two engineers')!.id };
  });
  afterAll(() => running?.close());

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
});
