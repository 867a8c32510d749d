import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkinTick } from '../../src/features/checkins/checkins.jobs';
import { oneOnOneTick } from '../../src/features/one-on-ones/one-on-ones.jobs';
import type { RunningApp } from '../../src/app';
import { fakeClock } from '../support/fake-clock';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { homeButtonClick, postSigned, postSignedEvent, slashCommand, viewSubmission } from '../support/slack-requests';
import type { SlackStub } from '../support/slack-stub';
import { until } from '../support/wait';

const users = [
  { id: 'UMGR', name: 'Maya Manager', email: 'maya@acme.test', tz: 'Europe/Lisbon' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test', tz: 'Asia/Tokyo' },
  { id: 'UGIA', name: 'Gia Giver', email: 'gia@acme.test', tz: 'America/New_York' },
  { id: 'UHR', name: 'Hana HR', email: 'hana@acme.test', tz: 'Europe/Lisbon', is_admin: true },
];

type View = { callback_id: string; private_metadata: string; blocks: Array<{ type: string; block_id?: string }> };

describe('the Slack App Home and Messages tab, driven by a fake clock', () => {
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;
  const time = fakeClock('2026-11-25T10:00:00Z'); // a Wednesday: Ana's evening in Tokyo

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users }, clock: time.clock });
    ({ stub, app } = running);
  });
  afterAll(() => running?.close());

  const command = (userId: string, name: string, text: string) =>
    postSigned(
      app.url,
      slashCommand({ command: name, text, userId, channelId: `D${userId}`, channelName: 'directmessage', responseUrl: stub.responseUrl(userId) }),
    );
  const allSent = async () => (await app.db.selectFrom('notifications').select('status').execute()).every((n) => n.status === 'sent');
  const openHome = (userId: string, options: Parameters<typeof postSignedEvent>[3] = {}, tab = 'home') =>
    postSignedEvent(app.url, { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab, event_ts: '1.1' }, 'T1', options);
  const publishedTo = (userId: string) => stub.callsTo('views.publish').filter((c) => c.body.user_id === userId);
  /** Opens the person's Home tab and returns what was published, as JSON text. */
  async function homeOf(userId: string): Promise<string> {
    const before = publishedTo(userId).length;
    await openHome(userId);
    await stub.waitFor(() => publishedTo(userId).length > before);
    const { view } = publishedTo(userId).at(-1)!.body as { view: { type: string } };
    expect(view.type).toBe('home');
    return JSON.stringify(view);
  }
  async function openedBy(click: Record<string, string>): Promise<View> {
    const before = stub.callsTo('views.open').length;
    await postSigned(app.url, click);
    await stub.waitFor(() => stub.callsTo('views.open').length > before);
    return stub.callsTo('views.open').at(-1)!.body.view as View;
  }

  it('publishes a home with the allowance left, the kudos of the month, the next check-in, the 1:1 agenda and the requests waiting', async () => {
    await command('UGIA', '/kudos', '<@UANA> 5 #teamwork thanks for the demo');
    await command('UANA', '/kudos', '<@UGIA> 20 great review');
    await command('UMGR', '/feedback', 'request <@UANA> about the offsite');
    await command('UHR', '/hepo', 'org <@UANA> manager <@UMGR>');
    await until(async () => (await app.db.selectFrom('people').select('id').where('manager_id', 'is not', null).execute()).length === 1);
    await command('UMGR', '/checkin', 'setup');
    await stub.waitFor(() => stub.callsTo('views.open').length === 1);
    const setup = stub.callsTo('views.open')[0]!.body.view as View;
    await postSigned(
      app.url,
      viewSubmission({
        userId: 'UMGR',
        view: setup,
        values: {
          members: { members: { type: 'multi_users_select', selected_users: ['UANA'] } },
          every: { every: { type: 'static_select', selected_option: { value: 'week' } } },
          weekday: { weekday: { type: 'static_select', selected_option: { value: '5' } } },
          time: { time: { type: 'static_select', selected_option: { value: '15:00' } } },
          questions: { questions: { type: 'plain_text_input', value: 'How are you feeling this week? (rating 1-5)\nWhat went well?' } },
        },
      }),
    );
    await until(async () => (await app.db.selectFrom('checkin_teams').select('id').execute()).length === 1 && (await allSent()));
    await command('UMGR', '/checkin', '1on1 <@UANA> every friday 10:00');
    // Slack acknowledges a command before the bot acts on it: the agenda needs the 1:1 first.
    await until(async () => (await app.db.selectFrom('one_on_ones').select('id').execute()).length === 1);
    await command('UMGR', '/checkin', 'agenda <@UANA> add the offsite budget');
    await until(async () => (await app.db.selectFrom('agenda_items').select('id').execute()).length === 1);

    const home = await homeOf('UANA');
    expect(home).toContain('Hi Ana Lopez');
    expect(home).toContain('80 of 100 left this month');
    expect(home).toContain('1 kudos · 5 points');
    expect(home).toContain('*Gia Giver* for #teamwork: “thanks for the demo”');
    // Friday 15:00 in Tokyo, Ana's own time.
    expect(home).toContain('Next check-in: Fri, Nov 27 at 15:00');
    expect(home).toContain('<@UMGR> asked for your feedback about: the offsite');
    // The 1:1 is at 10:00 in Lisbon, the manager's time: 19:00 for Ana.
    expect(home).toContain('<@UMGR>, next Fri, Nov 27 at 19:00\\n• the offsite budget _(<@UMGR>)_');
    expect(home).toContain('"action_id":"agenda.add"');
    expect(home).toContain('"action_id":"kudos.open_form"');
    expect(home).toContain('"action_id":"feedback.open_form"');
  });

  it('opens the kudos form from the home’s Give kudos button, and the feedback form from Give feedback', async () => {
    const kudos = await openedBy(homeButtonClick({ actionId: 'kudos.open_form', userId: 'UANA' }));
    expect(kudos.callback_id).toBe('kudos');
    expect(JSON.stringify(kudos)).toContain('You have 80 of 100 points left this month.');
    // From the home, the form belongs to the person's DM with the bot.
    expect(JSON.parse(kudos.private_metadata)).toMatchObject({ conversationId: 'UANA', isDirect: true });
    const feedback = await openedBy(homeButtonClick({ actionId: 'feedback.open_form', userId: 'UANA' }));
    expect(feedback.callback_id).toBe('feedback.give');
  });

  it('offers Check in now while the check-in is open, and tells the manager whose answer waits for a word back', async () => {
    time.set('2026-11-27T06:00:00Z'); // 15:00 in Tokyo
    await app.jobs.enqueue(checkinTick, {});
    await app.jobs.enqueue(oneOnOneTick, {});
    await until(async () => (await app.db.selectFrom('checkin_prompts').select('id').execute()).length === 1 && (await allSent()));
    const [prompt] = await app.db.selectFrom('checkin_prompts').select('id').execute();

    const home = await homeOf('UANA');
    expect(home).toContain('Your check-in for the week of Fri, Nov 27 is open.');
    expect(home).toContain('Next check-in: Fri, Dec 4 at 15:00');
    const form = await openedBy(homeButtonClick({ actionId: 'checkin.start', value: prompt!.id, userId: 'UANA' }));
    expect(form.callback_id).toBe('checkin.answer');
    const [mood] = form.blocks.filter((b) => b.type === 'input');
    await postSigned(
      app.url,
      viewSubmission({
        userId: 'UANA',
        view: form,
        values: { [mood!.block_id!]: { [mood!.block_id!]: { type: 'radio_buttons', selected_option: { value: '4' } } } },
      }),
    );
    await until(async () => (await app.db.selectFrom('checkin_prompts').select('status').executeTakeFirstOrThrow()).status === 'answered');

    const after = await homeOf('UANA');
    expect(after).not.toContain('is open');
    expect(after).toContain('🔥 1 in a row');
    const managers = await homeOf('UMGR');
    expect(managers).toContain('Your team, week of Fri, Nov 27: 1 of 1 answered.');
    expect(managers).toContain('Waiting for a word from you: *Ana Lopez* (answered)');
    expect(managers).toContain('Reply to Ana Lopez');
  });

  it('starts a new month at midnight on the 1st in the person’s own timezone', async () => {
    time.set('2026-11-30T14:59:00Z'); // 23:59 on Nov 30 in Tokyo
    expect(await homeOf('UANA')).toContain('80 of 100 left this month');
    time.set('2026-11-30T15:00:00Z'); // midnight, Dec 1, in Tokyo; still November in New York
    const december = await homeOf('UANA');
    expect(december).toContain('100 of 100 left this month');
    expect(december).toContain('0 kudos · 0 points');
    expect(await homeOf('UGIA')).toContain('95 of 100 left this month');
  });

  it('publishes once for a retry after a late acknowledgement, again for a retry after an error (harmless: it replaces the tab), and not for the Messages tab', async () => {
    const before = publishedTo('UANA').length;
    await openHome('UANA', { eventId: 'EvHOME1' });
    await stub.waitFor(() => publishedTo('UANA').length === before + 1);
    await openHome('UANA', { eventId: 'EvHOME1', retry: { num: 1, reason: 'http_timeout' } });
    await openHome('UANA', {}, 'messages');
    await new Promise((r) => setTimeout(r, 300));
    expect(publishedTo('UANA')).toHaveLength(before + 1);
    await openHome('UANA', { eventId: 'EvHOME1', retry: { num: 2, reason: 'http_error' } });
    await stub.waitFor(() => publishedTo('UANA').length === before + 2);
  });

  it('answers a message typed in the Messages tab with the help, once, and lets bots’ messages and edits be', async () => {
    const dm = (fields: Record<string, unknown>) => ({
      type: 'message',
      channel: 'DANA',
      channel_type: 'im',
      user: 'UANA',
      text: 'hi there',
      ts: '2.1',
      ...fields,
    });
    const helpTo = () => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === 'DANA');
    await postSignedEvent(app.url, dm({}), 'T1', { eventId: 'EvDM1' });
    await stub.waitFor(() => helpTo().length === 1);
    expect(JSON.stringify(helpTo()[0]!.body)).toContain('Here is what I can do');
    // Slack's slash commands; the bot knows none of Ana's colleagues yet, so the examples say @name.
    expect(JSON.stringify(helpTo()[0]!.body)).toContain('`/kudos @name 20 #teamwork');
    expect(JSON.stringify(helpTo()[0]!.body)).not.toContain('{typed');

    await postSignedEvent(app.url, dm({}), 'T1', { eventId: 'EvDM1', retry: { num: 1, reason: 'http_timeout' } });
    await postSignedEvent(app.url, dm({ bot_id: 'BOTHER', user: undefined }));
    await postSignedEvent(app.url, dm({ subtype: 'message_changed' }));
    await postSignedEvent(app.url, { ...dm({}), channel: 'C1', channel_type: 'channel' });
    await new Promise((r) => setTimeout(r, 300));
    expect(stub.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.body).includes('Here is what I can do'))).toHaveLength(1);
  });
});
