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
  type TeamsWhere,
} from '../support/connector-stub';
import { type TeamsTestApp, startTeamsTestApp } from '../support/teams-app';

const CARD = 'application/vnd.microsoft.card.adaptive';
const roster: RosterMember[] = [rosterMember('29:gia', 'Gia Giver'), rosterMember('29:ana', 'Ana Lopez'), rosterMember('29:ben', 'Ben Okafor')];
const member = (id: string) => roster.find((m) => m.id === id)!;
const CHANNEL: TeamsWhere = { conversationId: '19:general@thread.tacv2;messageid=1700000000000', type: 'channel' };
const textOf = (value: unknown) => JSON.stringify(value);

describe('continuous feedback in Teams', () => {
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;

  beforeAll(async () => {
    running = await startTeamsTestApp({ roster });
    ({ app, stub, teams } = running);
  });
  afterAll(() => running?.close());

  const chatOf = (userId: string) => personalChat(stub, userId);
  const inChat = (userId: string): PostedActivity[] => stub.postedTo(chatOf(userId).conversationId);
  const lastIn = (userId: string) => inChat(userId).at(-1)!;
  const withSummary = (userId: string, summary: string) => inChat(userId).filter((p) => p.activity.summary === summary);
  /** Feedback is never posted in a channel: nothing the bot sent went into a team conversation. */
  const postedInChannels = () => stub.requests.filter((r) => r.method !== 'GET' && r.path.startsWith('/v3/conversations/19:'));
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it('gives private feedback asked for in a channel: the form in the giver’s 1:1 chat, a card to the person only', async () => {
    const ana = member('29:ana');
    await teams.say(CHANNEL, '29:gia', `feedback <at>${ana.name}</at> your demo was crisp`, [ana]);
    expect(postedInChannels()).toEqual([]);
    // Others in the channel would see what the giver types: the form goes to the giver's 1:1 chat.
    const [form] = inChat('29:gia');
    expect(form!.activity.summary).toBe('Give feedback');
    const card = cardOf(form!.activity);
    expect(card.body.find((e: any) => e.id === 'recipient')).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: false, value: '29:ana' });
    expect(card.body.find((e: any) => e.id === 'text').value).toBe('your demo was crisp');
    expect(cardProblems(card)).toEqual([]);

    const inputs = { recipient: '29:ana', kind: 'praise', text: 'Your demo was crisp and calm.' };
    const [first, second] = await Promise.all([
      teams.execute(chatOf('29:gia'), '29:gia', form!, 'Send privately', inputs),
      teams.execute(chatOf('29:gia'), '29:gia', form!, 'Send privately', inputs),
    ]);
    for (const res of [first!, second!]) {
      expect(res.body.type).toBe(CARD);
      expect(textOf(res.body.value)).toContain('Sent privately to Ana Lopez. Thank you for taking the time.');
    }
    await stub.waitFor(() => inChat('29:ana').length === 1);
    await settle();
    expect(inChat('29:ana')).toHaveLength(1);
    const note = inChat('29:ana')[0]!.activity;
    expect(note.summary).toBe('Gia Giver sent you praise');
    expect(textOf(cardOf(note))).toContain('<at>Gia Giver</at> sent you praise:');
    expect(textOf(cardOf(note))).toContain('Your demo was crisp and calm.');
    expect(textOf(cardOf(note))).toContain('Only you can see this.');
    expect(cardActions(cardOf(note))).toEqual([
      { type: 'Action.Execute', title: '🙏 Thanks', verb: 'feedback.thanks', data: { actionId: 'feedback.thanks', value: expect.any(String) } },
    ]);
    expect(await app.db.selectFrom('feedback').select(['kind', 'text']).execute()).toEqual([{ kind: 'praise', text: 'Your demo was crisp and calm.' }]);
    expect(postedInChannels()).toEqual([]);
  });

  it('lets only the recipient say thanks, once: her card changes in place and the giver hears it once', async () => {
    const note = inChat('29:ana')[0]!;
    const refused = await teams.execute(chatOf('29:ben'), '29:ben', { id: 'copied', card: cardOf(note.activity) }, '🙏 Thanks');
    expect(refused.body.value).toBe('Only the person who received this feedback can thank for it.');
    expect(textOf(cardOf(lastIn('29:ben').activity))).toContain('Only the person who received this feedback can thank for it.');

    for (let i = 0; i < 2; i++) {
      const res = await teams.execute(chatOf('29:ana'), '29:ana', note, '🙏 Thanks');
      expect(res.body.type).toBe(CARD);
      expect(textOf(res.body.value)).toContain('🙏 You thanked Gia Giver for their feedback.');
      expect(cardActions(res.body.value)).toEqual([]);
    }
    await stub.waitFor(() => withSummary('29:gia', 'Ana Lopez said thanks').length === 1);
    expect(textOf(cardOf(withSummary('29:gia', 'Ana Lopez said thanks')[0]!.activity))).toContain('<at>Ana Lopez</at> said thanks for your feedback');
    await settle();
    expect(withSummary('29:gia', 'Ana Lopez said thanks')).toHaveLength(1);
    expect(inChat('29:ana')).toHaveLength(1);
  });

  it('refuses feedback to yourself at the field, and stores nothing', async () => {
    await teams.say(chatOf('29:gia'), '29:gia', 'feedback');
    const form = lastIn('29:gia');
    expect(form.activity.summary).toBe('Give feedback');
    const res = await teams.execute(chatOf('29:gia'), '29:gia', form, 'Send privately', { recipient: '29:gia', kind: 'praise', text: 'me' });
    const again = res.body.value;
    const at = again.body.findIndex((e: any) => e.id === 'recipient');
    expect(again.body[at + 1]).toMatchObject({ color: 'Attention', text: expect.stringContaining('Feedback is for someone else') });
    expect(again.body.find((e: any) => e.id === 'text').value).toBe('me');
    expect(await app.db.selectFrom('feedback').select('id').execute()).toHaveLength(1);
  });

  it('asks people for feedback about a topic; their answers reach the requester privately, by dialog or by card', async () => {
    const [ana, ben] = [member('29:ana'), member('29:ben')];
    await teams.say(CHANNEL, '29:gia', `feedback request <at>${ana.name}</at> <at>${ben.name}</at> about the Q4 planning session`, [ana, ben]);
    expect(textOf(cardOf(lastIn('29:gia').activity))).toContain('Asked Ana Lopez, Ben Okafor for feedback about: the Q4 planning session');
    await stub.waitFor(() => inChat('29:ben').length === 2 && inChat('29:ana').length === 2);
    const request = lastIn('29:ben');
    expect(request.activity.summary).toBe('Gia Giver asked for your feedback');
    expect(textOf(cardOf(request.activity))).toContain('<at>Gia Giver</at> asked for your feedback about: the Q4 planning session');
    expect(cardActions(cardOf(request.activity)).map((a: any) => [a.title, a.data.msteams?.type])).toEqual([['Give feedback', 'task/fetch']]);

    // In Teams the button opens a dialog with the form, addressed to the requester.
    const fetched = await teams.fetchTask(chatOf('29:ben'), '29:ben', request, 'Give feedback');
    expect(fetched.body.task).toMatchObject({ type: 'continue', value: { title: 'Give feedback' } });
    const dialog = fetched.body.task.value.card.content;
    expect(dialog.body.find((e: any) => e.id === 'recipient').value).toBe('29:gia');
    expect(textOf(dialog)).toContain('About: the Q4 planning session.');
    const sent = await teams.submitTask(chatOf('29:ben'), '29:ben', dialog, {
      recipient: '29:gia',
      kind: 'suggestion',
      text: 'Share the agenda a day earlier.',
    });
    expect(sent.body).toEqual({ task: { type: 'message', value: 'Sent privately to Gia Giver. Thank you for taking the time.' } });
    await stub.waitFor(() => withSummary('29:gia', 'Ben Okafor sent you a suggestion').length === 1);
    expect(textOf(cardOf(withSummary('29:gia', 'Ben Okafor sent you a suggestion')[0]!.activity))).toContain(
      '<at>Ben Okafor</at> sent you a suggestion about the Q4 planning session',
    );
    const linked = await app.db.selectFrom('feedback').select('request_id').where('kind', '=', 'suggestion').executeTakeFirstOrThrow();
    expect(linked.request_id).toBe(fetched.body.task.value.card.content.actions[0].data.hepoForm.state.requestId);

    // In Agents Playground (no dialogs) the button arrives as a message, and the form comes as a card.
    const anaRequest = lastIn('29:ana');
    await teams.submitAsMessage(chatOf('29:ana'), '29:ana', anaRequest, 'Give feedback');
    await stub.waitFor(() => inChat('29:ana').length === 3);
    const form = lastIn('29:ana');
    expect(form.activity.summary).toBe('Give feedback');
    const res = await teams.execute(chatOf('29:ana'), '29:ana', form, 'Send privately', { recipient: '29:gia', kind: 'praise', text: 'Great facilitation.' });
    expect(textOf(res.body.value)).toContain('Sent privately to Gia Giver. Thank you for taking the time.');
    await stub.waitFor(() => withSummary('29:gia', 'Ana Lopez sent you praise').length === 1);
    expect(textOf(cardOf(withSummary('29:gia', 'Ana Lopez sent you praise')[0]!.activity))).toContain('about the Q4 planning session');
    expect(await app.db.selectFrom('feedback').select('request_id').where('request_id', 'is not', null).execute()).toHaveLength(2);
    expect(postedInChannels()).toEqual([]);
  });
});
