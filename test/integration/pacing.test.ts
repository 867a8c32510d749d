import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebClient } from '@slack/web-api';
import { webClientOptions } from '../../src/adapters/slack/sender';
import { Paced } from '../../src/chat/ports';
import { createLogger } from '../../src/logger';
import { localPacer, type Pace, type Pacer, reserve } from '../../src/pacing/pacer';
import { redisPacer } from '../../src/pacing/redis-pacer';
import { REDIS_URL } from '../support/services';
import { type SlackStub, startSlackStub } from '../support/slack-stub';

const logger = createLogger('silent');

/** Posts to the stub as a sender would, each after its turn from `pacer` (none: no pacing). */
async function postAll(stub: SlackStub, pacer: Pacer | undefined, paces: Pace[], count: number, inFlight: number) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      await pacer?.turn(paces, { maxWaitMs: 60_000 });
      await fetch(`${stub.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: `U${n}` }),
      });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

describe('the pace a send waits for', () => {
  const pace: Pace = { key: 'k', everyMs: 100, burst: 3 };

  it('lets a burst through at once, then one every interval, each pace counting', () => {
    const tats: Array<number | undefined> = [undefined];
    const waits = Array.from({ length: 5 }, () => {
      const { waitMs, next } = reserve([pace], tats, 1_000);
      tats[0] = next[0];
      return waitMs;
    });
    expect(waits).toEqual([0, 0, 0, 100, 200]);
  });

  it('waits for the slowest of several paces, and takes a turn of each', () => {
    const channel: Pace = { key: 'c', everyMs: 1_000, burst: 1 };
    const { waitMs, next } = reserve([pace, channel], [1_200, 1_500], 1_000);
    expect(waitMs).toBe(500);
    expect(next).toEqual([1_600, 2_500]);
  });
});

describe.each([
  { name: 'in this process', make: async () => localPacer() },
  { name: 'on Redis', make: () => redisPacer(REDIS_URL, `hepo-test-${randomUUID()}`, logger) },
])('pacing $name', ({ make }) => {
  let pacer: Pacer;
  beforeAll(async () => {
    pacer = await make();
  });
  afterAll(() => pacer.close());

  it('hands out turns in the order they are asked for', async () => {
    const paces = [{ key: `order-${randomUUID()}`, everyMs: 30, burst: 1 }];
    const done: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map(async (n) => pacer.turn(paces, { maxWaitMs: 5_000 }).then(() => done.push(n))));
    expect(done).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses a turn further away than the send may wait, taking none, so the next asks for the same one', async () => {
    const paces = [{ key: `far-${randomUUID()}`, everyMs: 60_000, burst: 1 }];
    await pacer.turn(paces, { maxWaitMs: 0 });
    const refusals = await Promise.all(
      [0, 1].map(() =>
        pacer.turn(paces, { maxWaitMs: 10_000 }).then(
          () => undefined,
          (error: unknown) => error,
        ),
      ),
    );
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(Paced);
      // The same turn, a minute on, for both: the first refusal reserved nothing.
      expect((refusal as Paced).retryInMs).toBeGreaterThan(50_000);
      expect((refusal as Paced).retryInMs).toBeLessThanOrEqual(60_000);
    }
  });
});

describe('pacing shared by several processes on Redis', () => {
  let stub: SlackStub;
  beforeAll(async () => {
    stub = await startSlackStub({ postMessagePerSecond: 10 });
  });
  afterAll(() => stub.close());

  it('keeps two processes, paced as one through Redis, under a limit they overrun unpaced', async () => {
    // Unpaced, 30 posts at once overrun a limit of 10 a second.
    await postAll(stub, undefined, [], 30, 30);
    expect(stub.refusedCalls()).toBeGreaterThan(0);
    stub.reset();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // a fresh second at the stub

    // Two processes (two Redis connections), each with 10 in flight, paced as one to 8 a second.
    const prefix = `hepo-test-${randomUUID()}`;
    const [one, two] = await Promise.all([redisPacer(REDIS_URL, prefix, logger), redisPacer(REDIS_URL, prefix, logger)]);
    const refusedBefore = stub.refusedCalls();
    try {
      const paces = [{ key: 'workspace', everyMs: 125, burst: 2 }];
      await Promise.all([postAll(stub, one, paces, 12, 10), postAll(stub, two, paces, 12, 10)]);
    } finally {
      await one!.close();
      await two!.close();
    }
    expect(stub.refusedCalls() - refusedBefore).toBe(0);
    expect(stub.callsTo('chat.postMessage')).toHaveLength(24);
  });
});

describe("Slack's Web API client, paced to each method's tier", () => {
  it('takes a turn per call of a tiered method, a minute of calls at once, keyed by workspace but not by token', async () => {
    const stub = await startSlackStub();
    const asked: Pace[][] = [];
    const recording: Pacer = { turn: async (paces) => void asked.push(paces), close: async () => {} };
    const client = new WebClient('xoxb-test-token', webClientOptions(stub.apiUrl, recording));
    try {
      await client.users.list({});
      await client.conversations.open({ users: 'UANA' });
      await client.views.publish({ user_id: 'UANA', view: { type: 'home', blocks: [] } });
      await client.auth.test();
    } finally {
      await stub.close();
    }
    expect(asked.map(([pace]) => [pace!.key.split(':').at(-1), pace!.everyMs, pace!.burst])).toEqual([
      ['users.list', 3_000, 20],
      ['conversations.open', 1_200, 50],
      ['views.publish', 600, 100],
    ]);
    expect(asked.every(([pace]) => !pace!.key.includes('xoxb'))).toBe(true);
  });
});
