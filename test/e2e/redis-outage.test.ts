import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sweepOutbox } from '../../src/notify/sweep-outbox.job';
import { REDIS_URL } from '../support/services';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { postSigned, slashCommand } from '../support/slack-requests';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { until } from '../support/wait';

const users = [
  { id: 'UGIVER', name: 'Gia Giver', email: 'gia@acme.test' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
];

describe('Slack kudos on BullMQ while Redis is away', () => {
  let redis: TcpProxy;
  let running: SlackTestApp;
  /** Slack Web API methods answered with 503; the test changes it while the app runs. */
  const slackUnavailable: string[] = [];

  beforeAll(async () => {
    redis = await startTcpProxy(REDIS_URL);
    running = await startSlackTestApp({ stub: { users, unavailable: slackUnavailable }, env: { REDIS_URL: redis.url } });
    await postSigned(running.app.url, slashCommand({ text: '<@UANA> 1 welcome', responseUrl: running.stub.responseUrl('warm') }));
    await running.stub.waitFor(() => running.stub.callsTo('chat.postMessage').length === 2);
  });
  beforeEach(() => running.stub.reset());
  afterEach(() => {
    redis.restore();
    redis.resume();
    slackUnavailable.length = 0;
  });
  afterAll(async () => {
    await running?.close();
    await redis?.close();
  });

  const readiness = async () => {
    const res = await fetch(`${running.app.url}/readyz`);
    return { status: res.status, body: await res.json() };
  };
  const postsTo = (channel: string) => running.stub.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);
  const giveKudos = async (text: string) => {
    const res = await postSigned(running.app.url, slashCommand({ text, responseUrl: running.stub.responseUrl('kudos') }));
    expect(res.status).toBe(200);
    await running.stub.waitFor(() => running.stub.callsTo('response_url').length === 1);
    expect(JSON.stringify(running.stub.callsTo('response_url')[0]!.body)).toContain('You recognised *Ana Lopez*');
  };
  const pendingNotifications = async () => (await running.app.db.selectFrom('notifications').select('status').where('status', '!=', 'sent').execute()).length;

  // First, so that it runs well before the sweep's own schedule could send what waited.
  it('keeps a kudos whose post failed while Redis was down in Postgres, and posts it once Redis is back', async () => {
    redis.cut();
    const refusedBefore = running.stub.refusedCalls();
    slackUnavailable.push('chat.postMessage');
    await giveKudos('<@UANA> 4 thanks for the late-night fix');
    // The first attempt fails and its retry can't be queued: the messages wait in the outbox.
    await until(() => running.stub.refusedCalls() >= refusedBefore + 2);
    slackUnavailable.length = 0;
    await new Promise((r) => setTimeout(r, 500));
    expect(postsTo('C1')).toEqual([]);
    expect(await pendingNotifications()).toBe(2);

    // As if the sweep's wait for fresh rows (whose first attempt may be under way) had passed.
    await running.app.db.updateTable('notifications').set({ created_at: sql<Date>`created_at - interval '1 minute'` }).where('status', '!=', 'sent').execute();
    redis.restore();
    // Redis back: the worker catches up on the recurring jobs at once, and the outbox sweep sends what waited.
    await running.stub.waitFor(() => postsTo('C1').length === 1 && postsTo('UANA').length === 1, 10_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(postsTo('C1')).toHaveLength(1);
    expect(postsTo('UANA')).toHaveLength(1);
    expect(await pendingNotifications()).toBe(0);
  });

  it.each([
    ['refuses connections', () => redis.cut()],
    ['stops answering', () => redis.pause()],
  ])('acks and posts a kudos once while Redis %s, and /readyz says not ready until it is back', async (_case, away) => {
    away();
    const asked = Date.now();
    expect(await readiness()).toEqual({ status: 503, body: { status: 'not ready', checks: { database: true, jobs: false } } });
    expect(Date.now() - asked).toBeLessThan(2_000);

    await giveKudos('<@UANA> 3 thanks for covering my shift');
    await running.stub.waitFor(() => postsTo('C1').length === 1 && postsTo('UANA').length === 1);

    redis.restore();
    redis.resume();
    await until(async () => (await readiness()).status === 200, 10_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(postsTo('C1')).toHaveLength(1);
    expect(postsTo('UANA')).toHaveLength(1);
    expect(await pendingNotifications()).toBe(0);
  });

  it('does not let an enqueue hang while Redis stops answering', async () => {
    redis.pause();
    const started = Date.now();
    await expect(running.app.jobs.enqueue(sweepOutbox, {})).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
