import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { reviewCyclesTick, reviewCyclesTickJob } from '../../src/features/reviews/cycles.jobs';
import { cyclesQueries } from '../../src/features/reviews/cycles.queries';
import { moveParticipant } from '../../src/features/reviews/participants.queries';
import { DEFAULT_REVIEW_QUESTIONS } from '../../src/features/reviews/review-questions.rules';
import { startTestApp } from '../support/app';
import { freshPostgres } from '../support/databases';
import { fakeClock } from '../support/fake-clock';
import { flushQueueKeys } from '../support/redis-flush';
import { runTicks } from '../support/schedules';
import { REDIS_URL } from '../support/services';
import { type SlackStub, startSlackStub } from '../support/slack-stub';
import { until } from '../support/wait';

describe('review cycle schedules, derived from Postgres', () => {
  const prefix = `hepo-test-${randomUUID()}`;
  const time = fakeClock('2026-03-04T12:00:00Z');
  let stub: SlackStub;
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let app: RunningApp | undefined;
  let orgId: string;
  const ids: Record<string, string> = {};
  let cycleId: string;

  const start = () =>
    startTestApp(
      { DATABASE_URL: database.url, REDIS_URL, SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-cycles', SLACK_API_URL: stub.apiUrl },
      { clock: time.clock, queuePrefix: prefix },
    );
  const dms = (user: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === user);
  const participant = (person: string) =>
    app!.db
      .selectFrom('review_participants')
      .select(['id', 'state'])
      .where('person_id', '=', ids[person]!)
      .where('cycle_id', '=', cycleId)
      .executeTakeFirstOrThrow();
  const tick = async (iso: string) => {
    time.set(iso);
    await runTicks(app!, reviewCyclesTick);
  };
  /** The tick run here, to its end: for what it writes to Postgres, which the queue's runs don't wait for. */
  const tickHere = async (iso: string) => {
    time.set(iso);
    await reviewCyclesTickJob({ queries: cyclesQueries(app!.db), enqueue: app!.jobs.enqueue, clock: time.clock }).handle({}, { attempt: 1, final: true });
  };

  beforeAll(async () => {
    stub = await startSlackStub();
    database = await freshPostgres();
    app = await start();
    const db = app.db;
    ({ id: orgId } = await db.insertInto('orgs').values({ name: 'Acme' }).returning('id').executeTakeFirstOrThrow());
    const person = async (userId: string, timezone: string, managerId: string | null = null) => {
      const { id } = await db
        .insertInto('people')
        .values({ org_id: orgId, display_name: userId, timezone, manager_id: managerId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('identities').values({ org_id: orgId, platform: 'slack', platform_user_id: userId, person_id: id }).execute();
      ids[userId] = id;
    };
    await person('UHR', 'Europe/Berlin');
    await person('UMAYA', 'America/New_York');
    await person('UANA', 'America/New_York', ids.UMAYA);
    await person('UBEN', 'Asia/Tokyo', ids.UMAYA);
    ({ id: cycleId } = await cyclesQueries(db).create({
      orgId,
      name: 'Annual review',
      audience: { kind: 'people', personIds: [ids.UANA!, ids.UBEN!] },
      repeatMonths: 12,
      repeatsId: null,
      createdBy: ids.UHR!,
      idempotencyKey: 'seed',
      platform: 'slack',
      workspaceId: 'T1',
      phases: [
        { kind: 'self_assessment', opensOn: '2026-03-09', dueOn: '2026-03-20' },
        { kind: 'feedback_360', opensOn: '2026-03-09', dueOn: '2026-03-27' },
        { kind: 'manager_review', opensOn: '2026-03-30', dueOn: '2026-04-10' },
        { kind: 'sign_off', opensOn: '2026-04-13', dueOn: '2026-04-24' },
      ],
    }));
  });
  afterAll(async () => {
    await app?.close();
    await stub?.close();
    await database?.drop();
  });

  it('loses no nudge and sends none twice when Redis loses everything between ticks', async () => {
    await tick('2026-03-09T00:30:00Z'); // Monday 09:30 in Tokyo
    await until(() => dms('UBEN').length === 2); // on BullMQ the tick may start after runTicks looked
    // Two phases opened that morning: a DM each, in either order (each is a delivery of its own).
    const toBen = dms('UBEN').map((c) => String(c.body.text));
    expect(toBen.filter((t) => t.includes('Self-assessment'))).toHaveLength(1);
    expect(toBen.filter((t) => t.includes('360° feedback'))).toHaveLength(1);
    expect(dms('UANA')).toHaveLength(0);
    await app!.close();
    app = undefined;

    await flushQueueKeys(prefix);

    time.set('2026-03-09T13:30:00Z'); // Monday 09:30 in New York
    app = await start(); // the tick at start catches up
    await until(() => dms('UANA').length === 2, 10_000);
    await tickHere('2026-03-09T13:45:00Z');
    await new Promise((r) => setTimeout(r, 500));
    expect(dms('UANA')).toHaveLength(2);
    expect(dms('UBEN')).toHaveLength(2);
    const keysSent = await app.db.selectFrom('notifications').select('dedupe_key').where('dedupe_key', 'like', 'review-nudge:%').execute();
    expect(keysSent).toHaveLength(4);
  });

  it('moves a participant when their 360° request closes, and one with no request when the phase’s deadline passes, once', async () => {
    const ben = await participant('UBEN');
    await app!.db
      .transaction()
      .execute((trx) => moveParticipant(trx, { orgId, participantId: ben.id, event: 'self_submitted', actorId: ids.UBEN!, at: time.clock.now() }));
    expect((await participant('UBEN')).state).toBe('self_done');
    await app!.db
      .insertInto('feedback_360_requests')
      .values({
        org_id: orgId,
        subject_id: ids.UBEN!,
        requested_by: ids.UBEN!,
        due_on: '2026-03-20',
        anonymous: true,
        min_responses: 3,
        questions: JSON.stringify({ competencies: [], questions: [] }),
        platform: 'slack',
        workspace_id: 'T1',
        idempotency_key: 'ben-360',
        participant_id: ben.id,
        closed_at: time.clock.now(),
      })
      .execute();
    await tickHere('2026-03-10T10:00:00Z');
    expect((await participant('UBEN')).state).toBe('feedback_in');

    const ana = await participant('UANA');
    await tickHere('2026-03-27T20:00:00Z'); // still the 27th in New York
    const closings = () =>
      app!.db.selectFrom('review_events').select('kind').where('participant_id', '=', ana.id).where('kind', '=', 'feedback_closed').execute();
    expect(await closings()).toHaveLength(0);
    await tickHere('2026-03-28T05:00:00Z'); // the 28th in New York: the 360° phase is past
    await tickHere('2026-03-28T06:00:00Z');
    expect(await closings()).toHaveLength(1);
    expect((await participant('UANA')).state).toBe('not_started');
  });

  it('closes the cycle once its sign-off is past due, and repeats it once, a year on, with the people of the org chart then', async () => {
    await tickHere('2026-04-26T12:00:00Z');
    const first = await app!.db.selectFrom('review_cycles').select('closed_at').where('id', '=', cycleId).executeTakeFirstOrThrow();
    expect(first.closed_at).toEqual(new Date('2026-04-26T12:00:00Z'));
    expect(await app!.db.selectFrom('review_cycles').select('id').where('repeats_id', '=', cycleId).execute()).toEqual([]);

    await app!.db.updateTable('people').set({ active: false }).where('id', '=', ids.UANA!).execute();
    // HR changed the review questions since (as `/review questions` saves them): the repeat takes them as they are when it is made.
    const edited = {
      manager_review: { competencies: [{ id: 'mentoring', label: 'Mentoring' }], questions: [{ id: 'next', label: 'What comes next?' }] },
      self_assessment: { questions: [{ id: 'proud', label: 'What are you proudest of?' }] },
    };
    await cyclesQueries(app!.db).saveQuestions(orgId, edited);
    await tickHere('2027-03-08T20:00:00Z'); // already the 9th east of UTC+4: the repeat's first day has begun somewhere
    await tickHere('2027-03-08T21:00:00Z');
    const repeats = await app!.db.selectFrom('review_cycles').select(['id', 'name', 'repeat_months']).where('repeats_id', '=', cycleId).execute();
    expect(repeats).toEqual([{ id: expect.any(String), name: 'Annual review', repeat_months: 12 }]);
    const phases = await app!.db
      .selectFrom('review_phases')
      .select(['kind', 'opens_on', 'due_on'])
      .where('cycle_id', '=', repeats[0]!.id)
      .orderBy('opens_on')
      .orderBy('kind')
      .execute();
    expect(phases).toEqual([
      { kind: 'feedback_360', opens_on: '2027-03-09', due_on: '2027-03-27' },
      { kind: 'self_assessment', opens_on: '2027-03-09', due_on: '2027-03-20' },
      { kind: 'manager_review', opens_on: '2027-03-30', due_on: '2027-04-10' },
      { kind: 'sign_off', opens_on: '2027-04-13', due_on: '2027-04-24' },
    ]);
    const questionsOf = async (id: string) =>
      Object.fromEntries(
        (await app!.db.selectFrom('review_phases').select(['kind', 'questions']).where('cycle_id', '=', id).execute()).map((p) => [p.kind, p.questions]),
      );
    expect(await questionsOf(repeats[0]!.id)).toMatchObject({
      manager_review: edited.manager_review,
      self_assessment: { competencies: [], questions: edited.self_assessment.questions },
    });
    expect((await questionsOf(cycleId)).manager_review).toEqual(DEFAULT_REVIEW_QUESTIONS.manager_review);
    const people = await app!.db.selectFrom('review_participants').select(['person_id', 'reviewer_id']).where('cycle_id', '=', repeats[0]!.id).execute();
    expect(people).toEqual([{ person_id: ids.UBEN, reviewer_id: ids.UMAYA }]);
  });
});
