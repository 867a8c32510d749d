import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { PLATFORM_CALL_TIMEOUT_MS } from '../../src/chat/ports';
import { startTestApp } from '../support/app';
import { REDIS_URL } from '../support/services';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { postSigned, slashCommand } from '../support/slack-requests';
import type { SlackStub } from '../support/slack-stub';
import { until } from '../support/wait';

describe('Slack delivery when Slack pushes back', () => {
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;
  const rateLimited = { times: 0, retryAfter: 1 };
  const answerLate = { times: 0, afterMs: 0 };
  const unavailable: string[] = [];
  /** What the app logs at warn and above, a parsed line each. */
  const logged: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    running = await startSlackTestApp({
      env: { LOG_LEVEL: 'warn' },
      logDestination: { write: (line: string) => void logged.push(JSON.parse(line)) },
      stub: {
        users: [
          { id: 'UGIA', name: 'Gia Giver', email: 'gia@acme.test' },
          { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
          { id: 'ULEFT', name: 'Lee Left', email: 'lee@acme.test' },
        ],
        postMessageErrors: { ULEFT: 'account_inactive', CLONG: 'msg_too_long', CBLOCKS: 'invalid_blocks' },
        rateLimited,
        answerLate,
        unavailable,
        // The bot posts to #random without being a member (chat:write.public), so it can't read it.
        historyErrors: { CRANDOM: 'not_in_channel' },
      },
    });
    ({ stub, app } = running);
  });
  afterAll(() => running?.close());

  const kudos = (text: string, channelId = 'C1') => postSigned(app.url, slashCommand({ text, userId: 'UGIA', channelId, responseUrl: stub.responseUrl('g') }));

  it('waits out a 429 Retry-After and then sends each message once', async () => {
    rateLimited.times = 2;
    const started = Date.now();
    await kudos('<@UANA> 5 thanks for the review');
    await until(async () => {
      const rows = await app.db.selectFrom('notifications').select('status').execute();
      return rows.length === 2 && rows.every((n) => n.status === 'sent');
    }, 15_000);
    expect(stub.refusedCalls()).toBe(2);
    expect(
      stub
        .callsTo('chat.postMessage')
        .map((c) => c.body.channel)
        .sort(),
    ).toEqual(['C1', 'UANA']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('leaves a message Slack holds back for longer than 10 s to a later retry of its job, and then sends it once', async () => {
    rateLimited.times = 1;
    rateLimited.retryAfter = 11;
    try {
      const before = (await app.db.selectFrom('notifications').select('id').execute()).map((n) => n.id);
      await kudos('<@UANA> 5 thanks for the long review');
      const ours = () => app.db.selectFrom('notifications').select(['status', 'attempts', 'last_error']).where('id', 'not in', before).execute();
      await until(async () => {
        const rows = await ours();
        return rows.length === 2 && rows.every((n) => n.status === 'sent');
      }, 20_000);
      // The first message out (the DM) was refused for 11 s: its first attempt gave up at once; the job's
      // retry, and the post, waited out the rest of the 11 s (one 429 holds every message to the workspace).
      expect((await ours()).map((n) => n.attempts).sort()).toEqual([1, 2]);
      expect((await ours()).every((n) => n.last_error === null)).toBe(true);
      expect(stub.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.body.blocks).includes('the long review'))).toHaveLength(2);
    } finally {
      rateLimited.retryAfter = 1;
    }
  });

  it('does not send a post or a DM twice when Slack took them but answered too late: the retry finds them in the history', async () => {
    answerLate.times = 2;
    answerLate.afterMs = PLATFORM_CALL_TIMEOUT_MS + 1_000;
    const historyLookups = stub.callsTo('conversations.history').length;
    await kudos('<@UANA> 5 thanks for the slow review');
    const ours = () =>
      app.db.selectFrom('notifications').select(['status', 'attempts']).where(sql<string>`message::text`, 'like', '%the slow review%').execute();
    // The first attempt gives up after 10 s without an answer; the messages may be in, so the job's
    // retry looks in the channel's and the DM's history first, finds them there, and marks them sent.
    await until(async () => {
      const rows = await ours();
      return rows.length === 2 && rows.every((n) => n.status === 'sent');
    }, 20_000);
    expect((await ours()).map((n) => n.attempts)).toEqual([2, 2]);
    expect(
      stub
        .callsTo('conversations.history')
        .map((c) => c.body.channel)
        .slice(historyLookups)
        .sort(),
    ).toEqual(['C1', 'DUANA']);
    const sent = stub.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.body.blocks).includes('the slow review'));
    expect(sent.map((c) => c.body.channel).sort()).toEqual(['C1', 'UANA']);
  });

  it("sends again a post it may have sent when Slack won't let it look in the channel: better twice than never", async () => {
    unavailable.push('chat.postMessage'); // a 5xx: Slack may have taken the message
    await kudos('<@UANA> 5 thanks for the outage cover', 'CRANDOM');
    const ours = () =>
      app.db.selectFrom('notifications').select(['status', 'attempts', 'last_error']).where(sql<string>`message::text`, 'like', '%the outage cover%').execute();
    try {
      await until(async () => {
        const rows = await ours();
        return rows.length === 2 && rows.every((n) => n.last_error !== null);
      });
    } finally {
      unavailable.splice(0);
    }
    await until(async () => (await ours()).every((n) => n.status === 'sent'), 10_000);
    expect((await ours()).map((n) => n.attempts)).toEqual([2, 2]);
    const lookedIn = stub.callsTo('conversations.history').map((c) => c.body.channel);
    expect(lookedIn).toContain('CRANDOM');
    const sent = stub.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.body.blocks).includes('the outage cover'));
    expect(sent.map((c) => c.body.channel).sort()).toEqual(['CRANDOM', 'UANA']);
  });

  it('stops for good when the person has left Slack, and schedules nothing more for them', async () => {
    await kudos('<@ULEFT> 5 thanks for everything');
    await until(async () => {
      const rows = await app.db.selectFrom('notifications').select(['status', 'last_error']).where('dedupe_key', 'like', '%:dm:%').execute();
      return rows.some((r) => r.status === 'undeliverable');
    });
    const failed = await app.db
      .selectFrom('notifications')
      .select(['status', 'last_error', 'attempts'])
      .where('status', '=', 'undeliverable')
      .where('dedupe_key', 'like', '%:dm:%')
      .executeTakeFirstOrThrow();
    expect(failed).toEqual({ status: 'undeliverable', last_error: 'Slack: account_inactive', attempts: 1 });
    expect(stub.callsTo('chat.postMessage').filter((c) => c.body.channel === 'ULEFT')).toHaveLength(1);
    const lee = await app.db.selectFrom('people').select('active').where('display_name', '=', 'Lee Left').executeTakeFirstOrThrow();
    expect(lee.active).toBe(false);
  });

  it.each([
    ['msg_too_long', 'CLONG'],
    ['invalid_blocks', 'CBLOCKS'],
  ])('gives up at once on a post Slack refuses as %s, counts it by reason and logs it with its dedupe key', async (code, channel) => {
    await kudos(`<@UANA> 5 thanks for the ${code} cover`, channel);
    const ours = () =>
      app.db
        .selectFrom('notifications')
        .select(['dedupe_key', 'status', 'attempts', 'last_error'])
        .where(sql<string>`message::text`, 'like', `%the ${code} cover%`)
        .execute();
    await until(async () => {
      const rows = await ours();
      return rows.length === 2 && rows.every((n) => n.status !== 'pending');
    });
    const post = (await ours()).find((n) => n.dedupe_key.endsWith(':post'))!;
    expect(post).toMatchObject({ status: 'undeliverable', attempts: 1, last_error: `Slack: ${code}` });
    expect((await ours()).filter((n) => n.status === 'sent')).toHaveLength(1); // the DM
    // Undeliverable rows are never claimed again: one call, however long the job's backoff.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(stub.callsTo('chat.postMessage').filter((c) => c.body.channel === channel)).toHaveLength(1);

    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toContain(`notifications_undeliverable_total{platform="slack",reason="${code}"} 1`);
    const lines = logged.filter((l) => l.msg === 'notification undeliverable' && l.dedupeKey === post.dedupe_key);
    expect(lines).toEqual([expect.objectContaining({ level: 40, platform: 'slack', reason: `Slack: ${code}` })]);
  });
});

describe('Slack delivery with a web role and a worker role on BullMQ', () => {
  const queuePrefix = `hepo-test-${randomUUID()}`;
  const postMessageErrors: Record<string, string> = {};
  let web: SlackTestApp;
  let worker: RunningApp | undefined;

  beforeAll(async () => {
    web = await startSlackTestApp({
      stub: {
        users: [
          { id: 'UGIA', name: 'Gia Giver', email: 'gia@acme.test' },
          { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
        ],
        postMessageErrors,
      },
      env: { REDIS_URL, ROLE: 'web' },
      queuePrefix,
    });
  });
  afterAll(async () => {
    await worker?.close();
    await web?.close();
  });

  const kudos = (text: string) => postSigned(web.app.url, slashCommand({ text, userId: 'UGIA', responseUrl: web.stub.responseUrl('g') }));
  const notification = (kind: 'dm' | 'post', text: string) =>
    web.app.db
      .selectFrom('notifications')
      .select(['status', 'attempts', 'last_error'])
      .where('dedupe_key', 'like', `kudos:%:${kind}%`)
      .where(sql<string>`message::text`, 'like', `%${text}%`)
      .executeTakeFirst();
  const postsOf = (text: string) => web.stub.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.body.blocks).includes(text));

  it("sends a kudos' post and DM from the web role that recorded them, with no worker running", async () => {
    await kudos('<@UANA> 5 thanks for the demo');
    await until(async () => (await notification('dm', 'the demo'))?.status === 'sent' && (await notification('post', 'the demo'))?.status === 'sent');
    expect(
      postsOf('the demo')
        .map((c) => c.body.channel)
        .sort(),
    ).toEqual(['C1', 'UANA']);
    expect((await notification('dm', 'the demo'))?.attempts).toBe(1);
  });

  it('queues the retry of a first attempt that failed, and a worker sends it', async () => {
    postMessageErrors.UANA = 'internal_error';
    await kudos('<@UANA> 5 thanks for the retro');
    await until(async () => (await notification('dm', 'the retro'))?.last_error === 'Slack chat.postMessage: internal_error');
    delete postMessageErrors.UANA;
    // No worker yet: the retry waits in Redis (its 2 s backoff is long over), and only the post went out.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await notification('dm', 'the retro')).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await notification('post', 'the retro'))?.status).toBe('sent');

    worker = await startTestApp({ ...web.env, ROLE: 'worker' }, { queuePrefix });
    await until(async () => (await notification('dm', 'the retro'))?.status === 'sent');
    expect((await notification('dm', 'the retro'))?.attempts).toBe(2);
    expect(
      postsOf('the retro')
        .map((c) => c.body.channel)
        .sort(),
    ).toEqual(['C1', 'UANA', 'UANA']);
  });
});

describe('Slack delivery paced to the workspace limit, across a web role and a worker on BullMQ', () => {
  const queuePrefix = `hepo-test-${randomUUID()}`;
  let web: SlackTestApp;
  let worker: RunningApp;

  beforeAll(async () => {
    web = await startSlackTestApp({
      // Slack-like: 5 chat.postMessage a second, then 429. The bot paces itself to 3 a second.
      stub: {
        users: [{ id: 'UGIA', name: 'Gia Giver', email: 'gia@acme.test' }, ...['UANA', 'UBEN', 'UCY'].map((id) => ({ id, name: `Person ${id}` }))],
        postMessagePerSecond: 5,
      },
      env: { REDIS_URL, ROLE: 'web', SLACK_POSTS_PER_SECOND: '3' },
      queuePrefix,
    });
    worker = await startTestApp({ ...web.env, ROLE: 'worker' }, { queuePrefix });
  });
  afterAll(async () => {
    await worker?.close();
    await web?.close();
  });

  it('sends a burst of kudos without a 429, and each message once', async () => {
    const recipients = ['UANA', 'UBEN', 'UCY'];
    for (let i = 0; i < 6; i++) {
      const text = `<@${recipients[i % 3]}> 1 thanks for round ${i}`;
      await postSigned(web.app.url, slashCommand({ text, userId: 'UGIA', responseUrl: web.stub.responseUrl('g') }));
    }
    await until(async () => {
      const rows = await web.app.db.selectFrom('notifications').select('status').execute();
      return rows.length === 12 && rows.every((n) => n.status === 'sent');
    }, 20_000);
    expect(web.stub.refusedCalls()).toBe(0);
    const posts = web.stub.callsTo('chat.postMessage');
    expect(posts).toHaveLength(12);
    expect(new Set(posts.map((c) => (c.body.metadata as { event_payload: { key: string } }).event_payload.key)).size).toBe(12);
  });
});
