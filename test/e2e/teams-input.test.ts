import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import {
  cardActions,
  cardOf,
  type ConnectorStub,
  type PostedActivity,
  type RosterMember,
  rosterMember,
  teamsClient,
  type TeamsWhere,
} from '../support/connector-stub';
import { SLACK_OAUTH_ENV } from '../support/slack-app';
import { SLACK_SIGNING_SECRET } from '../support/slack-requests';
import { type TeamsTestApp, startTeamsTestApp } from '../support/teams-app';

const roster: RosterMember[] = [rosterMember('29:gia', 'Gia Giver'), rosterMember('29:ana', 'Ana Lopez'), rosterMember('29:ben', 'Ben Okafor')];
const zed = rosterMember('29:zed', 'Zed Other');
const CHANNEL: TeamsWhere = { conversationId: '19:general@thread.tacv2;messageid=1700000000000', type: 'channel' };
const CANNOT_FIND = "I couldn't find that. It may have been removed, or the message it came from is out of date.";
const textOf = (value: unknown) => JSON.stringify(value);

describe('what people send the bot in Teams is bounded and checked', () => {
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;
  /** Zed, in another tenant: another org, as Slack installs by OAuth make every tenant one. */
  let globex: ReturnType<typeof teamsClient>;
  let note: PostedActivity;
  let request: PostedActivity;

  const chatOf = (userId: string): TeamsWhere => ({
    conversationId: stub.createdConversations().find((c) => c.body.members?.[0]?.id === userId)?.id ?? `a:personal-${userId.slice(3)}`,
    type: 'personal',
  });
  const inChat = (userId: string): PostedActivity[] => stub.postedTo(chatOf(userId).conversationId);
  const lastIn = (userId: string) => inChat(userId).at(-1)!;
  const count = async (table: 'feedback' | 'kudos' | 'notifications') => (await app.db.selectFrom(table).select('id').execute()).length;
  /** The card with its button titled `title` carrying this data instead, as a person could send it. */
  function forged(card: any, title: string, data: (original: any) => any): any {
    const copy = structuredClone(card);
    const button = cardActions(copy).find((a) => a.title === title);
    button.data = data(button.data);
    if (button.verb && button.data.actionId) button.verb = button.data.actionId;
    return copy;
  }
  const thanksTo = (userId: string) => inChat(userId).filter((p) => p.activity.summary?.endsWith('said thanks'));

  beforeAll(async () => {
    running = await startTeamsTestApp({ roster: [...roster, zed], env: { ...SLACK_OAUTH_ENV, SLACK_SIGNING_SECRET } });
    ({ app, stub, teams } = running);
    globex = teamsClient(stub, () => app.url, { tenant: 'tenant-globex', bot: { id: '28:bot', name: 'HEPO' }, roster: [zed] });
    // Gia gives Ana feedback (its Thanks button carries the feedback's id) and asks her for some (the request's id).
    await teams.say(chatOf('29:gia'), '29:gia', 'feedback');
    await teams.execute(chatOf('29:gia'), '29:gia', lastIn('29:gia'), 'Send privately', { recipient: '29:ana', kind: 'praise', text: 'Crisp demo.' });
    await stub.waitFor(() => inChat('29:ana').length === 1);
    note = lastIn('29:ana');
    const ana = roster[1]!;
    await teams.say(CHANNEL, '29:gia', `feedback request <at>${ana.name}</at> about the launch`, [ana]);
    await stub.waitFor(() => inChat('29:ana').length === 2);
    request = lastIn('29:ana');
    expect(request.activity.summary).toBe('Gia Giver asked for your feedback');
  });
  afterAll(() => running?.close());

  it('answers a tampered Action.Execute (its id or its verb) with "I couldn’t find that", and changes nothing', async () => {
    const card = cardOf(note.activity);
    const tampered = [
      forged(card, '🙏 Thanks', (data) => ({ ...data, value: 'not-an-id' })),
      forged(card, '🙏 Thanks', (data) => ({ ...data, value: `${data.value}' or '1'='1` })),
      forged(card, '🙏 Thanks', (data) => ({ ...data, value: data.value.repeat(50) })),
      forged(card, '🙏 Thanks', (data) => ({ ...data, value: { $ne: null } })),
      forged(card, '🙏 Thanks', (data) => ({ ...data, actionId: 'feedback.delete_all' })),
    ];
    for (const forgery of tampered) {
      const res = await teams.execute(chatOf('29:ana'), '29:ana', { id: note.id, card: forgery }, '🙏 Thanks');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: CANNOT_FIND });
    }
    expect(stub.updatesTo(chatOf('29:ana').conversationId)).toEqual([]);
    expect(thanksTo('29:gia')).toEqual([]);
  });

  it('answers a dialog submitted with a bogus id in its form, or a form changed on the way, and writes nothing', async () => {
    const fetched = await teams.fetchTask(chatOf('29:ana'), '29:ana', request, 'Give feedback');
    const dialog = fetched.body.task.value.card.content;
    const submitData = cardActions(dialog).find((a) => a.type === 'Action.Submit').data;
    expect(submitData.hepoForm.state).toEqual({ requestId: expect.any(String) });
    const [feedback, notifications] = [await count('feedback'), await count('notifications')];
    const inputs = { recipient: '29:gia', kind: 'praise', text: 'Good launch.' };
    const submitWith = (data: any) => teams.post(teams.invoke(chatOf('29:ana'), '29:ana', 'task/submit', { data: { ...data, ...inputs } }));
    const withState = (state: unknown) => ({ ...submitData, hepoForm: { ...submitData.hepoForm, state } });

    for (const data of [withState({ requestId: 'bogus' }), withState({ requestId: 7 }), { ...submitData, hepoForm: 'tampered' }, 'nonsense']) {
      expect((await submitWith(data)).body).toEqual({ task: { type: 'message', value: CANNOT_FIND } });
    }
    expect((await submitWith(withState({ requestId: randomUUID() }))).body).toEqual({
      task: { type: 'message', value: "I couldn't find that request any more." },
    });
    expect([await count('feedback'), await count('notifications')]).toEqual([feedback, notifications]);
  });

  it('answers a button sent as a message (Agents Playground’s Action.Submit) with a tampered id, in the person’s chat', async () => {
    const card = forged(cardOf(request.activity), 'Give feedback', (data) => ({ ...data, value: '../../etc/passwd' }));
    const before = inChat('29:ana').length;
    await teams.submitAsMessage(chatOf('29:ana'), '29:ana', { id: request.id, activity: { attachments: [{ content: card }] } }, 'Give feedback');
    await stub.waitFor(() => inChat('29:ana').length > before);
    expect(textOf(lastIn('29:ana').activity)).toContain(CANNOT_FIND);
    expect(textOf(lastIn('29:ana').activity)).not.toContain('Give feedback');
  });

  it('treats ids of another org as unknown: the same answer as for ids that never were', async () => {
    const theirs = { id: note.id, card: cardOf(note.activity) };
    const res = await globex.execute(chatOf('29:zed'), '29:zed', theirs, '🙏 Thanks');
    expect(res.body.value).toBe("I couldn't find that feedback any more.");
    const fetched = await globex.fetchTask(chatOf('29:zed'), '29:zed', request, 'Give feedback');
    expect(fetched.body).toEqual({ task: { type: 'message', value: "I couldn't find that request any more." } });
    expect(thanksTo('29:gia')).toEqual([]);
    expect(await app.db.selectFrom('org_workspaces').select(['external_id']).orderBy('external_id').execute()).toEqual([
      { external_id: 'tenant-contoso' },
      { external_id: 'tenant-globex' },
    ]);
    expect(await app.db.selectFrom('orgs').select('id').execute()).toHaveLength(2);
  });

  it('states the limit at the field and refuses an over-long answer there, with what was typed, writing nothing', async () => {
    await teams.say(chatOf('29:gia'), '29:gia', 'feedback');
    const form = lastIn('29:gia');
    const body = cardOf(form.activity).body as any[];
    const at = body.findIndex((e) => e.id === 'text');
    expect(body[at]).toMatchObject({ type: 'Input.Text', isMultiline: true, maxLength: 2_000 });
    expect(body[at + 1].text).toContain('Up to 2,000 characters.');

    const feedback = await count('feedback');
    const long = 'x'.repeat(2_001);
    const res = await teams.execute(chatOf('29:gia'), '29:gia', form, 'Send privately', { recipient: '29:ana', kind: 'praise', text: long });
    const again = res.body.value.body as any[];
    const field = again.findIndex((e) => e.id === 'text');
    expect(again[field].value).toBe(long);
    expect(again[field + 1]).toMatchObject({ color: 'Attention', text: 'Please keep this to 2,000 characters or fewer; it has 2,001.' });
    expect(await count('feedback')).toBe(feedback);
  });

  it('refuses an over-long kudos message typed to the bot with its limit, before looking anyone up', async () => {
    const ben = roster[2]!;
    await teams.say(CHANNEL, '29:gia', `kudos <at>${ben.name}</at> 5 ${'x'.repeat(1_001)}`, [ben]);
    await stub.waitFor(() => textOf(cardOf(lastIn('29:gia').activity)).includes('1,000 characters'));
    expect(textOf(cardOf(lastIn('29:gia').activity))).toContain('Please keep this to 1,000 characters or fewer; it has 1,001.');
    // Ben was mentioned but never looked up: the bot met him nowhere.
    expect(await app.db.selectFrom('identities').select('platform_user_id').where('platform_user_id', '=', '29:ben').execute()).toEqual([]);
    expect(await count('kudos')).toBe(0);
  });
});
