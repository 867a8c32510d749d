import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { SLACK_OAUTH_ENV, type SlackTestApp, installWithOAuth, startSlackTestApp } from '../support/slack-app';
import { buttonClick, postSigned, slashCommand, viewSubmission } from '../support/slack-requests';
import type { SlackStub } from '../support/slack-stub';

const users = [
  { id: 'UGIA', name: 'Gia Giver', email: 'gia@acme.test' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
  { id: 'UNEW', name: 'Nia New', email: 'nia@acme.test' },
  // Of another workspace, so another org.
  { id: 'UZED', name: 'Zed Other', email: 'zed@globex.test' },
];
/** What Slack grants when a workspace installs the app: Acme is T1, Globex T2, each an org of its own. */
const grant = (team: string, admin: string) => ({
  ok: true,
  app_id: 'A1',
  authed_user: { id: admin },
  scope: 'commands,chat:write',
  token_type: 'bot',
  access_token: `xoxb-${team}`,
  bot_user_id: `UBOT${team}`,
  team: { id: team, name: team },
  enterprise: null,
  is_enterprise_install: false,
});
const CANNOT_FIND = "I couldn't find that. It may have been removed, or the message it came from is out of date.";

type View = { id: string; callback_id: string; private_metadata: string; blocks: unknown[] };

describe('what people send the bot in Slack is bounded and checked', () => {
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;
  let feedbackId: string;
  let requestId: string;

  const text = (value: unknown) => JSON.stringify(value ?? {});
  const command = (name: string, userId: string, commandText: string) =>
    postSigned(app.url, slashCommand({ command: name, text: commandText, userId, channelId: 'C1', responseUrl: stub.responseUrl(userId) }));
  const answersTo = (userId: string) => stub.callsTo('response_url').filter((c) => c.responseTo === userId);
  const lastAnswerTo = async (userId: string, before: number) => {
    await stub.waitFor(() => answersTo(userId).length > before);
    return text(answersTo(userId).at(-1)!.body);
  };
  const press = async (actionId: string, value: string, userId = 'UANA', teamId = 'T1') => {
    const res = await postSigned(
      app.url,
      buttonClick({ actionId, value, userId, teamId, channelId: `D${userId}`, messageTs: '9.9', responseUrl: stub.responseUrl(userId) }),
    );
    expect(res.status).toBe(200);
  };
  /** Presses a button and reads the private answer. */
  const click = async (actionId: string, value: string, userId = 'UANA', teamId = 'T1') => {
    const before = answersTo(userId).length;
    await press(actionId, value, userId, teamId);
    return lastAnswerTo(userId, before);
  };
  async function nextView(before: number): Promise<View> {
    await stub.waitFor(() => stub.callsTo('views.open').length > before);
    return stub.callsTo('views.open').at(-1)!.body.view as View;
  }
  const feedbackValues = (body: string) => ({
    recipient: { recipient: { type: 'users_select', selected_user: 'UGIA' } },
    kind: { kind: { type: 'static_select', selected_option: { value: 'praise' } } },
    text: { text: { type: 'plain_text_input', value: body } },
  });
  const submit = async (view: View, body: string, metadata = view.private_metadata) => {
    const res = await postSigned(app.url, viewSubmission({ userId: 'UANA', view: { ...view, private_metadata: metadata }, values: feedbackValues(body) }));
    expect(res.status).toBe(200);
    const answer = await res.text();
    return answer === '' ? undefined : JSON.parse(answer);
  };
  const count = async (table: 'feedback' | 'kudos' | 'notifications') => (await app.db.selectFrom(table).select('id').execute()).length;
  const thanksSent = () => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === 'UGIA' && text(c.body).includes('said thanks'));

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users, oauthAccess: { acme: grant('T1', 'UGIA'), globex: grant('T2', 'UZED') } }, env: SLACK_OAUTH_ENV });
    ({ stub, app } = running);
    for (const code of ['acme', 'globex']) expect((await installWithOAuth(app.url, code)).status).toBe(200);
    // Gia gives Ana feedback (its Thanks button carries the feedback's id) and asks her for some (the request's id).
    await command('/feedback', 'UGIA', '<@UANA>');
    const view = await nextView(0);
    await postSigned(
      app.url,
      viewSubmission({
        userId: 'UGIA',
        view,
        values: { ...feedbackValues('Your demo was crisp.'), recipient: { recipient: { type: 'users_select', selected_user: 'UANA' } } },
      }),
    );
    await command('/feedback', 'UGIA', 'request <@UANA> about the launch');
    await stub.waitFor(() => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === 'UANA').length === 2);
    const dms = stub.callsTo('chat.postMessage').map((c) => text(c.body));
    feedbackId = dms.map((dm) => /"action_id":"feedback.thanks"[^}]*\},"value":"([0-9a-f-]{36})"/.exec(dm)?.[1]).find(Boolean)!;
    requestId = dms.map((dm) => /"action_id":"feedback.give"[^}]*\},"value":"([0-9a-f-]{36})"/.exec(dm)?.[1]).find(Boolean)!;
    expect([feedbackId, requestId]).toEqual([expect.any(String), expect.any(String)]);
  });
  afterAll(() => running?.close());

  it('answers a tampered button value with "I couldn’t find that", privately, and changes nothing', async () => {
    for (const value of ['not-an-id', `${feedbackId}' or '1'='1`, feedbackId.repeat(50)]) {
      expect(await click('feedback.thanks', value)).toContain(CANNOT_FIND);
    }
    expect(answersTo('UANA').every((c) => c.body.response_type === 'ephemeral')).toBe(true);
    expect(stub.callsTo('chat.update')).toEqual([]);
    expect(thanksSent()).toEqual([]);
  });

  it('answers a button naming a row that doesn’t exist, or another org’s, the same way: nothing leaks', async () => {
    expect(await click('feedback.thanks', randomUUID())).toContain("I couldn't find that feedback any more.");
    // Zed is in another workspace: Gia's feedback and request are unknown to him, not forbidden.
    expect(await click('feedback.thanks', feedbackId, 'UZED', 'T2')).toContain("I couldn't find that feedback any more.");
    expect(await click('feedback.give', requestId, 'UZED', 'T2')).toContain("I couldn't find that request any more.");
    expect(stub.callsTo('views.open')).toHaveLength(1);
    expect(thanksSent()).toEqual([]);
  });

  it('answers a form whose private_metadata was tampered with at the form, and writes nothing', async () => {
    const before = stub.callsTo('views.open').length;
    await press('feedback.give', requestId);
    const view = await nextView(before);
    const metadata = JSON.parse(view.private_metadata);
    expect(metadata.state).toEqual({ requestId });
    const [feedback, notifications] = [await count('feedback'), await count('notifications')];
    const tampered = [
      '{"state":',
      JSON.stringify({ ...metadata, state: { requestId: 'nope' } }),
      JSON.stringify({ ...metadata, state: { requestId: [requestId] } }),
      JSON.stringify({ ...metadata, conversationId: '<!channel>' }),
      'x'.repeat(3_000),
    ];
    for (const forged of tampered) {
      expect(await submit(view, 'Good launch.', forged)).toEqual({ response_action: 'errors', errors: { recipient: CANNOT_FIND } });
    }
    expect(await submit(view, 'Good launch.', JSON.stringify({ ...metadata, state: { requestId: randomUUID() } }))).toEqual({
      response_action: 'errors',
      errors: { recipient: "I couldn't find that request any more." },
    });
    expect([await count('feedback'), await count('notifications')]).toEqual([feedback, notifications]);
  });

  it('refuses an over-long answer at its field with the limit, writes nothing, and takes one at the limit', async () => {
    const before = stub.callsTo('views.open').length;
    await press('feedback.give', requestId);
    const view = await nextView(before);
    expect(view.blocks).toContainEqual(
      expect.objectContaining({ block_id: 'text', hint: expect.objectContaining({ text: expect.stringContaining('Up to 2,000 characters.') }) }),
    );
    expect(text(view.blocks)).toContain('"max_length":2000');
    const feedback = await count('feedback');
    expect(await submit(view, 'x'.repeat(2_001))).toEqual({
      response_action: 'errors',
      errors: { text: 'Please keep this to 2,000 characters or fewer; it has 2,001.' },
    });
    expect(await count('feedback')).toBe(feedback);
    expect(await submit(view, 'y'.repeat(2_000))).toBeUndefined();
    expect(await count('feedback')).toBe(feedback + 1);
  });

  it('refuses an over-long kudos message typed after /kudos with its limit, before looking anyone up', async () => {
    const kudos = await count('kudos');
    const before = answersTo('UGIA').length;
    await command('/kudos', 'UGIA', `<@UNEW> 5 ${'x'.repeat(1_001)}`);
    expect(await lastAnswerTo('UGIA', before)).toContain('Please keep this to 1,000 characters or fewer; it has 1,001.');
    await command('/kudos', 'UGIA', `<@UNEW> ${'x'.repeat(2_001)}`);
    expect(await lastAnswerTo('UGIA', before + 1)).toContain('please keep what you type after `/kudos` to 2,000 characters or fewer (yours has 2,013)');
    // Nia was mentioned but never looked up: the bot met her nowhere.
    expect(await app.db.selectFrom('identities').select('platform_user_id').where('platform_user_id', '=', 'UNEW').execute()).toEqual([]);
    expect(stub.callsTo('users.info').filter((c) => c.body.user === 'UNEW')).toEqual([]);
    expect(await count('kudos')).toBe(kudos);
  });
});
