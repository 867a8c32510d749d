import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkinTick } from '../../src/features/checkins/checkins.jobs';
import { oneOnOneTick } from '../../src/features/one-on-ones/one-on-ones.jobs';
import type { RunningApp } from '../../src/app';
import { fakeClock } from '../support/fake-clock';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, commandInDm, postSigned, postSignedEvent, viewSubmission } from '../support/slack-requests';
import { until } from '../support/wait';
import type { SlackCall, SlackStub } from '../support/slack-stub';

const users = [
  { id: 'UMGR', name: 'Maya Manager', email: 'maya@acme.test', tz: 'Europe/Lisbon' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test', tz: 'Asia/Tokyo' },
  { id: 'UBEN', name: 'Ben Okafor', email: 'ben@acme.test', tz: 'America/New_York' },
  { id: 'UOTHER', name: 'Olga Other', email: 'olga@acme.test', tz: 'Europe/Lisbon' },
  { id: 'UHR', name: 'Hana HR', email: 'hana@acme.test', tz: 'Europe/Lisbon', is_admin: true },
];

type View = { callback_id: string; private_metadata: string; blocks: Array<{ type: string; block_id?: string; element?: { type: string } }> };

describe('check-ins in Slack, driven by a fake clock', () => {
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;
  const time = fakeClock('2026-11-25T10:00:00Z'); // a Wednesday

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users }, clock: time.clock });
    ({ stub, app } = running);
  });
  afterAll(() => running?.close());

  const dmsTo = (user: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === user);
  const text = (call: SlackCall | undefined) => JSON.stringify(call?.body ?? {});
  const command = (userId: string, commandText: string) => postSigned(app.url, commandInDm('/checkin', commandText, userId, stub.responseUrl(userId)));
  const hepo = (userId: string, commandText: string) => postSigned(app.url, commandInDm('/hepo', commandText, userId, stub.responseUrl(userId)));
  const repliesTo = (userId: string) =>
    stub
      .callsTo('response_url')
      .filter((c) => c.responseTo === userId)
      .map(text);
  /** What only this person saw: answers to their commands, and ephemeral messages. */
  const privatelyTo = (user: string) =>
    stub.calls.filter((c) => (c.method === 'response_url' && c.responseTo === user) || (c.method === 'chat.postEphemeral' && c.body.user === user)).map(text);
  const lastReplyTo = (userId: string) =>
    text(
      stub.calls
        .filter((c) => c.method === 'response_url')
        .filter((c) => c.body && stub.responseUrl(userId))
        .at(-1),
    );
  const tick = async () => {
    await app.jobs.enqueue(checkinTick, {});
    await app.jobs.enqueue(oneOnOneTick, {});
    await new Promise((r) => setTimeout(r, 400));
  };
  async function click(userId: string, actionId: string, value: string, messageTs = '100.1') {
    const before = stub.callsTo('views.open').length;
    await postSigned(app.url, buttonClick({ actionId, value, userId, channelId: `D${userId}`, messageTs, responseUrl: stub.responseUrl(userId) }));
    return before;
  }
  async function openedView(before: number): Promise<View> {
    await stub.waitFor(() => stub.callsTo('views.open').length > before);
    return stub.callsTo('views.open').at(-1)!.body.view as View;
  }
  /** Olga's setup form: Ana, Mondays at 09:00. */
  const olgasTeam = {
    members: { members: { type: 'multi_users_select', selected_users: ['UANA'] } },
    every: { every: { type: 'static_select', selected_option: { value: 'week' } } },
    weekday: { weekday: { type: 'static_select', selected_option: { value: '1' } } },
    time: { time: { type: 'static_select', selected_option: { value: '09:00' } } },
    questions: { questions: { type: 'plain_text_input', value: 'Anything?' } },
  };
  const promptIdIn = (call: SlackCall) => /"action_id":"checkin.start","text":\{[^}]*\},"value":"([0-9a-f-]{36})"/.exec(text(call))![1]!;

  it('lets an HR admin put people under a manager in the org chart, and nobody else', async () => {
    await hepo('UANA', 'org <@UANA> manager <@UMGR>');
    await stub.waitFor(() => repliesTo('UANA').some((r) => r.includes('Only an HR admin can change the org chart.')));
    await hepo('UHR', 'org <@UANA> manager <@UMGR>');
    await hepo('UHR', 'org <@UBEN> manager <@UMGR>');
    await stub.waitFor(() => repliesTo('UHR').filter((r) => r.includes('✅ Updated')).length === 2);
    expect(repliesTo('UHR').at(-1)).toContain('Maya Manager');
    await hepo('UHR', 'org <@UMGR> manager <@UANA>');
    await stub.waitFor(() => repliesTo('UHR').some((r) => r.includes('Ana Lopez reports to Maya Manager already')));
    const managers = await app.db.selectFrom('people').select(['display_name', 'manager_id']).orderBy('display_name').execute();
    expect(managers.filter((p) => p.manager_id !== null).map((p) => p.display_name)).toEqual(['Ana Lopez', 'Ben Okafor']);
  });

  it('lets a manager set up the team with the default questions, and tells each new member', async () => {
    await command('UMGR', 'setup');
    const view = await openedView(0);
    expect(view.callback_id).toBe('checkin.setup');
    expect(JSON.stringify(view)).toContain('How are you feeling this week? (rating 1-5)');
    const res = await postSigned(
      app.url,
      viewSubmission({
        userId: 'UMGR',
        view,
        values: {
          members: { members: { type: 'multi_users_select', selected_users: ['UANA', 'UBEN'] } },
          every: { every: { type: 'static_select', selected_option: { value: 'week' } } },
          weekday: { weekday: { type: 'static_select', selected_option: { value: '5' } } },
          time: { time: { type: 'static_select', selected_option: { value: '15:00' } } },
          questions: {
            questions: { type: 'plain_text_input', value: 'How are you feeling this week? (rating 1-5)\nWhat went well?\nWhat got in the way? (blockers)' },
          },
        },
      }),
    );
    expect(await res.text()).toBe('');
    await stub.waitFor(() => dmsTo('UANA').length === 1 && dmsTo('UBEN').length === 1);
    expect(text(dmsTo('UANA')[0])).toContain('<@UMGR> added you to their team check-ins');
    const reports = await app.db.selectFrom('people').select('display_name').where('manager_id', 'is not', null).orderBy('display_name').execute();
    expect(reports.map((r) => r.display_name)).toEqual(['Ana Lopez', 'Ben Okafor']);
  });

  it('shows the manager their team after setup, and a member when their first check-in comes', async () => {
    await command('UMGR', '');
    await stub.waitFor(() => privatelyTo('UMGR').some((t) => t.includes("Your team's check-ins")));
    const team = privatelyTo('UMGR').at(-1)!;
    expect(team).toContain("*Your team's check-ins* (2 people): <@UANA>, <@UBEN>");
    // Maya is in Lisbon: Friday 15:00 there is 15:00 UTC in November.
    expect(team).toContain("Check-ins go out every week on Friday at 15:00, in each person's own time. Next: Fri, Nov 27 at 15:00, your time.");
    expect(team).toContain('"action_id":"checkin.setup","text":{"type":"plain_text","text":"Edit check-ins"');
    expect(team).not.toContain('Set up check-ins');
    expect(team).not.toContain('no check-ins yet');

    await command('UANA', '');
    await stub.waitFor(() => privatelyTo('UANA').some((t) => t.includes('team check-ins')));
    const member = privatelyTo('UANA').at(-1)!;
    expect(member).toContain("You're in <@UMGR>'s team check-ins. Your first check-in comes Fri, Nov 27 at 15:00, your time.");
    expect(member).not.toContain('no check-ins yet');
    expect(member).not.toContain('checkin.setup');
  });

  it('refuses to put someone who reports to another manager in a team, and changes nothing', async () => {
    await command('UOTHER', 'setup');
    const view = await openedView(1);
    const res = await postSigned(app.url, viewSubmission({ userId: 'UOTHER', view, values: olgasTeam }));
    expect(await res.json()).toEqual({
      response_action: 'errors',
      // A modal's field errors are plain text: the command as typed.
      errors: { members: "Ana Lopez doesn't report to you in the org chart. An HR admin can change that with /hepo org." },
    });
    expect(await app.db.selectFrom('checkin_teams').select('id').execute()).toHaveLength(1);
  });

  it('lets a workspace admin (an HR admin) open any manager’s setup, but not a teammate', async () => {
    await command('UANA', 'setup <@UMGR>');
    await stub.waitFor(() => stub.callsTo('response_url').some((c) => text(c).includes('Only a manager, or an HR admin')));
    await command('UHR', 'setup <@UMGR>');
    const view = await openedView(2);
    expect(JSON.parse(view.private_metadata).state.managerId).toBeTruthy();
    expect(JSON.stringify(view)).toContain('"initial_users":["UANA","UBEN"]');
  });

  it('prompts each member at 15:00 on Friday in their own timezone, once', async () => {
    time.set('2026-11-27T05:59:00Z');
    await tick();
    expect(dmsTo('UANA')).toHaveLength(1);
    time.set('2026-11-27T06:00:00Z'); // 15:00 in Tokyo
    await tick();
    await stub.waitFor(() => dmsTo('UANA').length === 2);
    await tick();
    expect(dmsTo('UANA')).toHaveLength(2);
    expect(dmsTo('UBEN')).toHaveLength(1);
    expect(text(dmsTo('UANA')[1])).toContain('time for your check-in for the week of Fri, Nov 27');
    time.set('2026-11-27T20:00:00Z'); // 15:00 in New York
    await tick();
    await stub.waitFor(() => dmsTo('UBEN').length === 2);
  });

  it('opens the answers form from the prompt, saves the answers and marks the prompt "Submitted ✓" in place', async () => {
    const promptId = promptIdIn(dmsTo('UANA')[1]!);
    const view = await openedView(await click('UANA', 'checkin.start', promptId, '555.1'));
    expect(view.callback_id).toBe('checkin.answer');
    const [mood, well, blockers] = view.blocks.filter((b) => b.type === 'input');
    expect(mood!.element!.type).toBe('radio_buttons');
    await postSigned(
      app.url,
      viewSubmission({
        userId: 'UANA',
        view,
        values: {
          [mood!.block_id!]: { [mood!.block_id!]: { type: 'radio_buttons', selected_option: { value: '4' } } },
          [well!.block_id!]: { [well!.block_id!]: { type: 'plain_text_input', value: 'Shipped the importer' } },
          [blockers!.block_id!]: { [blockers!.block_id!]: { type: 'plain_text_input', value: 'Waiting on API keys' } },
        },
      }),
    );
    await stub.waitFor(() => stub.callsTo('chat.update').length === 1);
    expect(stub.callsTo('chat.update')[0]!.body).toMatchObject({ channel: 'DUANA', ts: '555.1' });
    expect(text(stub.callsTo('chat.update')[0])).toContain('Submitted');
    const prompt = await app.db.selectFrom('checkin_prompts').select('status').where('id', '=', promptId).executeTakeFirstOrThrow();
    expect(prompt.status).toBe('answered');

    // The same form submitted again (double click) changes nothing.
    await postSigned(
      app.url,
      viewSubmission({
        userId: 'UANA',
        view,
        values: { [mood!.block_id!]: { [mood!.block_id!]: { type: 'radio_buttons', selected_option: { value: '1' } } } },
      }),
    );
    const answers = await app.db.selectFrom('checkin_answers').select('value').where('prompt_id', '=', promptId).execute();
    expect(answers.map((a) => a.value).sort()).toEqual(['4', 'Shipped the importer', 'Waiting on API keys']);
  });

  it('refuses to let anyone else open or answer a person’s check-in', async () => {
    const promptId = promptIdIn(dmsTo('UBEN')[1]!);
    const opened = stub.callsTo('views.open').length;
    await click('UANA', 'checkin.start', promptId);
    await stub.waitFor(() => stub.callsTo('response_url').some((c) => text(c).includes('belongs to someone else')));
    expect(stub.callsTo('views.open')).toHaveLength(opened);
  });

  it('snoozes for two hours, then brings the prompt back once', async () => {
    const promptId = promptIdIn(dmsTo('UBEN')[1]!);
    await click('UBEN', 'checkin.snooze', promptId, '777.1');
    await stub.waitFor(() => stub.callsTo('chat.update').some((c) => text(c).includes('Snoozed')));
    expect(text(stub.callsTo('chat.update').at(-1))).toContain("I'll bring it back at 17:00");
    time.set('2026-11-27T21:59:00Z');
    await tick();
    expect(dmsTo('UBEN')).toHaveLength(2);
    time.set('2026-11-27T22:00:00Z');
    await tick();
    await stub.waitFor(() => dmsTo('UBEN').length === 3);
    await tick();
    expect(dmsTo('UBEN')).toHaveLength(3);
    expect(text(dmsTo('UBEN')[2])).toContain('A gentle reminder');
  });

  it('sends the manager one digest as soon as everyone answered or skipped, with mood and blockers', async () => {
    const promptId = promptIdIn(dmsTo('UBEN')[1]!);
    const view = await openedView(await click('UBEN', 'checkin.skip', promptId));
    expect(view.callback_id).toBe('checkin.skip');
    await postSigned(app.url, viewSubmission({ userId: 'UBEN', view, values: { reason: { reason: { type: 'plain_text_input', value: 'Out sick' } } } }));
    await stub.waitFor(() => dmsTo('UMGR').length === 1);
    const digest = text(dmsTo('UMGR')[0]);
    // Members are named with mentions: clickable, and shown by Slack with their names of now.
    expect(digest).toContain('<@UANA>: mood 4/5');
    expect(digest).toContain('In the way: Waiting on API keys');
    expect(digest).toContain('<@UBEN>: skipped (Out sick)');
    expect(digest).toContain('1 of 2 answered');
    await tick();
    time.set('2026-12-01T12:00:00Z');
    await tick();
    expect(dmsTo('UMGR')).toHaveLength(1);
  });

  it('lets the manager reply privately from the digest, and nobody else', async () => {
    const anaPrompt = await app.db
      .selectFrom('checkin_prompts')
      .innerJoin('people', 'people.id', 'checkin_prompts.person_id')
      .select('checkin_prompts.id')
      .where('people.display_name', '=', 'Ana Lopez')
      .executeTakeFirstOrThrow();
    await click('UBEN', 'checkin.reply', anaPrompt.id);
    await stub.waitFor(() => stub.callsTo('response_url').some((c) => text(c).includes('Only the person and their manager')));

    const view = await openedView(await click('UMGR', 'checkin.reply', anaPrompt.id));
    expect(view.callback_id).toBe('checkin.reply');
    const anaDms = dmsTo('UANA').length;
    await postSigned(
      app.url,
      viewSubmission({ userId: 'UMGR', view, values: { text: { text: { type: 'plain_text_input', value: 'I will chase the API keys today.' } } } }),
    );
    await stub.waitFor(() => dmsTo('UANA').length === anaDms + 1);
    expect(text(dmsTo('UANA').at(-1))).toContain('<@UMGR> replied about your check-in');
    expect(text(dmsTo('UANA').at(-1))).toContain('I will chase the API keys today.');
  });

  it('lets the person, their managers and HR read a check-in’s answers, privately, and nobody else', async () => {
    const anaPrompt = await app.db
      .selectFrom('checkin_prompts')
      .innerJoin('people', 'people.id', 'checkin_prompts.person_id')
      .select('checkin_prompts.id')
      .where('people.display_name', '=', 'Ana Lopez')
      .executeTakeFirstOrThrow();
    const posts = stub.callsTo('chat.postMessage').length;
    await click('UBEN', 'checkin.view_answers', anaPrompt.id);
    await stub.waitFor(() => privatelyTo('UBEN').some((t) => t.includes('Only the person, their managers and HR can read these answers.')));
    for (const reader of ['UMGR', 'UHR']) {
      await click(reader, 'checkin.view_answers', anaPrompt.id);
      await stub.waitFor(() => privatelyTo(reader).some((t) => t.includes('Ana Lopez, week of Fri, Nov 27') && t.includes('Waiting on API keys')));
    }
    expect(privatelyTo('UBEN').some((t) => t.includes('Waiting on API keys'))).toBe(false);
    expect(stub.callsTo('chat.postMessage')).toHaveLength(posts);

    await command('UMGR', '<@UANA>');
    await stub.waitFor(() => privatelyTo('UMGR').some((t) => t.includes("Ana Lopez's check-ins") && t.includes('Answers, Nov 27')));
    await command('UBEN', '<@UANA>');
    await stub.waitFor(() => privatelyTo('UBEN').filter((t) => t.includes('Only the person, their managers and HR')).length === 2);
  });

  it('shows people their history and streak, and managers their team’s participation', async () => {
    await command('UANA', '');
    await stub.waitFor(() => lastReplyTo('UANA').includes('Your check-ins'));
    expect(lastReplyTo('UANA')).toContain('week of Fri, Nov 27: ✅ answered');
    expect(lastReplyTo('UANA')).toContain('"action_id":"checkin.view_answers"');
    // Ana in Tokyo: her next one is Friday 15:00 her time.
    expect(lastReplyTo('UANA')).toContain("Next check-in: Fri, Dec 4 at 15:00, your time (<@UMGR>'s team).");
    const before = privatelyTo('UMGR').length;
    await command('UMGR', '');
    await stub.waitFor(() => privatelyTo('UMGR').length > before);
    const team = privatelyTo('UMGR').at(-1)!;
    expect(team).toContain('Your team, week of Fri, Nov 27: 1 of 2 answered.\\n• <@UANA>: ✅ answered\\n• <@UBEN>: ⏭️ skipped (Out sick)');
    expect(team).toContain('Next: Fri, Dec 4 at 15:00, your time.');
    // Ana's answers open from here; Maya wrote back to Ana already, so only Ben waits for a word.
    expect(team).toContain('"action_id":"checkin.view_answers","text":{"type":"plain_text","text":"Ana Lopez\'s answers"');
    expect(team).toContain('"text":"Reply to Ben Okafor"');
    expect(team).not.toContain('Reply to Ana Lopez');
    expect(team).toContain('"text":"Edit check-ins"');
  });

  it('pauses prompts for someone away, shows them as away, and reminds the others in working hours', async () => {
    await command('UBEN', 'away until 2026-02-30');
    await stub.waitFor(() => stub.callsTo('response_url').some((c) => text(c).includes('Tell me the last day you are away')));
    await command('UBEN', 'away until 2026-12-06');
    await stub.waitFor(() => stub.callsTo('response_url').some((c) => text(c).includes('No check-ins or reminders until Sun, Dec 6')));
    const benDms = dmsTo('UBEN').length;
    const anaDms = dmsTo('UANA').length;
    time.set('2026-12-04T21:00:00Z'); // after 15:00 Friday everywhere in the team
    await tick();
    await stub.waitFor(() => dmsTo('UANA').length === anaDms + 1);
    expect(dmsTo('UBEN')).toHaveLength(benDms);

    // Ana's Friday 15:00 + 24 h is Saturday: the reminder waits for Monday 09:00 in Tokyo (Monday 00:00 UTC).
    time.set('2026-12-06T23:59:00Z');
    await tick();
    expect(dmsTo('UANA')).toHaveLength(anaDms + 1);
    time.set('2026-12-07T00:00:00Z');
    await tick();
    await stub.waitFor(() => dmsTo('UANA').length === anaDms + 2);
    expect(text(dmsTo('UANA').at(-1))).toContain('A gentle reminder');

    // After the deadline, the digest goes with what there is.
    time.set('2026-12-08T21:00:00Z');
    await tick();
    await stub.waitFor(() => dmsTo('UMGR').length === 2);
    const digest = text(dmsTo('UMGR')[1]);
    expect(digest).toContain('<@UBEN>: away');
    expect(digest).toContain('<@UANA>: no check-in');
  });

  describe('1:1s', () => {
    const replyWith = (snippet: string) => stub.waitFor(() => stub.callsTo('response_url').some((c) => text(c).includes(snippet)));

    it('are set up by the manager only', async () => {
      await command('UANA', '1on1 <@UBEN> every friday 10:00');
      await replyWith('Only their manager, or an HR admin, can set up their 1:1');
      await command('UMGR', '1on1 <@UANA> every monday 10:00');
      await replyWith('1:1 with Ana Lopez set: every Monday at 10:00');
    });

    it('share a running agenda that only the two of them see', async () => {
      await command('UANA', 'agenda <@UMGR> add Discuss the API key delay');
      await replyWith('Discuss the API key delay _(<@UANA>)_');
      await command('UMGR', 'agenda <@UANA> add Career goals for next year');
      await replyWith('Career goals for next year _(<@UMGR>)_');
      await command('UBEN', 'agenda <@UANA>');
      await replyWith('You have no 1:1 set up with Ana Lopez');
      const [first] = await app.db.selectFrom('agenda_items').select('id').orderBy('created_at').execute();
      await postSigned(
        app.url,
        buttonClick({ actionId: 'agenda.done', value: first!.id, userId: 'UBEN', channelId: 'DUBEN', responseUrl: stub.responseUrl('UBEN') }),
      );
      await replyWith('Only the two people in a 1:1 see its agenda');
      const updates = stub.callsTo('chat.update').length;
      await postSigned(
        app.url,
        buttonClick({
          actionId: 'agenda.done',
          value: first!.id,
          userId: 'UMGR',
          channelId: 'DUMGR',
          messageTs: '321.1',
          responseUrl: stub.responseUrl('UMGR'),
        }),
      );
      await stub.waitFor(() => stub.callsTo('chat.update').length === updates + 1);
      expect(text(stub.callsTo('chat.update').at(-1))).not.toContain('Discuss the API key delay');
      expect(text(stub.callsTo('chat.update').at(-1))).toContain('Career goals for next year');
    });

    it('remind both two hours before, once, with the points still open', async () => {
      const reminders = (user: string) => dmsTo(user).filter((c) => text(c).includes('Your 1:1 with'));
      time.set('2026-12-14T07:59:00Z'); // Monday; the 1:1 is at 10:00 Lisbon (UTC in winter)
      await tick();
      expect(reminders('UMGR')).toHaveLength(0);
      time.set('2026-12-14T08:00:00Z');
      await tick();
      await stub.waitFor(() => reminders('UMGR').length === 1 && reminders('UANA').length === 1);
      await tick();
      expect(reminders('UMGR')).toHaveLength(1);
      expect(text(reminders('UANA')[0])).toContain('Your 1:1 with <@UMGR> is today at 19:00');
      expect(text(reminders('UMGR')[0])).toContain('Career goals for next year');
    });
  });

  describe('a person moved in the org chart', () => {
    it('leaves the old manager’s team, thread and 1:1, and joins the new manager’s team', async () => {
      const anaPrompt = await app.db
        .selectFrom('checkin_prompts')
        .innerJoin('people', 'people.id', 'checkin_prompts.person_id')
        .select('checkin_prompts.id')
        .where('people.display_name', '=', 'Ana Lopez')
        .executeTakeFirstOrThrow();
      await hepo('UHR', 'org <@UANA> manager <@UOTHER>');
      await stub.waitFor(() => repliesTo('UHR').some((r) => r.includes('✅ Updated Ana Lopez') && r.includes('Olga Other')));
      const teamOf = async (name: string) =>
        (
          await app.db
            .selectFrom('checkin_members')
            .innerJoin('people', 'people.id', 'checkin_members.person_id')
            .innerJoin('checkin_teams', 'checkin_teams.id', 'checkin_members.team_id')
            .innerJoin('people as manager', 'manager.id', 'checkin_teams.manager_id')
            .select('manager.display_name as manager')
            .where('people.display_name', '=', name)
            .execute()
        ).map((r) => r.manager);
      expect(await teamOf('Ana Lopez')).toEqual([]);

      await click('UMGR', 'checkin.reply', anaPrompt.id);
      await stub.waitFor(() => privatelyTo('UMGR').some((r) => r.includes('Only the person and their manager can write about a check-in.')));
      await click('UANA', 'checkin.reply', anaPrompt.id);
      await stub.waitFor(() => privatelyTo('UANA').some((r) => r.includes('This check-in was for a team this person is no longer in')));
      await command('UMGR', 'agenda <@UANA>');
      await stub.waitFor(() => privatelyTo('UMGR').some((r) => r.includes('Only the two people in a 1:1 see its agenda.')));

      const opened = stub.callsTo('views.open').length;
      await command('UOTHER', 'setup');
      const view = await openedView(opened);
      expect(JSON.stringify(view)).toContain('"initial_users":["UANA"]');
      await postSigned(app.url, viewSubmission({ userId: 'UOTHER', view, values: olgasTeam }));
      await until(async () => (await teamOf('Ana Lopez')).join() === 'Olga Other');
    });
  });

  describe('profile changes from Slack', () => {
    const person = (name: string) =>
      app.db.selectFrom('people').select(['away_until', 'active', 'timezone']).where('display_name', '=', name).executeTakeFirstOrThrow();

    it('count an away status with an expiry as away until the day before it ends, in their timezone', async () => {
      const expires = Math.floor(new Date('2026-12-21T00:00:00+09:00').getTime() / 1000);
      const res = await postSignedEvent(app.url, {
        type: 'user_change',
        user: {
          id: 'UANA',
          tz: 'Asia/Tokyo',
          real_name: 'Ana Lopez',
          profile: { display_name: 'Ana Lopez', status_emoji: ':palm_tree:', status_text: 'Vacation', status_expiration: expires },
        },
      });
      expect(res.status).toBe(200);
      await until(async () => (await person('Ana Lopez')).away_until === '2026-12-20');
    });

    it('stop everything for someone deactivated in Slack', async () => {
      await postSignedEvent(app.url, {
        type: 'user_change',
        user: { id: 'UBEN', tz: 'America/New_York', deleted: true, profile: { display_name: 'Ben Okafor' } },
      });
      await until(async () => (await person('Ben Okafor')).active === false);
    });
  });
});
