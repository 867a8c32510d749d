import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import {
  cardActions,
  cardOf,
  cardProblems,
  type ConnectorStub,
  type RosterMember,
  rosterMember,
  type teamsClient,
  type TeamsWhere,
} from '../support/connector-stub';
import { fakeClock } from '../support/fake-clock';
import { type TeamsTestApp, startTeamsTestApp } from '../support/teams-app';
import { until } from '../support/wait';

const roster: RosterMember[] = [rosterMember('29:ana', 'Ana Lopez'), rosterMember('29:ben', 'Ben Okafor'), rosterMember('29:nina', 'Nina New')];
const timezones = { '29:ana': 'Europe/Lisbon', '29:ben': 'Asia/Tokyo', '29:nina': 'America/New_York' };
const BOT = '28:bot';
const chatOf = (userId: string): TeamsWhere => ({ conversationId: `a:personal-${userId.slice(3)}`, type: 'personal' });
const CHANNEL: TeamsWhere = { conversationId: '19:general@thread.tacv2', type: 'channel' };
const textOf = (value: unknown) => JSON.stringify(value);

describe('the home and the welcome in Teams', () => {
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;
  const time = fakeClock('2026-11-25T10:00:00Z');

  beforeAll(async () => {
    running = await startTeamsTestApp({ roster, timezones, clock: time.clock });
    ({ app, stub, teams } = running);
  });
  afterAll(() => running?.close());

  const inChat = (userId: string) => stub.postedTo(chatOf(userId).conversationId);
  const settled = async () => (await app.db.selectFrom('notifications').select('status').execute()).every((n) => n.status !== 'pending');
  const personalInstall = (userId: string) => teams.activity(chatOf(userId), userId, { type: 'installationUpdate', action: 'add' });
  const botAdded = (where: TeamsWhere, fromId: string, others: string[] = []) =>
    teams.activity(where, fromId, { type: 'conversationUpdate', membersAdded: [{ id: BOT }, ...others.map((id) => ({ id }))] });

  it('answers `home` with the home card: points left, kudos of the month, check-ins, feedback asked', async () => {
    const ben = roster[1]!;
    await teams.say(chatOf('29:ana'), '29:ana', `kudos <at>${ben.name}</at> 10 #teamwork thanks for the review`, [ben]);
    await until(async () => (await app.db.selectFrom('notifications').select('id').execute()).length > 0 && (await settled()));

    const before = inChat('29:ana').length;
    await teams.say(chatOf('29:ana'), '29:ana', 'home');
    await stub.waitFor(() => inChat('29:ana').length === before + 1);
    const card = cardOf(inChat('29:ana').at(-1)!.activity);
    expect(cardProblems(card)).toEqual([]);
    expect(textOf(card)).toContain('Hi Ana Lopez');
    expect(card.body).toContainEqual(
      expect.objectContaining({
        type: 'FactSet',
        facts: expect.arrayContaining([
          { title: 'Points to give', value: '90 of 100 left this month' },
          { title: 'Given this month', value: '1 kudos' },
        ]),
      }),
    );
    expect(textOf(card)).toContain("You're in no team's check-ins yet.");
    expect(textOf(card)).toContain('Nobody is waiting for your feedback.');
    expect(cardActions(card).map((a: any) => a.title)).toEqual(expect.arrayContaining(['Give kudos', 'My check-ins', 'Give feedback']));

    await teams.say(chatOf('29:ben'), '29:ben', '/home');
    await stub.waitFor(() => inChat('29:ben').some((p) => textOf(cardOf(p.activity)).includes('Hi Ben Okafor')));
    const bens = textOf(cardOf(inChat('29:ben').at(-1)!.activity));
    expect(bens).toContain('1 kudos · 10 points');
    expect(bens).toContain('**Ana Lopez** for #teamwork: “thanks for the review”');
  });

  it('sends `home` asked for in a channel to the person’s 1:1 chat, not to the channel', async () => {
    const before = inChat('29:ana').length;
    await teams.say(CHANNEL, '29:ana', 'home');
    await stub.waitFor(() => inChat('29:ana').length === before + 1);
    expect(stub.activitiesTo(CHANNEL.conversationId)).toEqual([]);
  });

  it('welcomes a person who installs the app for themselves once, with three things to try and their home', async () => {
    const install = personalInstall('29:nina');
    const welcomes = () => inChat('29:nina').filter((p) => p.activity.summary === 'Welcome to HEPO');
    await teams.post(install);
    await stub.waitFor(() => welcomes().length === 1);
    // Teams delivering the same activity again, and its other word for the same install, greet nobody twice.
    await teams.post(install);
    await teams.post(botAdded(chatOf('29:nina'), '29:nina'));
    await until(settled);
    await new Promise((r) => setTimeout(r, 300));
    expect(welcomes()).toHaveLength(1);
    expect(await app.db.selectFrom('notifications').select('dedupe_key').where('dedupe_key', 'like', 'welcome:%').execute()).toHaveLength(1);
    // Besides the welcome, one word that she is the tenant's HR admin (it had none).
    expect(inChat('29:nina')).toHaveLength(2);
    expect(inChat('29:nina').some((p) => textOf(p.activity).includes('Your organization has no HR admin yet'))).toBe(true);

    const welcome = welcomes()[0]!;
    const card = cardOf(welcome.activity);
    expect(cardProblems(card)).toEqual([]);
    expect(welcome.activity.summary).toBe('Welcome to HEPO');
    expect(textOf(card)).toContain("Hi **Nina New**, I'm HEPO.");
    expect(textOf(card)).toContain('**Thank a teammate**');
    expect(textOf(card)).toContain('**Tell someone privately**');
    expect(textOf(card)).toContain('**Check in**');
    expect(textOf(card)).toContain('100 of 100 left this month');
    expect(cardActions(card).map((a: any) => a.title)).toEqual(['Give kudos', 'My check-ins', 'Give feedback', '🎯 New goal']);

    // Its buttons work: Give kudos opens the kudos form in a dialog.
    const dialog = await teams.fetchTask(chatOf('29:nina'), '29:nina', welcome, 'Give kudos');
    expect(dialog.body.task.type).toBe('continue');
    expect(dialog.body.task.value.title).toBe('Give kudos');
    const history = await teams.execute(chatOf('29:nina'), '29:nina', welcome, 'My check-ins');
    expect(history.status).toBe(200);
    await stub.waitFor(() => inChat('29:nina').some((p) => textOf(cardOf(p.activity)).includes('You have no check-ins yet.')));
  });

  it('messages nobody when the app is installed into a team', async () => {
    stub.reset();
    await teams.post(teams.activity(CHANNEL, '29:ana', { type: 'installationUpdate', action: 'add' }));
    await teams.post(botAdded(CHANNEL, '29:ana', ['29:ben', '29:nina']));
    await new Promise((r) => setTimeout(r, 300));
    await until(settled);
    expect(stub.requests.filter((r) => r.method === 'POST')).toEqual([]);
    expect(stub.createdConversations()).toEqual([]);
  });
});
