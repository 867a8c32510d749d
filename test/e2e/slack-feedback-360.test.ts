import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { feedback360Tick } from '../../src/features/feedback/feedback360.handlers';
import { fakeClock } from '../support/fake-clock';
import { runTicks } from '../support/schedules';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, postSigned, postSignedEvent, slashCommand, viewClosed, viewSubmission } from '../support/slack-requests';
import { type SlackStub, viewOpenedBy } from '../support/slack-stub';

// Maya manages Ana, Ben, Cal and Dev; Ana manages Ray; Eve reports to nobody here.
const users = ['HANA:Hana Hr', 'MAYA:Maya Manager', 'ANA:Ana Lopez', 'BEN:Ben Okafor', 'CAL:Cal Diaz', 'DEV:Dev Rao', 'RAY:Ray Kim', 'EVE:Eve Stone'].map(
  (u) => {
    const [id, name] = u.split(':') as [string, string];
    return { id: `U${id}`, name, email: `${id.toLowerCase()}@acme.test`, ...(id === 'HANA' ? { is_admin: true } : {}) };
  },
);
type View = { callback_id: string; private_metadata: string; blocks: any[] };
const COMPETENCIES = ['communication', 'collaboration', 'ownership', 'craft', 'growth'];

describe('360° feedback in Slack', () => {
  const time = fakeClock('2026-10-05T08:00:00Z');
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users }, clock: time.clock });
    ({ stub, app } = running);
    for (const text of ['ANA', 'BEN', 'CAL', 'DEV'].map((id) => `org <@U${id}> manager <@UMAYA>`).concat('org <@URAY> manager <@UANA>')) {
      await command('/hepo', 'UHANA', text);
    }
    await stub.waitFor(() => stub.callsTo('response_url').length === 5);
  });
  afterAll(() => running?.close());

  function command(name: string, userId: string, text: string) {
    return postSigned(app.url, slashCommand({ command: name, text, userId, responseUrl: stub.responseUrl(userId) }));
  }
  const opened = (act: () => Promise<unknown>) => viewOpenedBy<View>(stub, act);
  const dmsTo = (user: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === user);
  const requestIdIn = (user: string) => /"action_id":"feedback360.give"[^}]*\},"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(dmsTo(user).at(-1)!.body))![1]!;
  const click = (actionId: string, value: string, userId: string) =>
    postSigned(app.url, buttonClick({ actionId, value, userId, channelId: `D${userId}`, responseUrl: stub.responseUrl(userId) }));
  const ratings = (value: string) =>
    Object.fromEntries(COMPETENCIES.map((c) => [`rate_${c}`, { [`rate_${c}`]: { type: 'static_select', selected_option: { value } } }]));
  const words = (keep: string, change = '') => ({
    text_keep: { text_keep: { type: 'plain_text_input', value: keep } },
    text_change: { text_change: { type: 'plain_text_input', value: change || null } },
  });
  async function answer(userId: string, requestId: string, rating: string, keep: string) {
    const form = await opened(() => click('feedback360.give', requestId, userId));
    const res = await postSigned(app.url, viewSubmission({ userId, view: form, values: { ...ratings(rating), ...words(keep) } }));
    expect(await res.text()).not.toContain('errors');
    return form;
  }

  it('asks 3–12 people suggested from the org chart; only the person, their managers and HR may ask', async () => {
    const form = await opened(() => command('/feedback', 'UANA', '360'));
    expect(form.callback_id).toBe('feedback360.request');
    const suggested = form.blocks.find((b) => b.block_id === 'reviewers').element.initial_users;
    expect(suggested.sort()).toEqual(['UBEN', 'UCAL', 'UDEV', 'UMAYA', 'URAY']);

    const values = (reviewers: string[]) => ({
      reviewers: { reviewers: { type: 'multi_users_select', selected_users: reviewers } },
      due: { due: { type: 'datepicker', selected_date: '2026-10-19' } },
      anonymous: { anonymous: { type: 'static_select', selected_option: { value: 'yes' } } },
    });
    const tooFew = await postSigned(app.url, viewSubmission({ userId: 'UANA', view: form, values: values(['UBEN', 'UCAL']) }));
    expect(await tooFew.json()).toMatchObject({
      response_action: 'errors',
      errors: { reviewers: expect.stringContaining('Pick 3 to 12 people (you picked 2)') },
    });

    const ok = viewSubmission({ userId: 'UANA', view: { ...form, id: 'V360' }, values: values(['UMAYA', 'UBEN', 'UCAL', 'UDEV', 'URAY', 'UEVE']) });
    await Promise.all([postSigned(app.url, ok), postSigned(app.url, ok)]);
    await stub.waitFor(() => ['UMAYA', 'UBEN', 'UCAL', 'UDEV', 'URAY', 'UEVE', 'UANA'].every((u) => dmsTo(u).length === 1));
    expect(JSON.stringify(dmsTo('UBEN')[0]!.body)).toContain('<@UANA> asked for your feedback about <@UANA> (confidential)');
    expect(JSON.stringify(dmsTo('UANA')[0]!.body)).toContain('Rate yourself too');
    expect(await app.db.selectFrom('feedback_360_requests').select('id').execute()).toHaveLength(1);
    // Waiting in Ben's home too.
    await postSignedEvent(app.url, { type: 'app_home_opened', user: 'UBEN', channel: 'DUBEN', tab: 'home', event_ts: '1.1' }, 'T1');
    await stub.waitFor(() => stub.callsTo('views.publish').some((c) => c.body.user_id === 'UBEN'));
    const home = JSON.stringify(stub.callsTo('views.publish').find((c) => c.body.user_id === 'UBEN')!.body);
    expect(home).toContain('360° feedback asked of you');
    expect(home).toContain('feedback360.give');

    const refused = await (async () => {
      await command('/feedback', 'UBEN', '360 <@UCAL>');
      await stub.waitFor(() => stub.callsTo('response_url').some((c) => c.responseTo === 'UBEN'));
      return JSON.stringify(
        stub
          .callsTo('response_url')
          .filter((c) => c.responseTo === 'UBEN')
          .map((c) => c.body),
      );
    })();
    expect(refused).toContain('You can ask for 360° feedback about yourself and the people you manage.');
  });

  it('says on each form who will see the answers, keeps a draft, and takes each answer once', async () => {
    const requestId = requestIdIn('UBEN');
    const form = await opened(() => click('feedback360.give', requestId, 'UBEN'));
    expect(JSON.stringify(form)).toContain('Confidential: your ratings and words are shown only together with those of at least 2 others in your group');
    await postSigned(app.url, viewClosed({ userId: 'UBEN', view: form, values: { ...ratings('4'), ...words('Calm in incidents') } }));
    await stub.waitFor(() => stub.calls.some((c) => c.body.user === 'UBEN' && JSON.stringify(c.body).includes('Draft saved')));
    const again = await opened(() => click('feedback360.give', requestId, 'UBEN'));
    expect(again.blocks.find((b) => b.block_id === 'rate_craft').element.initial_option.value).toBe('4');
    expect(JSON.stringify(again)).toContain('Calm in incidents');
    const submission = viewSubmission({ userId: 'UBEN', view: { ...again, id: 'VBEN' }, values: { ...ratings('4'), ...words('Calm in incidents') } });
    await Promise.all([postSigned(app.url, submission), postSigned(app.url, submission)]);
    expect(await app.db.selectFrom('feedback_360_answers').select('id').execute()).toHaveLength(1);
    expect(await app.db.selectFrom('feedback_360_drafts').select('reviewer_id').execute()).toEqual([]);

    const managerForm = await opened(() => click('feedback360.give', requestId, 'UMAYA'));
    expect(JSON.stringify(managerForm)).toContain('manager input is never confidential');
  });

  it('closes when everyone answered or declined, and sends the report to Ana and Maya only, groups too small withheld', async () => {
    const requestId = requestIdIn('UBEN');
    await answer('UCAL', requestId, '5', 'Writes clear design docs');
    await answer('UDEV', requestId, '3', 'Unblocks the team');
    await answer('URAY', requestId, '2', 'Ray-only remark about reviews');
    await answer('UMAYA', requestId, '4', 'Owns the roadmap');
    await answer('UANA', requestId, '5', 'Self words');
    expect(dmsTo('UANA')).toHaveLength(1);
    const declineForm = await opened(() => click('feedback360.decline', requestId, 'UEVE'));
    await postSigned(
      app.url,
      viewSubmission({ userId: 'UEVE', view: declineForm, values: { reason: { reason: { type: 'plain_text_input', value: 'We have not worked together' } } } }),
    );
    // The scores, then a message per open question answered (only "keep doing" was).
    await stub.waitFor(() => dmsTo('UANA').length === 3 && dmsTo('UMAYA').length === 3);
    const report = JSON.stringify(
      dmsTo('UANA')
        .slice(1)
        .map((c) => c.body),
    );
    expect(report).toContain('360° feedback: Ana Lopez');
    expect(report).toContain('Self 1, Manager 1, Peers 3; 1 not shown (too few to keep confidential); 1 declined');
    expect(report).toContain('*Communication*: Self 5.0 (5–5) · Manager 4.0 (4–4) · Peers 4.0 (3–5)');
    expect(report).toContain('Blind spots');
    expect(report).toContain('Owns the roadmap (manager)');
    expect(report).toContain('Writes clear design docs');
    expect(report).not.toContain('Ray-only remark');
    for (const name of ['UBEN', 'UCAL', 'UDEV', 'URAY', 'Ben Okafor', 'Cal Diaz', 'Dev Rao', 'Ray Kim']) expect(report).not.toContain(name);
    const scores = (user: string) => dmsTo(user).find((c) => String(c.body.text).endsWith('is in'))!.body.blocks;
    expect(scores('UMAYA')).toEqual(scores('UANA'));
    expect(dmsTo('UMAYA').length).toBe(3);
    for (const u of ['UBEN', 'UCAL', 'UDEV', 'URAY', 'UEVE', 'UHANA']) expect(dmsTo(u).length).toBeLessThanOrEqual(1);
    // Nothing ties an anonymous answer to its author.
    const stored = await app.db.selectFrom('feedback_360_answers').select(['relationship', 'reviewer_id']).execute();
    expect(stored.filter((a) => a.relationship === 'peer' || a.relationship === 'report').every((a) => a.reviewer_id === null)).toBe(true);
  });

  it('reminds those still to answer once, two days before the due date, and closes at the due date', async () => {
    const form = await opened(() => command('/feedback', 'UMAYA', '360 <@UBEN>'));
    await postSigned(
      app.url,
      viewSubmission({
        userId: 'UMAYA',
        view: form,
        values: {
          reviewers: { reviewers: { type: 'multi_users_select', selected_users: ['UCAL', 'UDEV', 'UANA'] } },
          due: { due: { type: 'datepicker', selected_date: '2026-10-12' } },
          anonymous: { anonymous: { type: 'static_select', selected_option: { value: 'yes' } } },
        },
      }),
    );
    await stub.waitFor(() => dmsTo('UCAL').length === 2);
    const requestId = requestIdIn('UCAL');
    await answer('UCAL', requestId, '4', 'Great pairing');
    const tick = () => runTicks(app, feedback360Tick);
    time.set('2026-10-09T08:00:00Z');
    await tick();
    expect(dmsTo('UDEV')).toHaveLength(2);
    time.set('2026-10-10T08:00:00Z');
    await tick();
    await tick();
    await stub.waitFor(() => dmsTo('UDEV').length === 3);
    expect(JSON.stringify(dmsTo('UDEV')[2]!.body)).toContain('A reminder');
    expect(dmsTo('UCAL')).toHaveLength(2);
    time.set('2026-10-11T08:00:00Z');
    await tick();
    expect(dmsTo('UDEV')).toHaveLength(3);

    time.set('2026-10-12T08:00:00Z');
    await tick();
    await stub.waitFor(() => dmsTo('UBEN').some((c) => JSON.stringify(c.body).includes('360° feedback: Ben Okafor')));
    const report = JSON.stringify(dmsTo('UBEN').at(-1)!.body);
    // One peer answered: too few to show apart, so withheld, words included.
    expect(report).toContain('1 not shown (too few to keep confidential)');
    expect(report).not.toContain('Great pairing');
  });
});
