import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import {
  cardActions,
  cardOf,
  cardProblems,
  type ConnectorStub,
  type PostedActivity,
  type RosterMember,
  personalChat,
  rosterMember,
  type teamsClient,
} from '../support/connector-stub';
import { fakeClock } from '../support/fake-clock';
import { runSchedules } from '../support/schedules';
import { cardLimitProblems } from '../support/message-limits';
import { type TeamsTestApp, startTeamsTestApp } from '../support/teams-app';
import { until } from '../support/wait';

const members = Array.from({ length: 40 }, (_, i) => rosterMember(`29:m${String(i + 1).padStart(2, '0')}`, `M${String(i + 1).padStart(2, '0')} Person`));
const maya = rosterMember('29:maya', 'Maya Manager');
const hana = rosterMember('29:hana', 'Hana HR');
const roster: RosterMember[] = [maya, hana, ...members];
const timezones = Object.fromEntries(roster.map((m) => [m.id, 'Europe/Lisbon']));
const at = (m: RosterMember) => `<at>${m.name}</at>`;

describe('long messages in Teams: a team of 40, an agenda of 60 points', () => {
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;
  const time = fakeClock('2026-11-25T10:00:00Z'); // a Wednesday

  beforeAll(async () => {
    running = await startTeamsTestApp({ roster, timezones, clock: time.clock, env: { HR_ADMIN_EMAILS: 'hana@contoso.test' } });
    ({ app, stub, teams } = running);
  });
  afterAll(() => running?.close());

  const chatOf = (userId: string) => personalChat(stub, userId);
  const inChat = (userId: string): PostedActivity[] => stub.postedTo(chatOf(userId).conversationId);
  const lastIn = (userId: string) => inChat(userId).at(-1)!;
  const tick = () => runSchedules(app);
  const inputsOf = (card: any) => card.body.filter((e: any) => e.type.startsWith('Input.'));
  const mentioned = (card: any) => (card.msteams?.entities ?? []).map((e: any) => e.mentioned.id);
  /** Within Teams' limits, and a card the official library takes. */
  const fits = (card: any) => {
    expect(cardLimitProblems(card)).toEqual([]);
    expect(cardProblems(card)).toEqual([]);
  };
  /** Clicks "Show N more" on a card in the person's chat; the next page comes as a card of its own. */
  async function showMore(userId: string, posted: PostedActivity): Promise<PostedActivity> {
    const more = cardActions(cardOf(posted.activity)).find((a: any) => /^Show \d+ more$/.test(a.title));
    const before = inChat(userId).length;
    await teams.execute(chatOf(userId), userId, posted, more.title);
    await stub.waitFor(() => inChat(userId).length > before, 20_000);
    return lastIn(userId);
  }
  const hasMore = (posted: PostedActivity) => cardActions(cardOf(posted.activity)).some((a: any) => /^Show \d+ more$/.test(a.title));

  it("gives a manager of 40 the digest card a page at a time, each within Teams' limits, everyone on a page", async () => {
    // An HR admin builds Maya's team of 40 from the setup card; the picker answers with AAD object ids.
    await teams.say(chatOf(hana.id), hana.id, `checkin setup ${at(maya)}`, [maya]);
    const form = lastIn(hana.id);
    await teams.execute(chatOf(hana.id), hana.id, form, 'Save', {
      members: members.map((m) => m.aadObjectId).join(','),
      every: 'week',
      weekday: '5',
      time: '15:00',
      questions: 'How are you feeling this week? (rating 1-5)\nWhat got in the way? (blockers)',
    });
    await stub.waitFor(() => members.every((m) => inChat(m.id).length === 1), 20_000);

    time.set('2026-11-27T15:00:00Z'); // 15:00 in Lisbon, and in UTC
    await tick();
    await stub.waitFor(() => members.every((m) => inChat(m.id).length === 2), 20_000);
    for (const [i, m] of members.entries()) {
      const prompt = lastIn(m.id);
      const [mood, blockers] = inputsOf(cardOf(prompt.activity));
      const inTheWay = i % 4 === 0 ? `Waiting on the keys. ${'So much to say about it. '.repeat(70)}` : 'Nothing';
      await teams.execute(chatOf(m.id), m.id, prompt, 'Submit', { [mood.id]: String((i % 5) + 1), [blockers.id]: inTheWay });
    }
    const digests = () => inChat(maya.id).filter((p) => p.activity.summary?.startsWith('Check-ins for the'));
    await stub.waitFor(() => digests().length === 1, 20_000);

    const pages = [digests()[0]!];
    while (hasMore(pages.at(-1)!)) pages.push(await showMore(maya.id, pages.at(-1)!));
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) fits(cardOf(page.activity));
    expect(pages[0]!.activity.summary).toBe('Check-ins for the week of Fri, Nov 27: 40 of 40 answered');
    expect(JSON.stringify(cardOf(pages[0]!.activity))).toContain('showing 1–');
    // Everyone once, by name, each with their answers' button.
    expect(pages.flatMap((p) => mentioned(cardOf(p.activity)))).toEqual(members.map((m) => m.id));
    const answersButtons = pages.flatMap((p) => cardActions(cardOf(p.activity))).filter((a: any) => a.verb === 'checkin.view_answers');
    expect(answersButtons).toHaveLength(40);

    // Someone else asking for the next page is refused, privately, and sees nothing of it.
    const before = inChat(members[0]!.id).length;
    const refused = await teams.execute(chatOf(members[0]!.id), members[0]!.id, pages[0]!, cardActions(cardOf(pages[0]!.activity)).at(-1).title);
    expect(JSON.stringify(refused.body)).toContain('Only the team’s manager sees its digest.');
    expect(
      inChat(members[0]!.id)
        .slice(before)
        .flatMap((p) => mentioned(cardOf(p.activity))),
    ).toEqual([]);
  });

  it('shows an agenda of 60 points a page at a time, keeps the page after a Done, and reminds both with its first page', async () => {
    const m01 = members[0]!;
    await teams.say(chatOf(maya.id), maya.id, `checkin 1on1 ${at(m01)} every friday 10:00`, [m01]);
    for (let n = 1; n <= 60; n++) {
      await teams.say(chatOf(m01.id), m01.id, `checkin agenda ${at(maya)} add Point ${n}: ${'something to talk about '.repeat(n % 7 === 0 ? 20 : 1)}`, [maya]);
    }
    await until(async () => (await app.db.selectFrom('agenda_items').select('id').where('done_at', 'is', null).execute()).length === 60, 30_000);

    await teams.say(chatOf(maya.id), maya.id, `checkin agenda ${at(m01)}`, [m01]);
    const first = lastIn(maya.id);
    fits(cardOf(first.activity));
    expect(JSON.stringify(cardOf(first.activity))).toContain('Points 1–4 of 60.');
    expect(cardActions(cardOf(first.activity)).map((a: any) => a.title)).toEqual(['Done', 'Done', 'Done', 'Done', 'Add a talking point', 'Show 56 more']);

    const second = await showMore(maya.id, first);
    fits(cardOf(second.activity));
    expect(JSON.stringify(cardOf(second.activity))).toContain('Points 5–8 of 60.');
    expect(JSON.stringify(cardOf(second.activity))).toContain('Point 5:');

    // Done on point 6: the card becomes the same page again, point 9 moved up into it.
    const card = cardOf(second.activity);
    const sixth = card.body.findIndex((e: any) => e.text?.includes('Point 6:'));
    const done = card.body[sixth + 1].actions[0];
    const res = await teams.post(
      teams.invoke(chatOf(maya.id), maya.id, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: done.verb, data: done.data } }, second.id),
    );
    const after = res.body.value;
    fits(after);
    expect(JSON.stringify(after)).toContain('Points 5–8 of 59.');
    expect(JSON.stringify(after)).not.toContain('Point 6:');
    expect(JSON.stringify(after)).toContain('Point 9:');

    // Two hours before the 1:1, both get the agenda's first page, with the rest a click away.
    time.set('2026-12-04T08:00:00Z');
    await tick();
    for (const id of [m01.id, maya.id]) {
      await stub.waitFor(() => inChat(id).some((p) => p.activity.summary?.startsWith('1:1 with')), 20_000);
      const reminder = cardOf(inChat(id).find((p) => p.activity.summary?.startsWith('1:1 with'))!.activity);
      fits(reminder);
      expect(cardActions(reminder).at(-1).title).toBe('Show 55 more');
    }
  });
});
