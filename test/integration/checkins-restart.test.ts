import { randomUUID } from 'node:crypto';
import { checkinTick } from '../../src/features/checkins/checkins.jobs';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { checkinsQueries } from '../../src/features/checkins/checkins.queries';
import { parseQuestions, DEFAULT_QUESTIONS } from '../../src/features/checkins/questions.rules';
import { startTestApp } from '../support/app';
import { freshPostgres } from '../support/databases';
import { fakeClock } from '../support/fake-clock';
import { flushQueueKeys } from '../support/redis-flush';
import { REDIS_URL } from '../support/services';
import { type SlackStub, startSlackStub } from '../support/slack-stub';

describe('check-in schedules after Redis loses everything', () => {
  const prefix = `hepo-test-${randomUUID()}`;
  const time = fakeClock('2026-11-27T06:00:00Z'); // Friday 15:00 in Tokyo
  let stub: SlackStub;
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let app: RunningApp | undefined;

  const start = () =>
    startTestApp(
      { DATABASE_URL: database.url, REDIS_URL, SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-restart', SLACK_API_URL: stub.apiUrl },
      { clock: time.clock, queuePrefix: prefix },
    );
  const prompts = (user: string) =>
    stub.callsTo('chat.postMessage').filter((c) => c.body.channel === user && JSON.stringify(c.body).includes('time for your check-in'));

  beforeAll(async () => {
    stub = await startSlackStub();
    database = await freshPostgres();
    app = await start();
    const db = app.db;
    const { id: orgId } = await db.insertInto('orgs').values({ name: 'Acme' }).returning('id').executeTakeFirstOrThrow();
    const person = async (userId: string, timezone: string) => {
      const { id } = await db.insertInto('people').values({ org_id: orgId, display_name: userId, timezone }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('identities').values({ org_id: orgId, platform: 'slack', platform_user_id: userId, person_id: id }).execute();
      return id;
    };
    const manager = await person('UMGR', 'Europe/Lisbon');
    const members = [await person('UANA', 'Asia/Tokyo'), await person('UBEN', 'America/New_York')];
    time.set('2026-11-20T00:00:00Z'); // the team is set up the week before
    await checkinsQueries(db, time.clock).saveTeam(
      {
        orgId,
        managerId: manager,
        every: 'week',
        weekday: 5,
        localTime: '15:00',
        anchorDate: '2026-11-27',
        reminderHours: 24,
        platform: 'slack',
        workspaceId: 'T1',
        memberIds: members,
        questions: parseQuestions(DEFAULT_QUESTIONS),
      },
      () => ({
        dedupeKey: `welcome:${randomUUID()}`,
        platform: 'slack',
        target: { kind: 'conversation', workspaceId: 'T1', conversationId: 'CNULL' },
        message: { summary: 'x', blocks: [] },
      }),
    );
    time.set('2026-11-27T06:00:00Z');
  });
  afterAll(async () => {
    await app?.close();
    await stub?.close();
    await database?.drop();
  });

  it('re-creates its schedules at start and neither loses nor repeats a prompt of the current period', async () => {
    await app!.jobs.enqueue(checkinTick, {});
    await stub.waitFor(() => prompts('UANA').length === 1);
    await app!.close();
    app = undefined;

    await flushQueueKeys(prefix);

    time.set('2026-11-27T20:00:00Z'); // Friday 15:00 in New York
    app = await start(); // the tick at start catches up
    await stub.waitFor(() => prompts('UBEN').length === 1, 10_000);
    await app.jobs.enqueue(checkinTick, {});
    await new Promise((r) => setTimeout(r, 500));
    expect(prompts('UANA')).toHaveLength(1);
    expect(prompts('UBEN')).toHaveLength(1);

    const queue = new Queue('hepo', { connection: { url: REDIS_URL }, prefix });
    const schedulers = (await queue.getJobSchedulers()).map((s) => s.key).sort();
    await queue.close();
    expect(schedulers).toEqual([
      'checkin_tick',
      'feedback_360_tick',
      'goals_tick',
      'one_on_one_tick',
      'purge_removed_workspaces',
      'review_cycles_tick',
      'review_meeting_tick',
      'sweep_outbox',
    ]);
  });
});
