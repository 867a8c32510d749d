import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rosterMember } from '../support/connector-stub';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { postSigned, slashCommand, viewSubmission } from '../support/slack-requests';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { startTeamsTestApp, type TeamsTestApp } from '../support/teams-app';

const APOLOGY = 'Sorry, something went wrong on my side. Please try again in a moment.';
/** Slack shows the person an error when an interaction is not answered within this. */
const SLACK_ANSWER_MS = 3_000;

const users = [
  { id: 'UGIVER', name: 'Gia Giver', email: 'gia@acme.test' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
];

/** Lets the statements the proxy held run, now that it forwards them. */
const settle = () => new Promise((r) => setTimeout(r, 1_000));

// The app runs with the default timeouts, which are what keep its answers inside Slack's 3 s.
describe('Slack while Postgres is slow or does not answer', () => {
  let running: SlackTestApp;
  let postgres: TcpProxy;

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users }, reachDatabase: async (url) => (postgres = await startTcpProxy(url)).url });
    // People met and connections open, as on a running server.
    await postSigned(running.app.url, slashCommand({ text: '<@UANA> 1 welcome', responseUrl: running.stub.responseUrl('warm') }));
    await running.stub.waitFor(() => running.stub.callsTo('response_url').length === 1 && running.stub.callsTo('chat.postMessage').length === 2);
  });
  beforeEach(() => running.stub.reset());
  afterEach(() => {
    postgres.resume();
    postgres.restore();
    postgres.delay(0);
  });
  afterAll(async () => {
    await running?.close();
    await postgres?.close();
  });

  const counts = async () => {
    const { db } = running.app;
    const count = async (table: 'kudos' | 'kudos_recipients' | 'notifications' | 'point_allowances') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const spent = await db
      .selectFrom('point_allowances')
      .select((eb) => eb.fn.sum('spent').as('s'))
      .executeTakeFirstOrThrow();
    return { kudos: await count('kudos'), recipients: await count('kudos_recipients'), notifications: await count('notifications'), spent: Number(spent.s) };
  };
  const ephemeralText = () => JSON.stringify(running.stub.callsTo('response_url').map((c) => c.body));

  async function openKudosModal() {
    await postSigned(running.app.url, slashCommand({ text: '', responseUrl: running.stub.responseUrl('modal') }));
    await running.stub.waitFor(() => running.stub.callsTo('views.open').length === 1);
    return running.stub.callsTo('views.open')[0]!.body.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
  }
  const kudosValues = (message: string) => ({
    recipients: { recipients: { type: 'multi_users_select', selected_users: ['UANA'] } },
    points: { points: { type: 'number_input', value: '2' } },
    value: { value: { type: 'static_select', selected_option: null } },
    message: { message: { type: 'plain_text_input', value: message } },
  });

  it.each([
    ['does not answer', () => postgres.pause()],
    ['refuses connections', () => postgres.cut()],
  ])('acks a command at once and apologises within 3 s while Postgres %s, writing nothing', async (_case, away) => {
    const before = await counts();
    away();
    const sent = Date.now();
    const res = await postSigned(running.app.url, slashCommand({ text: '<@UANA> 5 thanks for the help', responseUrl: running.stub.responseUrl('down') }));
    expect(res.status).toBe(200);
    expect(Date.now() - sent).toBeLessThan(1_000);
    await running.stub.waitFor(() => running.stub.callsTo('response_url').length === 1, SLACK_ANSWER_MS);
    expect(running.stub.callsTo('response_url')[0]!.body).toMatchObject({ response_type: 'ephemeral' });
    expect(ephemeralText()).toContain(APOLOGY);

    postgres.resume();
    postgres.restore();
    await settle();
    expect(await counts()).toEqual(before);
    expect(running.stub.callsTo('chat.postMessage')).toEqual([]);

    // The connections given up on are gone from the pool: the next kudos goes through.
    await postSigned(running.app.url, slashCommand({ text: '<@UANA> 5 thanks for the help', responseUrl: running.stub.responseUrl('back') }));
    await running.stub.waitFor(() => running.stub.callsTo('response_url').length === 2);
    expect(ephemeralText()).toContain('You recognised *Ana Lopez*');
    expect((await counts()).kudos).toBe(before.kudos + 1);
  });

  it.each([
    ['with connections open', async () => {}],
    // A quiet server's pool has let its idle connections go: the first statement must connect, and that waits too.
    [
      'with none open',
      async () => {
        postgres.cut();
        postgres.restore();
        await new Promise((r) => setTimeout(r, 200)); // the pool hears its connections close
      },
    ],
  ])('answers a form within 3 s while Postgres does not answer (%s), then apologises privately, writing nothing', async (_case, poolState) => {
    const view = await openKudosModal();
    const before = await counts();
    await poolState();
    postgres.pause();
    const sent = Date.now();
    const res = await postSigned(running.app.url, viewSubmission({ view, values: kudosValues('thanks for the review') }));
    expect(Date.now() - sent).toBeLessThan(SLACK_ANSWER_MS);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      response_action: 'update',
      view: { type: 'modal', blocks: [{ text: { text: expect.stringContaining('Working on it') } }] },
    });
    await running.stub.waitFor(() => running.stub.callsTo('chat.postEphemeral').length === 1);
    expect(JSON.stringify(running.stub.callsTo('chat.postEphemeral')[0]!.body)).toContain(APOLOGY);

    postgres.resume();
    await settle();
    expect(await counts()).toEqual(before);
  });

  it('answers a form within 3 s on a slow database, then records it once and tells the outcome privately', async () => {
    const view = await openKudosModal();
    const before = await counts();
    // Each round trip to Postgres takes 1.4 s: recording the kudos takes longer than Slack waits.
    postgres.delay(700);
    const sent = Date.now();
    const res = await postSigned(running.app.url, viewSubmission({ view, values: kudosValues('thanks for the slow but sure review') }));
    expect(Date.now() - sent).toBeLessThan(SLACK_ANSWER_MS);
    expect(await res.json()).toMatchObject({ response_action: 'update', view: { blocks: [{ text: { text: expect.stringContaining('Working on it') } }] } });

    await running.stub.waitFor(() => running.stub.callsTo('chat.postEphemeral').length === 1, 15_000);
    expect(JSON.stringify(running.stub.callsTo('chat.postEphemeral')[0]!.body)).toContain('You recognised *Ana Lopez*');
    await running.stub.waitFor(() => running.stub.callsTo('chat.postMessage').length === 2, 15_000);
    postgres.delay(0);
    await settle();
    const after = await counts();
    expect(after.kudos).toBe(before.kudos + 1);
    expect(after.spent).toBe(before.spent + 2);
    expect(
      running.stub
        .callsTo('chat.postMessage')
        .map((c) => c.body.channel)
        .sort(),
    ).toEqual(['C1', 'UANA']);
  });
});

describe('Teams while Postgres does not answer', () => {
  const roster = [rosterMember('29:giver', 'Gina Giver'), rosterMember('29:ana', 'Ana Lopez')];
  const personal = { conversationId: 'a:personal-giver', type: 'personal' as const };
  let running: TeamsTestApp;
  let postgres: TcpProxy;

  beforeAll(async () => {
    running = await startTeamsTestApp({ roster, reachDatabase: async (url) => (postgres = await startTcpProxy(url)).url });
    await running.teams.say(personal, '29:giver', 'help');
    await running.stub.waitFor(() => running.stub.activitiesTo(personal.conversationId).length === 1);
    running.stub.reset();
  });
  afterEach(() => postgres.resume());
  afterAll(async () => {
    await running?.close();
    await postgres?.close();
  });

  it('replies to a message with a kind apology and writes nothing', async () => {
    postgres.pause();
    const sent = Date.now();
    const answer = await running.teams.say(personal, '29:giver', 'kudos <at>Ana Lopez</at> 5 thanks', [roster[1]!]);
    expect(Date.now() - sent).toBeLessThan(SLACK_ANSWER_MS);
    expect(answer.status).toBe(200);
    const replies = running.stub.activitiesTo(personal.conversationId);
    expect(replies.map((a) => a.text)).toEqual([APOLOGY]);

    postgres.resume();
    await settle();
    expect(await running.app.db.selectFrom('kudos').select('id').execute()).toEqual([]);
  });

  it('answers a dialog submission with the apology in its invoke response', async () => {
    postgres.pause();
    const answer = await running.teams.post(
      running.teams.invoke(personal, '29:giver', 'task/submit', { data: { formId: 'kudos', recipients: '29:ana', message: 'thanks' } }),
    );
    expect(answer).toEqual({ status: 200, body: { task: { type: 'message', value: APOLOGY } } });
    postgres.resume();
    await settle();
    expect(await running.app.db.selectFrom('kudos').select('id').execute()).toEqual([]);
  });
});
