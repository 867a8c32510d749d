import { type ChildProcess, spawn } from 'node:child_process';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Db } from '../../src/db/connect';
import { enqueueDeliveries } from '../../src/notify/deliver-notifications.job';
import { recordNotifications } from '../../src/notify/notify.queries';
import { freshPostgres } from '../support/databases';
import { REDIS_URL } from '../support/services';
import { type SlackStub, startSlackStub } from '../support/slack-stub';
import { until } from '../support/wait';

// Its own Redis database, since the worker under test uses the default queue prefix.
const WORKER_REDIS = `${REDIS_URL}/11`;
const PEOPLE = 40;

function startWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['scripts/start.js'], {
    env: { ...process.env, ...env, ROLE: 'worker', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true,
  });
}

/** Kills the worker's whole process group, as a crash would. */
const kill = (child: ChildProcess) => {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
};

describe('a worker killed in the middle of a fan-out', () => {
  let stub: SlackStub;
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Db;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    const redis = new IORedis(WORKER_REDIS);
    await redis.flushdb();
    redis.disconnect();
    // Slack takes the message at once but answers late, so a kill leaves sends whose outcome the worker never heard.
    stub = await startSlackStub({ answerLate: { afterMs: 300 } });
    database = await freshPostgres();
    db = connectDatabase({ kind: 'postgres', url: database.url }, () => {});
  });
  afterAll(async () => {
    workers.forEach(kill);
    await db?.destroy();
    await stub?.close();
    await database?.drop();
  });

  it('sends every DM exactly once after a restart', async () => {
    const { id: orgId } = await db.insertInto('orgs').values({ name: 'Acme' }).returning('id').executeTakeFirstOrThrow();
    const ids = await db.transaction().execute(async (trx) => {
      const notifications = [];
      for (let i = 0; i < PEOPLE; i++) {
        const userId = `U${String(i).padStart(3, '0')}`;
        const person = await trx.insertInto('people').values({ org_id: orgId, display_name: userId }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('identities').values({ org_id: orgId, platform: 'slack', platform_user_id: userId, person_id: person.id }).execute();
        notifications.push({
          dedupeKey: `fanout:${person.id}`,
          platform: 'slack' as const,
          target: { kind: 'person' as const, workspaceId: 'T1', personId: person.id },
          message: { summary: `hello ${userId}`, blocks: [{ type: 'section' as const, text: `hello ${userId}` }] },
        });
      }
      return recordNotifications(trx, orgId, notifications);
    });

    const env = { DATABASE_URL: database.url, REDIS_URL: WORKER_REDIS, SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-crash', SLACK_API_URL: stub.apiUrl };
    workers.push(startWorker(env));
    const queue = new Queue('hepo', { connection: new IORedis(WORKER_REDIS, { maxRetriesPerRequest: null }) });
    await enqueueDeliveries(
      async (type, payload, { jobId } = {}) => {
        await queue.add(type.name, payload, { jobId, attempts: 6, backoff: { type: 'exponential', delay: 2_000 } });
      },
      ids,
      { fanOut: true },
    );
    await stub.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length >= 10, 60_000);
    kill(workers[0]!);
    const atKill = stub.callsTo('chat.postMessage').length;
    expect(atKill).toBeLessThan(PEOPLE);

    workers.push(startWorker(env));
    await until(async () => {
      const rows = await db.selectFrom('notifications').select('status').execute();
      return rows.every((r) => r.status === 'sent');
    }, 150_000);
    await queue.close();

    const perUser = new Map<string, number>();
    for (const call of stub.callsTo('chat.postMessage')) perUser.set(String(call.body.channel), (perUser.get(String(call.body.channel)) ?? 0) + 1);
    expect(perUser.size).toBe(PEOPLE);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);
    // The restarted worker looked before re-sending what the dead one had left uncertain.
    expect(stub.callsTo('conversations.history').length).toBeGreaterThan(0);
  }, 200_000);
});
