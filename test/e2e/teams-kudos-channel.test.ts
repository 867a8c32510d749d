import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { cardOf, cardProblems, type ConnectorStub, type RosterMember, rosterMember, type teamsClient, type TeamsWhere } from '../support/connector-stub';
import { type TeamsTestApp, startTeamsTestApp } from '../support/teams-app';
import { until } from '../support/wait';

const roster: RosterMember[] = [
  rosterMember('29:pete', 'Pete Peer'),
  rosterMember('29:olga', 'Olga Other'),
  rosterMember('29:gina', 'Gina Giver'),
  rosterMember('29:ana', 'Ana Lopez'),
];
const person = (id: string) => roster.find((m) => m.id === id)!;
const TEAM = '19:team@thread.tacv2';
const RECOGNITION = '19:recognition@thread.tacv2';
/** A message in a channel comes in its own thread: the conversation is the thread, not the channel. */
const threadIn = (channelId: string, messageId: number): TeamsWhere => ({ conversationId: `${channelId};messageid=${messageId}`, type: 'channel' });
const chatOf = (userId: string): TeamsWhere => ({ conversationId: `a:personal-${userId.slice(3)}`, type: 'personal' });
const textOf = (value: unknown) => JSON.stringify(value);
const times = (text: string, part: string) => text.split(part).length - 1;

describe('the recognition channel in Teams: kudos given in a 1:1 chat', () => {
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;

  beforeAll(async () => {
    running = await startTeamsTestApp({ roster });
    ({ app, stub, teams } = running);
    // The first to install the app in their own chat, in an org with no HR admin, becomes one.
    await teams.install(chatOf('29:pete'), '29:pete', 'installationUpdate');
    await teams.install(chatOf('29:olga'), '29:olga', 'installationUpdate');
    await teams.install(chatOf('29:gina'), '29:gina', 'installationUpdate');
    await until(settled);
  });
  afterAll(() => running?.close());

  /** The team the bot is in: its General channel has no name of its own, as Teams lists it. */
  const contoso = () => {
    stub.teams[TEAM] = {
      name: 'Contoso',
      channels: [{ id: TEAM }, { id: RECOGNITION, name: 'Recognition' }],
    };
  };
  const settled = async () => (await app.db.selectFrom('notifications').select('status').execute()).every((n) => n.status !== 'pending');
  const inChat = (userId: string) => stub.postedTo(chatOf(userId).conversationId);
  const newIn = async (userId: string, act: () => Promise<unknown>) => {
    const before = inChat(userId).length;
    await act();
    await stub.waitFor(() => inChat(userId).length > before);
    return inChat(userId)
      .slice(before)
      .map((p) => textOf(cardOf(p.activity)))
      .join('\n');
  };
  const org = () => app.db.selectFrom('orgs').select(['teams_recognition_channel', 'teams_recognition_channel_name']).executeTakeFirstOrThrow();
  const kudosCount = async () => (await app.db.selectFrom('kudos').select('id').execute()).length;
  const postsIn = (channelId: string) => stub.activitiesTo(channelId).map(cardOf);
  const kudosTo = (userId: string, text: string) => {
    const recipient = person(userId);
    return teams.message(chatOf('29:gina'), '29:gina', `kudos <at>${recipient.name}</at> ${text}`, [recipient]);
  };

  it('with no channel set, tells the giver plainly that the kudos stays between them and the recipient', async () => {
    const answer = await newIn('29:gina', () => teams.post(kudosTo('29:ana', '20 #teamwork thanks for the demo')));
    expect(answer).toContain('✅ You recognised **Ana Lopez** for #teamwork with 20 points.');
    expect(answer).toContain(
      "🔒 Only you and **Ana Lopez** see this: kudos given in private aren't posted anywhere until an HR admin chooses a recognition channel.",
    );
    expect(answer).toContain('80 of 100 points left this month.');
    await until(settled);
    const sent = await app.db.selectFrom('notifications').select('dedupe_key').where('dedupe_key', 'like', 'kudos:%').execute();
    expect(sent.map((n) => n.dedupe_key)).toEqual([expect.stringMatching(/^kudos:.*:dm:/)]);
    expect(postsIn(RECOGNITION)).toEqual([]);
  });

  it('tells an HR admin how to choose one, where the kudos stayed private', async () => {
    const answer = await newIn('29:pete', () =>
      teams.say(chatOf('29:pete'), '29:pete', `kudos <at>Ana Lopez</at> thanks for the onboarding`, [person('29:ana')]),
    );
    expect(answer).toContain(
      "Only you and **Ana Lopez** see this: kudos given in private aren't posted anywhere until a recognition channel is chosen. To choose one, @mention me in the team channel you want, with **kudos channel here**.",
    );
  });

  it('refuses someone who is not an HR admin kindly, privately, and changes nothing', async () => {
    contoso();
    const refused = await newIn('29:olga', () => teams.say(threadIn(RECOGNITION, 1), '29:olga', 'kudos channel here'));
    expect(refused).toContain('Only an HR admin can change the organization’s settings.');
    expect(await org()).toEqual({ teams_recognition_channel: null, teams_recognition_channel_name: null });
    expect(stub.activitiesTo(`${RECOGNITION};messageid=1`)).toEqual([]);
    expect(postsIn(RECOGNITION)).toEqual([]);
  });

  it('explains where to type it when an HR admin asks outside a channel', async () => {
    const answer = await newIn('29:pete', () => teams.say(chatOf('29:pete'), '29:pete', 'kudos channel here'));
    expect(answer).toContain('To choose the recognition channel, @mention me in the team channel you want, with **kudos channel here**');
    expect(answer).toContain('None is set now');
    expect((await org()).teams_recognition_channel).toBeNull();
  });

  it('lets an HR admin set the channel by typing `kudos channel here` in it, and shows it in the settings', async () => {
    contoso();
    const answer = await newIn('29:pete', () => teams.say(threadIn(RECOGNITION, 2), '29:pete', 'kudos channel here'));
    // The channel itself, not the thread the command was typed in, with its name as Teams gives it.
    expect(await org()).toEqual({ teams_recognition_channel: RECOGNITION, teams_recognition_channel_name: 'Contoso › Recognition' });
    expect(answer).toContain('✅ Kudos given in a 1:1 chat with me will be posted in **Contoso › Recognition**, for everyone there to see.');
    // The answer is the admin's alone: nothing in the channel.
    expect(stub.activitiesTo(`${RECOGNITION};messageid=2`)).toEqual([]);

    const settings = await newIn('29:pete', () => teams.say(chatOf('29:pete'), '29:pete', 'hepo settings'));
    expect(settings).toContain('Recognition channel: **Contoso › Recognition**. Kudos given in a 1:1 chat with me are posted there.');
    expect(settings).toContain('**kudos channel off** sets none');
    expect(cardProblems(cardOf(inChat('29:pete').at(-1)!.activity))).toEqual([]);
    const overview = await newIn('29:pete', () => teams.say(chatOf('29:pete'), '29:pete', 'hepo'));
    expect(overview).toContain('{"title":"Recognition channel","value":"**Contoso › Recognition**"}');
  });

  it('posts kudos given in a 1:1 chat in that channel, once however often Teams delivers them, and tells the giver where', async () => {
    const given = kudosTo('29:ana', '10 #teamwork for the calm release');
    const answer = await newIn('29:gina', () => teams.post(given));
    expect(answer).toContain('✅ You recognised **Ana Lopez** for #teamwork with 10 points.');
    expect(answer).toContain('📣 Posted in **Contoso › Recognition** for everyone to see.');

    // A new post in the channel (a thread of its own), not a reply in the admin's thread.
    await stub.waitFor(() => postsIn(RECOGNITION).length === 1);
    const [card] = postsIn(RECOGNITION);
    expect(cardProblems(card)).toEqual([]);
    expect(card.body.map((e: any) => e.text).filter(Boolean)).toEqual([
      '🎉 <at>Gina Giver</at> recognised <at>Ana Lopez</at> for #teamwork',
      '“for the calm release”',
      '+10 points',
    ]);
    expect(times(textOf(card), '#teamwork')).toBe(1);

    // Teams delivers the same activity again: nothing more is recorded or posted.
    await teams.post(given);
    await until(settled);
    await new Promise((r) => setTimeout(r, 200));
    expect(postsIn(RECOGNITION)).toHaveLength(1);
    expect(await kudosCount()).toBe(3);
    // Found through the admin's thread once, the channel is now known by its own id.
    const known = await app.db.selectFrom('teams_conversations').select('conversation_id').where('conversation_id', '=', RECOGNITION).execute();
    expect(known).toHaveLength(1);
  });

  it('shows the value once in the recipient’s note too', async () => {
    const ana = await app.db.selectFrom('teams_conversations').select('conversation_id').where('personal_user_id', '=', '29:ana').executeTakeFirstOrThrow();
    const notes = stub.activitiesTo(ana.conversation_id).map(cardOf);
    const last = notes.at(-1);
    expect(last.body.map((e: any) => e.text).filter(Boolean)).toEqual([
      '🎉 <at>Gina Giver</at> recognised you for #teamwork',
      '“for the calm release”',
      '+10 points',
    ]);
    expect(times(textOf(last), '#teamwork')).toBe(1);
  });

  it('lets an HR admin set none again: kudos from a 1:1 chat then stay private', async () => {
    const answer = await newIn('29:pete', () => teams.say(chatOf('29:pete'), '29:pete', 'kudos channel off'));
    expect(answer).toContain('No recognition channel now');
    expect(await org()).toEqual({ teams_recognition_channel: null, teams_recognition_channel_name: null });
    const kudos = await newIn('29:gina', () => teams.post(kudosTo('29:ana', 'thanks again')));
    expect(kudos).toContain('🔒 Only you and **Ana Lopez** see this');
    await until(settled);
    expect(postsIn(RECOGNITION)).toHaveLength(1);
  });
});
