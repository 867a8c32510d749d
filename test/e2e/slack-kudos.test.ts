import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { REDIS_URL } from '../support/services';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, interactionPayload, postSigned, slashCommand, viewSubmission } from '../support/slack-requests';
import type { SlackStub } from '../support/slack-stub';
import { until } from '../support/wait';

const users = [
  { id: 'UGIVER', name: 'Gia Giver', email: 'gia@acme.test', tz: 'America/New_York' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
  { id: 'UBEN', name: 'Ben Okafor', email: 'ben@acme.test' },
  { id: 'UBOT', name: 'Deploy Bot', is_bot: true },
  { id: 'UGONE', name: 'Gone Person', deleted: true },
  { id: 'UADMIN', name: 'Hana HR', email: 'hana@acme.test', is_admin: true },
];

const runners = [
  { runner: 'in-process jobs', env: {} },
  { runner: 'BullMQ jobs on Redis', env: { REDIS_URL } },
];

describe.each(runners)('Slack kudos end to end ($runner)', ({ env }) => {
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users, ephemeralFailsIn: ['DOTHER'] }, env });
    ({ stub, app } = running);
  });
  afterAll(() => running?.close());

  beforeEach(async () => {
    await app.db.deleteFrom('notifications').execute();
    await app.db.deleteFrom('kudos_recipients').execute();
    await app.db.deleteFrom('kudos').execute();
    await app.db.deleteFrom('point_allowances').execute();
    stub.reset();
  });

  const kudosRows = () => app.db.selectFrom('kudos').selectAll().execute();
  const notificationRows = () => app.db.selectFrom('notifications').selectAll().execute();
  const postsTo = (channel: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);
  const command = (text: string, extra: Partial<Parameters<typeof slashCommand>[0]> = {}) =>
    slashCommand({ text, responseUrl: stub.responseUrl('r1'), ...extra });
  const ephemeralText = () =>
    stub
      .callsTo('response_url')
      .map((c) => JSON.stringify(c.body))
      .join('\n');

  it('shows what looks like our markers in a kudos as written: it names, links and pings nobody', async () => {
    await postSigned(app.url, command('<@UANA> 5 first'));
    await stub.waitFor(() => postsTo('C1').length === 1);
    const ana = await app.db.selectFrom('people').select('id').where('display_name', '=', 'Ana Lopez').executeTakeFirstOrThrow();
    await postSigned(app.url, command(`<@UANA> 5 thanks {person:${ana.id}} in {channel:CSECRET}, try {typed:hepo org}`));
    await stub.waitFor(() => postsTo('C1').length === 2 && postsTo('UANA').length === 2);
    for (const post of [postsTo('C1')[1]!, postsTo('UANA')[1]!]) {
      const quote = JSON.stringify(post.body.blocks).match(/“thanks[^”]*”/)![0];
      expect(quote).toBe(`“thanks {\u2060person:${ana.id}} in {\u2060channel:CSECRET}, try {\u2060typed:hepo org}”`);
      expect(JSON.stringify(post.body)).not.toMatch(/<#CSECRET>|`\/hepo org`/);
    }
  });

  it('never makes a channel-wide ping live in what it posts, written raw or HTML-escaped', async () => {
    await postSigned(app.url, command('<@UANA> 5 thanks <!here> and <!channel> and <!everyone|everyone> and &lt;!channel&gt;'));
    await stub.waitFor(() => postsTo('C1').length === 1 && postsTo('UANA').length === 1);
    for (const post of [postsTo('C1')[0]!, postsTo('UANA')[0]!]) {
      expect(JSON.stringify(post.body)).toContain('thanks @here and @channel and @everyone');
      expect(JSON.stringify(post.body)).not.toContain('<!');
    }
  });

  it('records kudos from a slash command, posts it in the channel and DMs each recipient', async () => {
    const res = await postSigned(app.url, command('<@UANA> <@UBEN|ben> 20 #teamwork thanks for carrying the launch demo'));
    expect(res.status).toBe(200);
    // Acknowledged at once, like bare Bolt; the confirmation follows through the response_url.
    expect(await res.text()).toBe('');

    await stub.waitFor(() => postsTo('C1').length === 1 && postsTo('UANA').length === 1 && postsTo('UBEN').length === 1);
    await stub.waitFor(() => stub.callsTo('response_url').length === 1);

    const post = postsTo('C1')[0]!;
    expect(post.token).toBe('xoxb-test-token');
    // People are named with mentions, in the blocks and in the notification text: Slack notifies them and shows their names of now.
    expect(JSON.stringify(post.body.blocks)).toContain('<@UGIVER> recognised <@UANA> and <@UBEN> for #teamwork');
    expect(post.body.text).toBe('<@UGIVER> recognised <@UANA> and <@UBEN> for #teamwork');
    expect(JSON.stringify(post.body.blocks)).not.toContain('*Ana Lopez*');
    expect(JSON.stringify(post.body.blocks)).toContain('thanks for carrying the launch demo');
    expect(JSON.stringify(postsTo('UANA')[0]!.body.blocks)).toContain('<@UGIVER> recognised you for #teamwork');
    expect(JSON.stringify(postsTo('UANA')[0]!.body.blocks)).toContain('+20 points');
    // The post names the value once: in its headline, not again beside the points.
    expect(JSON.stringify(post.body.blocks).split('#teamwork')).toHaveLength(2);
    expect(postsTo('UANA')[0]!.body.text).toBe('<@UGIVER> recognised you for #teamwork');
    expect(stub.callsTo('response_url')[0]!.body).toMatchObject({ response_type: 'ephemeral', text: 'You recognised Ana Lopez and Ben Okafor' });
    expect(ephemeralText()).toContain('You recognised *Ana Lopez* and *Ben Okafor* for #teamwork with 20 points each.');
    expect(ephemeralText()).toContain('Posted where you gave it, for everyone there to see.');
    expect(ephemeralText()).toContain('60 of 100 points left this month');

    const [kudos] = await kudosRows();
    expect(kudos).toMatchObject({ points_each: 20, company_value: 'teamwork', message: 'thanks for carrying the launch demo' });
    const recipients = await app.db.selectFrom('kudos_recipients').select('points').execute();
    expect(recipients.map((r) => r.points)).toEqual([20, 20]);
    await until(async () => (await notificationRows()).every((n) => n.status === 'sent'));
    // People were created from users.info on first contact and are reused afterwards.
    const people = await app.db.selectFrom('people').select(['display_name', 'email', 'timezone']).orderBy('display_name').execute();
    expect(people).toEqual(expect.arrayContaining([{ display_name: 'Gia Giver', email: 'gia@acme.test', timezone: 'America/New_York' }]));
  });

  it('records one kudos, posts once and DMs once when Slack delivers the same command twice', async () => {
    const form = command('<@UANA> 5 #growth great mentoring', { triggerId: 'trigger-repeat-1' });
    const [first, second] = await Promise.all([postSigned(app.url, form), postSigned(app.url, form)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await postSigned(app.url, form);

    await stub.waitFor(() => stub.callsTo('response_url').length === 3);
    await stub.waitFor(() => postsTo('C1').length >= 1 && postsTo('UANA').length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await kudosRows()).toHaveLength(1);
    expect(postsTo('C1')).toHaveLength(1);
    expect(postsTo('UANA')).toHaveLength(1);
    const spent = await app.db.selectFrom('point_allowances').select('spent').executeTakeFirstOrThrow();
    expect(spent.spent).toBe(5);
  });

  it.each([
    ['yourself', '<@UGIVER> 5 thanks me', "can't give kudos to yourself"],
    ['a bot', '<@UBOT> 5 thanks bot', 'Deploy Bot is a bot'],
    ['a deactivated person', '<@UGONE> 5 thanks', 'no longer active'],
    ['nobody', '10 #teamwork thanks all', 'Mention at least one person'],
    ['no message', '<@UANA> 10 #teamwork', 'Add a few words'],
    ['an unknown value', '<@UANA> 10 #launch great work', "#launch isn't one of your company values"],
    ['two values', '<@UANA> #growth #respect great work', 'Pick one company value'],
    ['more points than the allowance', '<@UANA> <@UBEN> 60 great work', 'You have 100 of 100 points left this month (60 each for 2 people makes 120)'],
    ['zero points', '<@UANA> 0 great work', 'Points start at 1'],
    ['more points each than a month allows', '<@UANA> <@UBEN> 999999999 great work', "That's more than the 100 points anyone can give in a month"],
    [
      'more people than one kudos may name',
      `${Array.from({ length: 21 }, (_, i) => `<@UP${i}>`).join(' ')} 1 thanks all`,
      'One kudos can name up to 20 people. Split them into a few kudos.',
    ],
    ['someone Slack does not know', '<@UNOBODY> 5 great work', "couldn't find that person"],
  ])('refuses kudos to %s kindly, privately, and stores nothing', async (_case, text, reply) => {
    const res = await postSigned(app.url, command(text));
    expect(res.status).toBe(200);
    await stub.waitFor(() => stub.callsTo('response_url').length === 1);
    expect(stub.callsTo('response_url')[0]!.body).toMatchObject({ response_type: 'ephemeral' });
    expect(ephemeralText()).toContain(reply);
    expect(await kudosRows()).toHaveLength(0);
    expect(await notificationRows()).toHaveLength(0);
    expect(stub.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('in a DM with no recognition channel, tells the giver it stays between them and still DMs the recipient', async () => {
    await postSigned(app.url, command('<@UANA> 10 #respect thanks for the review', { channelId: 'DOTHER', channelName: 'directmessage' }));
    await stub.waitFor(() => postsTo('UANA').length === 1 && stub.callsTo('response_url').length === 1);
    expect(postsTo('DOTHER')).toHaveLength(0);
    expect(ephemeralText()).toContain('You recognised *Ana Lopez* for #respect with 10 points.');
    expect(ephemeralText()).toContain(
      "Only you and *Ana Lopez* see this: kudos given in private aren't posted anywhere until an HR admin chooses a recognition channel.",
    );
  });

  it('lets an HR admin choose the recognition channel, where kudos given in a DM are then posted', async () => {
    await postSigned(app.url, command('channel <#CKUDOS|kudos>'));
    await stub.waitFor(() => ephemeralText().includes('Only an HR admin can change the organization’s settings'));
    await postSigned(app.url, command('channel <#CKUDOS|kudos>', { userId: 'UADMIN' }));
    await stub.waitFor(() => ephemeralText().includes('Kudos given in direct messages will be posted in #kudos'));
    try {
      await postSigned(app.url, command('<@UANA> 10 thanks!', { channelId: 'DOTHER', channelName: 'directmessage' }));
      await stub.waitFor(() => postsTo('CKUDOS').length === 1 && postsTo('UANA').length === 1 && stub.callsTo('response_url').length === 3);
      // The confirmation links the channel, which Slack shows by its name.
      expect(ephemeralText()).toContain('📣 Posted in <#CKUDOS> for everyone to see.');
      await postSigned(app.url, command('channel off', { userId: 'UADMIN' }));
      await stub.waitFor(() => ephemeralText().includes('No recognition channel now'));
      expect((await app.db.selectFrom('orgs').select('slack_recognition_channel').executeTakeFirstOrThrow()).slack_recognition_channel).toBeNull();
    } finally {
      await app.db.updateTable('orgs').set({ slack_recognition_channel: null }).execute();
    }
  });

  describe('the kudos modal', () => {
    async function openModal() {
      await postSigned(app.url, command(''));
      await stub.waitFor(() => stub.callsTo('views.open').length === 1);
      return stub.callsTo('views.open')[0]!.body.view as {
        callback_id: string;
        private_metadata: string;
        blocks: Array<{ type: string; block_id?: string; element?: { type: string } }>;
      };
    }

    const values = (v: { recipients: string[]; points?: string; value?: string; message: string }) => ({
      recipients: { recipients: { type: 'multi_users_select', selected_users: v.recipients } },
      points: { points: { type: 'number_input', value: v.points ?? null } },
      value: { value: { type: 'static_select', selected_option: v.value ? { value: v.value } : null } },
      message: { message: { type: 'plain_text_input', value: v.message } },
    });

    it('opens from /kudos with no text, with the pickers the form needs', async () => {
      const view = await openModal();
      expect(view.callback_id).toBe('kudos');
      expect(view.blocks.filter((b) => b.type === 'input').map((b) => [b.block_id, b.element?.type])).toEqual([
        ['recipients', 'multi_users_select'],
        ['points', 'number_input'],
        ['value', 'static_select'],
        ['message', 'plain_text_input'],
      ]);
      expect(JSON.stringify(view)).toContain('You have 100 of 100 points left this month');
    });

    it('records kudos on submit, closes the modal and confirms privately in the channel', async () => {
      const view = await openModal();
      const res = await postSigned(
        app.url,
        viewSubmission({ view, values: values({ recipients: ['UANA'], points: '15', value: 'excellence', message: 'Superb docs' }) }),
      );
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
      await stub.waitFor(() => postsTo('C1').length === 1 && postsTo('UANA').length === 1);
      await stub.waitFor(() => stub.callsTo('chat.postEphemeral').length === 1);
      expect(stub.callsTo('chat.postEphemeral')[0]!.body).toMatchObject({ channel: 'C1', user: 'UGIVER' });
      const [kudos] = await kudosRows();
      expect(kudos).toMatchObject({ points_each: 15, company_value: 'excellence', message: 'Superb docs' });
    });

    it('keeps the modal open with the problem at its field, and stores nothing', async () => {
      const view = await openModal();
      const res = await postSigned(app.url, viewSubmission({ view, values: values({ recipients: ['UGIVER'], message: 'me!' }) }));
      expect(await res.json()).toEqual({
        response_action: 'errors',
        errors: { recipients: "You can't give kudos to yourself, but thanks for all you do! Recognise a teammate instead." },
      });
      const noMessage = await postSigned(app.url, viewSubmission({ view, values: values({ recipients: ['UANA'], message: '  ' }) }));
      expect(await noMessage.json()).toMatchObject({ response_action: 'errors', errors: { message: expect.stringContaining('Add a few words') } });
      expect(await kudosRows()).toHaveLength(0);
      expect(await notificationRows()).toHaveLength(0);
    });

    it('records one kudos when the submit button is double-clicked', async () => {
      const view = { ...(await openModal()), id: 'VDOUBLE' };
      const form = viewSubmission({ view, values: values({ recipients: ['UBEN'], points: '3', message: 'Thanks!' }) });
      const responses = await Promise.all([postSigned(app.url, form), postSigned(app.url, form)]);
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      await stub.waitFor(() => postsTo('UBEN').length === 1 && postsTo('C1').length === 1);
      await new Promise((r) => setTimeout(r, 300));
      expect(await kudosRows()).toHaveLength(1);
      expect(postsTo('UBEN')).toHaveLength(1);
      expect(postsTo('C1')).toHaveLength(1);
    });
  });

  it('opens the modal from the "Give kudos" button on a recognition post', async () => {
    const click = buttonClick({ actionId: 'kudos.open_form', userId: 'UBEN', channelId: 'C1', responseUrl: stub.responseUrl('button') });
    const res = await postSigned(app.url, click);
    expect(res.status).toBe(200);
    await stub.waitFor(() => stub.callsTo('views.open').length === 1);
    expect(stub.callsTo('views.open')[0]!.body).toMatchObject({ view: { callback_id: 'kudos' } });
  });

  it('opens the modal from the "Give kudos" global shortcut', async () => {
    const res = await postSigned(
      app.url,
      interactionPayload({
        type: 'shortcut',
        callback_id: 'kudos.open_form',
        trigger_id: 'trigger-shortcut',
        user: { id: 'UBEN', team_id: 'T1' },
        team: { id: 'T1' },
        is_enterprise_install: false,
      }),
    );
    expect(res.status).toBe(200);
    await stub.waitFor(() => stub.callsTo('views.open').length === 1);
    expect(stub.callsTo('views.open')[0]!.body).toMatchObject({ trigger_id: 'trigger-shortcut', view: { callback_id: 'kudos' } });
  });

  it.each([
    ['a forged signature', { secret: 'not-the-secret' }],
    ['an expired timestamp', { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 }],
  ])('answers 401 to %s and stores nothing', async (_case, signing) => {
    const res = await postSigned(app.url, command('<@UANA> 5 thanks'), signing);
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(await kudosRows()).toHaveLength(0);
    expect(stub.calls).toHaveLength(0);
  });
});

describe('Slack kudos while Slack is down', () => {
  let running: SlackTestApp;

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users, unavailable: ['users.info'] } });
  });
  afterAll(() => running?.close());

  it("tells the giver to try again once a few retries of a person's profile fail, and stores nothing", async () => {
    const { app, stub } = running;
    // A first contact: the bot looks the giver up with users.info, which answers 503.
    await postSigned(app.url, slashCommand({ text: '<@UANA> 5 #teamwork thanks', responseUrl: stub.responseUrl('down') }));
    // It retries briefly (seconds, not the Web API client's default half hour), then answers.
    await stub.waitFor((calls) => calls.some((c) => c.method === 'response_url'), 15_000);
    expect(JSON.stringify(stub.callsTo('response_url')[0]!.body)).toContain('Sorry, something went wrong on my side. Please try again in a moment.');
    expect(stub.refusedCalls()).toBeGreaterThanOrEqual(2);
    expect(stub.refusedCalls()).toBeLessThanOrEqual(6);
    expect(await app.db.selectFrom('kudos').select('id').execute()).toEqual([]);
    expect(await app.db.selectFrom('people').select('id').execute()).toEqual([]);
  });
});
