import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, postSigned, slashCommand, viewSubmission } from '../support/slack-requests';
import type { SlackCall, SlackStub } from '../support/slack-stub';

const users = [
  { id: 'UGIA', name: 'Gia Giver', email: 'gia@acme.test' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
  { id: 'UBEN', name: 'Ben Okafor', email: 'ben@acme.test' },
];

describe('continuous feedback in Slack', () => {
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users } });
    ({ stub, app } = running);
  });
  afterAll(() => running?.close());

  const text = (call: SlackCall | undefined) => JSON.stringify(call?.body ?? {});
  const dmsTo = (user: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === user);
  const command = (userId: string, commandText: string, channelId = 'C1') =>
    postSigned(app.url, slashCommand({ command: '/feedback', text: commandText, userId, channelId, responseUrl: stub.responseUrl(userId) }));
  type View = { callback_id: string; private_metadata: string; blocks: unknown[] };
  async function nextView(before: number): Promise<View> {
    await stub.waitFor(() => stub.callsTo('views.open').length > before);
    return stub.callsTo('views.open').at(-1)!.body.view as View;
  }
  const values = (recipient: string, kind: string, body: string) => ({
    recipient: { recipient: { type: 'users_select', selected_user: recipient } },
    kind: { kind: { type: 'static_select', selected_option: { value: kind } } },
    text: { text: { type: 'plain_text_input', value: body } },
  });

  it('gives private feedback from a channel: a form, a DM to the person only, and nothing in the channel', async () => {
    await command('UGIA', '<@UANA> your demo was crisp');
    const view = await nextView(0);
    expect(view.callback_id).toBe('feedback.give');
    expect(JSON.stringify(view)).toContain('"initial_user":"UANA"');
    expect(JSON.stringify(view)).toContain('your demo was crisp');
    const submission = viewSubmission({ userId: 'UGIA', view: { ...view, id: 'VFB1' }, values: values('UANA', 'praise', 'Your demo was crisp and calm.') });
    await Promise.all([postSigned(app.url, submission), postSigned(app.url, submission)]);
    await stub.waitFor(() => dmsTo('UANA').length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(dmsTo('UANA')).toHaveLength(1);
    expect(text(dmsTo('UANA')[0])).toContain('<@UGIA> sent you praise');
    expect(stub.callsTo('chat.postMessage').every((c) => String(c.body.channel).startsWith('U'))).toBe(true);
    expect(await app.db.selectFrom('feedback').select(['kind', 'text']).execute()).toEqual([{ kind: 'praise', text: 'Your demo was crisp and calm.' }]);
  });

  it('lets only the recipient say thanks, once, and tells the giver', async () => {
    const feedbackId = /"action_id":"feedback.thanks"[^}]*\},"value":"([0-9a-f-]{36})"/.exec(text(dmsTo('UANA')[0]))![1]!;
    await postSigned(
      app.url,
      buttonClick({ actionId: 'feedback.thanks', value: feedbackId, userId: 'UBEN', channelId: 'DUBEN', responseUrl: stub.responseUrl('ben') }),
    );
    await stub.waitFor(() => stub.callsTo('response_url').some((c) => text(c).includes('Only the person who received this feedback')));
    for (let i = 0; i < 2; i++) {
      await postSigned(
        app.url,
        buttonClick({
          actionId: 'feedback.thanks',
          value: feedbackId,
          userId: 'UANA',
          channelId: 'DUANA',
          messageTs: '9.9',
          responseUrl: stub.responseUrl('ana'),
        }),
      );
    }
    await stub.waitFor(() => dmsTo('UGIA').length === 1 && stub.callsTo('chat.update').length === 2);
    expect(text(dmsTo('UGIA')[0])).toContain('<@UANA> said thanks for your feedback');
    expect(text(stub.callsTo('chat.update')[0])).toContain('You thanked Gia Giver for their feedback');
    await new Promise((r) => setTimeout(r, 300));
    expect(dmsTo('UGIA')).toHaveLength(1);
  });

  it('refuses feedback to yourself at the field, and stores nothing', async () => {
    const before = stub.callsTo('views.open').length;
    await command('UGIA', '');
    const view = await nextView(before);
    const res = await postSigned(app.url, viewSubmission({ userId: 'UGIA', view, values: values('UGIA', 'praise', 'me') }));
    expect(await res.json()).toMatchObject({ response_action: 'errors', errors: { recipient: expect.stringContaining('Feedback is for someone else') } });
    expect(await app.db.selectFrom('feedback').select('id').execute()).toHaveLength(1);
  });

  it('asks people for feedback about a topic; their answer reaches the requester privately', async () => {
    await command('UGIA', 'request <@UANA> <@UBEN> about the Q4 planning session');
    await stub.waitFor(() => dmsTo('UBEN').length === 1 && dmsTo('UANA').length === 2);
    expect(text(dmsTo('UBEN')[0])).toContain('<@UGIA> asked for your feedback about: the Q4 planning session');
    const requestId = /"action_id":"feedback.give"[^}]*\},"value":"([0-9a-f-]{36})"/.exec(text(dmsTo('UBEN')[0]))![1]!;
    const before = stub.callsTo('views.open').length;
    await postSigned(
      app.url,
      buttonClick({ actionId: 'feedback.give', value: requestId, userId: 'UBEN', channelId: 'DUBEN', responseUrl: stub.responseUrl('ben') }),
    );
    const view = await nextView(before);
    expect(JSON.stringify(view)).toContain('"initial_user":"UGIA"');
    await postSigned(app.url, viewSubmission({ userId: 'UBEN', view, values: values('UGIA', 'suggestion', 'Share the agenda a day earlier.') }));
    await stub.waitFor(() => dmsTo('UGIA').length === 2);
    expect(text(dmsTo('UGIA')[1])).toContain('<@UBEN> sent you a suggestion about the Q4 planning session');
    const linked = await app.db.selectFrom('feedback').select('request_id').where('kind', '=', 'suggestion').executeTakeFirstOrThrow();
    expect(linked.request_id).toBe(requestId);
  });
});
