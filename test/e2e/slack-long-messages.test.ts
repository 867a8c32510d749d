import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { fakeClock } from '../support/fake-clock';
import { runSchedules } from '../support/schedules';
import { slackButtons, slackPostProblems } from '../support/message-limits';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, commandInDm, postSigned, viewSubmission } from '../support/slack-requests';
import type { SlackCall, SlackStub } from '../support/slack-stub';
import { until } from '../support/wait';

const members = Array.from({ length: 40 }, (_, i) => ({
  id: `UM${String(i + 1).padStart(2, '0')}`,
  name: `Member ${i + 1}`,
  email: `m${i + 1}@acme.test`,
  tz: 'Europe/Lisbon',
}));
const users = [
  { id: 'UMGR', name: 'Maya Manager', email: 'maya@acme.test', tz: 'Europe/Lisbon' },
  { id: 'UHR', name: 'Hana HR', email: 'hana@acme.test', tz: 'Europe/Lisbon', is_admin: true },
  ...members,
];
const userIds = new Set(users.map((u) => u.id));

type View = { callback_id: string; private_metadata: string; blocks: Array<{ type: string; block_id?: string; element?: { type: string } }> };
type Post = { text?: string; blocks: unknown[] };

describe('long messages in Slack: a team of 40, an agenda of 60 points', () => {
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
  const json = (call: SlackCall | undefined) => JSON.stringify(call?.body ?? {});
  const repliesTo = (user: string) => stub.callsTo('response_url').filter((c) => c.responseTo === user);
  const command = (userId: string, text: string) => postSigned(app.url, commandInDm('/checkin', text, userId, stub.responseUrl(userId)));
  const tick = () => runSchedules(app);
  const click = (userId: string, actionId: string, value: string, o: { messageTs?: string; ephemeral?: boolean } = {}) =>
    postSigned(app.url, buttonClick({ actionId, value, userId, channelId: `D${userId}`, responseUrl: stub.responseUrl(userId), ...o }));
  async function opened(before: number): Promise<View> {
    await stub.waitFor(() => stub.callsTo('views.open').length > before, 20_000);
    return stub.callsTo('views.open').at(-1)!.body.view as View;
  }
  /** The next reply to this person after `before` of them. */
  async function nextReply(user: string, before: number): Promise<Post> {
    await stub.waitFor(() => repliesTo(user).length > before, 15_000);
    return repliesTo(user).at(-1)!.body as unknown as Post;
  }
  const mentioned = (post: Post) => [...JSON.stringify(post.blocks).matchAll(/<@(UM\d\d)>/g)].map((m) => m[1]!);

  it("gives a manager of 40 the digest a page at a time, each within Slack's limits, everyone on a page, for the manager alone", async () => {
    // An HR admin builds the team: 40 people, Fridays at 15:00.
    const before = stub.callsTo('views.open').length;
    await command('UHR', 'setup <@UMGR>');
    const setup = await opened(before);
    await postSigned(
      app.url,
      viewSubmission({
        userId: 'UHR',
        view: setup,
        values: {
          members: { members: { type: 'multi_users_select', selected_users: members.map((m) => m.id) } },
          every: { every: { type: 'static_select', selected_option: { value: 'week' } } },
          weekday: { weekday: { type: 'static_select', selected_option: { value: '5' } } },
          time: { time: { type: 'static_select', selected_option: { value: '15:00' } } },
          questions: { questions: { type: 'plain_text_input', value: 'How are you feeling this week? (rating 1-5)\nWhat got in the way? (blockers)' } },
        },
      }),
    );
    await stub.waitFor(() => members.every((m) => dmsTo(m.id).length === 1), 20_000);

    time.set('2026-11-27T15:00:00Z'); // 15:00 in Lisbon
    await tick();
    await stub.waitFor(() => members.every((m) => dmsTo(m.id).length === 2), 20_000);
    for (const [i, m] of members.entries()) {
      const promptId = /"action_id":"checkin.start","text":\{[^}]*\},"value":"([0-9a-f-]{36})"/.exec(json(dmsTo(m.id)[1]))![1]!;
      const views = stub.callsTo('views.open').length;
      await click(m.id, 'checkin.start', promptId);
      const form = await opened(views);
      const [mood, blockers] = form.blocks.filter((b) => b.type === 'input');
      // Some write at length about what is in the way.
      const inTheWay = i % 4 === 0 ? `Waiting on the keys. ${'So much to say about it. '.repeat(70)}` : 'Nothing';
      await postSigned(
        app.url,
        viewSubmission({
          userId: m.id,
          view: form,
          values: {
            [mood!.block_id!]: { [mood!.block_id!]: { type: 'radio_buttons', selected_option: { value: String((i % 5) + 1) } } },
            [blockers!.block_id!]: { [blockers!.block_id!]: { type: 'plain_text_input', value: inTheWay } },
          },
        }),
      );
    }
    await stub.waitFor(() => dmsTo('UMGR').some((c) => json(c).includes('Team check-ins')), 20_000);

    const digest = dmsTo('UMGR').find((c) => json(c).includes('Team check-ins'))!.body as unknown as Post;
    const pages: Post[] = [digest];
    for (;;) {
      const more = slackButtons(pages.at(-1)!.blocks).find((b) => b.actionId === 'checkin.digest_more');
      if (!more) break;
      const replies = repliesTo('UMGR').length;
      await click('UMGR', more.actionId, more.value!);
      pages.push(await nextReply('UMGR', replies));
    }
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(slackPostProblems(page, userIds)).toEqual([]);
    expect(JSON.stringify(digest)).toContain('40 of 40 answered');
    expect(JSON.stringify(digest)).toContain('showing 1–');
    expect(slackButtons(digest.blocks).at(-1)!.label).toMatch(/^Show \d+ more$/);
    // Everyone once, in the order of their names, each with their answers' button.
    const byName = [...members].sort((a, b) => a.name.localeCompare(b.name));
    expect(pages.flatMap(mentioned)).toEqual(byName.map((m) => m.id));
    expect(pages.flatMap((p) => slackButtons(p.blocks)).filter((b) => b.actionId === 'checkin.view_answers')).toHaveLength(40);

    // Someone else asking for the next page is refused, and sees nothing of it.
    const more = slackButtons(digest.blocks).find((b) => b.actionId === 'checkin.digest_more')!;
    const replies = repliesTo('UM01').length;
    await click('UM01', more.actionId, more.value!);
    const refused = await nextReply('UM01', replies);
    expect(JSON.stringify(refused)).toContain('Only the team’s manager sees its digest.');
    expect(mentioned(refused)).toEqual([]);
  });

  it('shows an agenda of 60 points a page at a time, keeps the page after a Done, and reminds both with its first page', async () => {
    const set = repliesTo('UMGR').length;
    await command('UMGR', '1on1 <@UM01> every friday 10:00');
    expect(JSON.stringify(await nextReply('UMGR', set))).toContain('1:1 with Member 1 set');
    for (let n = 1; n <= 60; n++) await command('UM01', `agenda <@UMGR> add Point ${n}: ${'something to talk about '.repeat(n % 7 === 0 ? 20 : 1)}`);
    const open = () => app.db.selectFrom('agenda_items').select('text').where('done_at', 'is', null).orderBy('created_at').execute();
    await until(async () => (await open()).length === 60, 30_000);
    // Commands are answered after their acknowledgement, so the points may have come in out of turn: the agenda's order is theirs.
    const point = (await open()).map((p) => `${p.text.split(':')[0]}:`);

    let replies = repliesTo('UMGR').length;
    await command('UMGR', 'agenda <@UM01>');
    const first = await nextReply('UMGR', replies);
    expect(slackPostProblems(first, userIds)).toEqual([]);
    expect(JSON.stringify(first)).toContain('Points 1–4 of 60.');
    expect(slackButtons(first.blocks).map((b) => b.label)).toEqual(['Done', 'Done', 'Done', 'Done', 'Add a talking point', 'Show 56 more']);

    const more = slackButtons(first.blocks).at(-1)!;
    // Someone outside the 1:1 asking for the next page is refused, and sees none of it.
    const strangers = repliesTo('UM02').length;
    await click('UM02', more.actionId, more.value!);
    const refused = await nextReply('UM02', strangers);
    expect(JSON.stringify(refused)).toContain('Only the two people in a 1:1 see its agenda.');
    expect(JSON.stringify(refused)).not.toContain(point[4]);

    replies = repliesTo('UMGR').length;
    await click('UMGR', more.actionId, more.value!);
    const second = await nextReply('UMGR', replies);
    expect(slackPostProblems(second, userIds)).toEqual([]);
    expect(JSON.stringify(second)).toContain('Points 5–8 of 60.');
    expect(JSON.stringify(second)).toContain(point[4]);
    expect(JSON.stringify(second)).not.toContain(point[3]);

    // Done on the sixth point: the same page again, the ninth moved up into it.
    const sixth = slackButtons(second.blocks).filter((b) => b.label === 'Done')[1]!;
    replies = repliesTo('UMGR').length;
    await click('UMGR', sixth.actionId, sixth.value!, { ephemeral: true });
    const after = await nextReply('UMGR', replies);
    expect(repliesTo('UMGR').at(-1)!.body).toMatchObject({ replace_original: true });
    expect(JSON.stringify(after)).toContain('Points 5–8 of 59.');
    expect(JSON.stringify(after)).not.toContain(point[5]);
    expect(JSON.stringify(after)).toContain(point[8]);

    // Two hours before the 1:1, both get the agenda's first page, with the rest a click away.
    time.set('2026-12-04T08:00:00Z');
    await tick();
    await stub.waitFor(() => dmsTo('UM01').some((c) => json(c).includes('Your 1:1 with')), 20_000);
    await stub.waitFor(() => dmsTo('UMGR').some((c) => json(c).includes('Your 1:1 with')), 20_000);
    for (const user of ['UM01', 'UMGR']) {
      const reminder = dmsTo(user).find((c) => json(c).includes('Your 1:1 with'))!.body as unknown as Post;
      expect(slackPostProblems(reminder, userIds)).toEqual([]);
      expect(slackButtons(reminder.blocks).at(-1)!.label).toBe('Show 55 more');
    }
  });
});
