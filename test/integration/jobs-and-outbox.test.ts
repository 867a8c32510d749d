import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type NotificationTarget, type OutgoingNotification, Paced, type Sender, type ShowPeople, Undeliverable } from '../../src/chat/ports';
import { type Message, personRef } from '../../src/chat/ui';
import { connectDatabase, type Db } from '../../src/db/connect';
import { BullMQRunner } from '../../src/jobs/bullmq';
import { InProcessRunner } from '../../src/jobs/in-process';
import { type Enqueue, type JobDefinition, JobRegistry, type JobRunner, jobType } from '../../src/jobs/registry';
import { z } from 'zod';
import { peopleQueries, peopleShownOn } from '../../src/features/people/people.queries';
import { createLogger } from '../../src/logger';
import { deliverNotifications, deliverNotificationsJob, enqueueDeliveries } from '../../src/notify/deliver-notifications.job';
import { notifyQueries, recordNotifications, recordNotificationsToSend } from '../../src/notify/notify.queries';
import { sweepOutbox, sweepOutboxJob } from '../../src/notify/sweep-outbox.job';
import { freshPostgres } from '../support/databases';
import { REDIS_URL } from '../support/services';
import { until } from '../support/wait';

const logger = createLogger('silent');
/** The registry insists on every job; these tests exercise only the outbox ones. */
const message: Message = { summary: 'hello', blocks: [{ type: 'section', text: 'hello' }] };

/**
 * A platform that records what it was asked to send and can be told to fail the next N sends, or to
 * take the next one and never answer (until the job aborts the call), or to fail its next look, and
 * that can't reach the users in `unreachable` (undeliverable, as Slack's `user_not_found`). Like
 * Slack's sender, an uncertain delivery first looks for a message already sent with its key.
 */
function recordingSender() {
  const sent: Array<{ target: NotificationTarget; message: Message }> = [];
  const idByKey = new Map<string, string>();
  let failures = 0;
  let lookFailures = 0;
  let hangs = 0;
  let paced = 0;
  let aborted = 0;
  let delayMs = 0;
  const unreachable = new Set<string>();
  const sender: Sender = {
    platform: 'slack',
    async send(_orgId, target, msg, { key, uncertain, signal }) {
      if (target.kind === 'person' && unreachable.has(target.platformUserId ?? ''))
        throw new Undeliverable('Slack: user_not_found', { code: 'user_not_found' });
      if (paced > 0) {
        paced--;
        throw new Paced(30);
      }
      if (failures > 0) {
        failures--;
        throw new Error('platform said 503');
      }
      if (uncertain && lookFailures > 0) {
        lookFailures--;
        throw new Error('platform said 503 to the look');
      }
      if (uncertain && idByKey.has(key)) return { messageId: idByKey.get(key) };
      if (delayMs > 0) {
        const slow = delayMs;
        delayMs = 0;
        await new Promise((r) => setTimeout(r, slow));
      }
      sent.push({ target, message: msg });
      idByKey.set(key, `m${sent.length}`);
      if (hangs > 0) {
        hangs--;
        await new Promise((_, reject) => {
          const abort = () => {
            aborted++;
            reject(new Error('aborted'));
          };
          signal.addEventListener('abort', abort, { once: true });
        });
      }
      return { messageId: `m${sent.length}` };
    },
  };
  return {
    sender,
    sent,
    unreachable,
    failNext: (n: number) => (failures = n),
    paceNext: (n: number) => (paced = n),
    failNextLook: () => lookFailures++,
    hangNext: () => hangs++,
    slowNext: (ms: number) => (delayMs = ms),
    aborted: () => aborted,
  };
}

/** The tests' send deadline (the app's is 25 s). */
const SEND_DEADLINE_MS = 300;

const runners = [
  { name: 'in-process', make: (registry: JobRegistry) => Promise.resolve(new InProcessRunner(registry, logger)) },
  {
    name: 'BullMQ',
    make: (registry: JobRegistry) => BullMQRunner.connect(registry, logger, { redisUrl: REDIS_URL, prefix: `hepo-test-${randomUUID()}` }),
  },
];

describe.each(runners)('outbox delivery on the $name runner', ({ name, make }) => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Db;
  let orgId: string;
  let runner: JobRunner;
  let platform: ReturnType<typeof recordingSender>;
  /** The outbox of the process whose runner sends. */
  let sender: ReturnType<typeof notifyQueries>;
  /** How many notifications each run of a delivery job was given. */
  let jobSizes: number[];
  /** The people each look-up for a delivery asked about. */
  let lookups: string[][];
  let lookupFailures: number;
  const showPeople: ShowPeople = async (org, platform, personIds) => {
    lookups.push(personIds);
    if (lookupFailures > 0) {
      lookupFailures--;
      throw new Error('the database is away');
    }
    return peopleShownOn(db, org, platform, personIds);
  };
  const recipients = () => ({ shownOn: showPeople, unreachable: peopleQueries(db).deactivate });
  /** The notifications given up as undeliverable, as the app counts and logs them. */
  let givenUp: Array<{ key: string; code: string }>;
  const wiring = (sendDeadlineMs?: number) => ({
    enqueue: ((n, p, o) => runner.enqueue(n, p, o)) as Enqueue,
    onUndeliverable: (n: { dedupe_key: string }, error: Undeliverable) => void givenUp.push({ key: n.dedupe_key, code: error.code }),
    ...(sendDeadlineMs ? { sendDeadlineMs } : {}),
  });

  beforeAll(async () => {
    database = await freshPostgres();
    db = connectDatabase({ kind: 'postgres', url: database.url }, () => {});
    ({ id: orgId } = await db.insertInto('orgs').values({ name: 'Acme' }).returning('id').executeTakeFirstOrThrow());
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  beforeEach(async () => {
    platform = recordingSender();
    sender = notifyQueries(db);
    const enqueue: Enqueue = (n, p, o) => runner.enqueue(n, p, o);
    givenUp = [];
    const deliveries = deliverNotificationsJob(sender, { slack: platform.sender }, recipients(), wiring(SEND_DEADLINE_MS));
    jobSizes = [];
    lookups = [];
    lookupFailures = 0;
    const countedDeliveries: typeof deliveries = {
      ...deliveries,
      backoffMs: 20,
      attempts: 3,
      handle: (payload, attempt) => (jobSizes.push(payload.notificationIds.length), deliveries.handle(payload, attempt)),
    };
    const registry = new JobRegistry([countedDeliveries, sweepOutboxJob(sender, enqueue)]);
    runner = await make(registry);
    await runner.startWorking();
  });
  afterEach(async () => {
    await runner.close();
    await db.deleteFrom('notifications').execute();
  });

  const record = (...keys: string[]) =>
    db.transaction().execute((trx) =>
      recordNotifications(
        trx,
        orgId,
        keys.map((key) => ({ dedupeKey: key, platform: 'slack', target: { kind: 'conversation', workspaceId: 'T1', conversationId: 'C1' }, message })),
      ),
    );
  const row = async (id: string) => db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  /** As if every claim ran out and every notification is old enough for the outbox sweep. */
  const claimsRunOut = () =>
    db
      .updateTable('notifications')
      .set({ claimed_until: sql<Date>`now() - interval '1 second'`, created_at: sql<Date>`now() - interval '1 minute'` })
      .execute();

  it('records a notification once per dedupe key', async () => {
    expect(await record('k:once')).toHaveLength(1);
    expect(await record('k:once')).toEqual([]);
  });

  it('records a fan-out of 10,000 at once, more rows than one statement has parameters for, each dedupe key once', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `k:fan:${i}`);
    const ids = await record(...keys);
    expect(new Set(ids).size).toBe(10_000);
    expect(await row(ids[9_999]!)).toMatchObject({ dedupe_key: 'k:fan:9999', target: { kind: 'conversation', conversationId: 'C1' }, message, attempts: 0 });
    expect(await record('k:fan:0', 'k:fan:9999', 'k:fan:new')).toHaveLength(1);
  });

  it('sends once however many times the delivery is enqueued', async () => {
    const ids = await record('k:many');
    await Promise.all([1, 2, 3].map(() => enqueueDeliveries(runner.enqueue.bind(runner), ids)));
    await until(async () => (await row(ids[0]!)).status === 'sent');
    await runner.enqueue(deliverNotifications, { notificationIds: ids });
    await new Promise((r) => setTimeout(r, 300));
    expect(platform.sent).toHaveLength(1);
    expect((await row(ids[0]!)).platform_message_id).toBe('m1');
  });

  it('retries a failed send with backoff and records each attempt', async () => {
    platform.failNext(2);
    const ids = await record('k:retry');
    await enqueueDeliveries(runner.enqueue.bind(runner), ids);
    await until(async () => (await row(ids[0]!)).status === 'sent');
    expect(platform.sent).toHaveLength(1);
    expect((await row(ids[0]!)).attempts).toBe(3);
  });

  it("delivers notifications recorded together ten to a job, side by side, and a job's retry sends only what failed", async () => {
    platform.failNext(1);
    const ids = await record(...Array.from({ length: 12 }, (_, i) => `k:group-${i}`));
    await enqueueDeliveries(runner.enqueue.bind(runner), ids);
    await until(async () => (await db.selectFrom('notifications').select('status').execute()).every((r) => r.status === 'sent'));
    const rows = await db.selectFrom('notifications').select(['attempts', 'platform_message_id']).execute();
    expect(platform.sent).toHaveLength(12);
    expect(new Set(rows.map((r) => r.platform_message_id)).size).toBe(12);
    expect(rows.map((r) => r.attempts).sort()).toEqual([...Array<number>(11).fill(1), 2]);
    // Two jobs (10 + 2), then one retry of the job whose send failed.
    expect(jobSizes.slice(0, 2).sort((a, b) => a - b)).toEqual([2, 10]);
    expect(jobSizes).toHaveLength(3);
  });

  it('sends what was recorded together for one conversation in its order, even when the first send is slow; other conversations meanwhile', async () => {
    const toConversation = (key: string, conversationId: string) => ({
      dedupeKey: key,
      platform: 'slack' as const,
      target: { kind: 'conversation' as const, workspaceId: 'T1', conversationId },
      message: { summary: key, blocks: [] },
    });
    const ids = await db
      .transaction()
      .execute((trx) =>
        recordNotifications(trx, orgId, [toConversation('first', 'C-ana'), toConversation('second', 'C-ana'), toConversation('elsewhere', 'C-ben')]),
      );
    platform.slowNext(300);
    await enqueueDeliveries(runner.enqueue.bind(runner), ids);
    await until(() => platform.sent.length === 3);
    expect(platform.sent.map((s) => s.message.summary)).toEqual(['elsewhere', 'first', 'second']);
  });

  /** Notifications recorded together, each naming these people. */
  const recordNaming = (...notifications: Array<[key: string, personIds: string[]]>) =>
    db.transaction().execute((trx) =>
      recordNotifications(
        trx,
        orgId,
        notifications.map(([key, personIds]) => ({
          dedupeKey: key,
          platform: 'slack',
          target: { kind: 'conversation', workspaceId: 'T1', conversationId: 'C1' },
          message: { summary: personIds.map(personRef).join(' and '), blocks: [] },
        })),
      ),
    );

  /** A person with a Teams identity, and a Slack one when given its id. */
  const person = async (name: string, slackId?: string) => {
    const { id } = await db.insertInto('people').values({ org_id: orgId, display_name: name }).returning('id').executeTakeFirstOrThrow();
    if (slackId) await db.insertInto('identities').values({ org_id: orgId, platform: 'slack', platform_user_id: slackId, person_id: id }).execute();
    await db
      .insertInto('identities')
      .values({ org_id: orgId, platform: 'teams', platform_user_id: `29:${name}`, person_id: id })
      .execute();
    return id;
  };

  it('looks up the people the messages name as they go out, once for a job: their names of now and their ids on its platform', async () => {
    const [ana, cy] = [await person('Ana', 'UANA'), await person('Cy')];
    const ids = await recordNaming(['k:names-1', [ana]], ['k:names-2', [ana, cy]]);
    await db.updateTable('people').set({ display_name: 'Ana Lopez' }).where('id', '=', ana).execute();
    await enqueueDeliveries(runner.enqueue.bind(runner), ids);
    await until(() => platform.sent.length === 2);
    // Cy was met only on Teams: shown by name.
    const shown = { [ana]: { name: 'Ana Lopez', userId: 'UANA' }, [cy]: { name: 'Cy' } };
    expect(platform.sent.map((s) => s.message.people)).toEqual([shown, shown]);
    expect(lookups).toEqual([[ana, cy]]);

    // A look-up that fails is a failed attempt like any other: released, retried, sent once.
    lookupFailures = 1;
    const [again] = await recordNaming(['k:names-3', [cy]]);
    await enqueueDeliveries(runner.enqueue.bind(runner), [again!]);
    await until(async () => (await row(again!)).status === 'sent');
    expect(await row(again!)).toMatchObject({ attempts: 2, last_error: null });
    expect(platform.sent).toHaveLength(3);
  });

  it('records and sends the fallback of an undeliverable notification instead, once, however often its delivery runs', async () => {
    platform.unreachable.add('UGONE');
    const fallback: OutgoingNotification = {
      dedupeKey: 'k:unreached',
      platform: 'slack',
      target: { kind: 'conversation', workspaceId: 'T1', conversationId: 'DGIVER' },
      message,
    };
    const [id] = await db.transaction().execute((trx) =>
      recordNotifications(trx, orgId, [
        {
          dedupeKey: 'k:to-someone-gone',
          platform: 'slack',
          target: { kind: 'person', workspaceId: 'T1', personId: randomUUID(), platformUserId: 'UGONE' },
          message,
          ifUndeliverable: fallback,
        },
      ]),
    );
    const deliveries = deliverNotificationsJob(sender, { slack: platform.sender }, recipients(), wiring(SEND_DEADLINE_MS));
    await deliveries.handle({ notificationIds: [id!] }, { attempt: 1, final: false });
    // A duplicated job finds it given up; a rerun of the give-up (the undeliverable one back to pending) records no second fallback.
    await deliveries.handle({ notificationIds: [id!] }, { attempt: 1, final: false });
    await db.updateTable('notifications').set({ status: 'pending', claimed_until: null }).where('id', '=', id!).execute();
    await deliveries.handle({ notificationIds: [id!] }, { attempt: 2, final: false });

    expect(platform.sent).toEqual([{ target: fallback.target, message }]);
    const rows = await db
      .selectFrom('notifications')
      .select(['dedupe_key', 'status', 'attempts', 'if_undeliverable', 'last_error'])
      .orderBy('dedupe_key')
      .execute();
    expect(rows).toEqual([
      { dedupe_key: 'k:to-someone-gone', status: 'undeliverable', attempts: 2, if_undeliverable: fallback, last_error: 'Slack: user_not_found' },
      { dedupe_key: 'k:unreached', status: 'sent', attempts: 1, if_undeliverable: null, last_error: null },
    ]);
    // Each give-up is counted and logged by the app (the rerun gave it up again).
    expect(givenUp).toEqual([
      { key: 'k:to-someone-gone', code: 'user_not_found' },
      { key: 'k:to-someone-gone', code: 'user_not_found' },
    ]);
  });

  it('reschedules a send held back by pacing, however often, and sends it once: no attempt spent, nothing given up', async () => {
    // More holds than the job has attempts (3 here): pacing is no failure.
    platform.paceNext(4);
    const [id] = await record('k:paced');
    await enqueueDeliveries(runner.enqueue.bind(runner), [id!]);
    await until(async () => (await row(id!)).status === 'sent');
    expect(platform.sent).toHaveLength(1);
    // Five claims (four held back, the fifth sent) by five jobs, none retried for it.
    expect(await row(id!)).toMatchObject({ attempts: 5, last_error: null });
    expect(jobSizes).toEqual([1, 1, 1, 1, 1]);
  });

  it('gives each notification of a fan-out a job of its own', async () => {
    const ids = await record('k:fan-1', 'k:fan-2', 'k:fan-3');
    await enqueueDeliveries(runner.enqueue.bind(runner), ids, { fanOut: true });
    await until(() => platform.sent.length === 3);
    expect(jobSizes).toEqual([1, 1, 1]);
  });

  it('marks a notification failed, with the reason, when the last attempt fails', async () => {
    platform.failNext(10);
    const ids = await record('k:fail');
    await enqueueDeliveries(runner.enqueue.bind(runner), ids);
    await until(async () => (await row(ids[0]!)).status === 'failed');
    expect((await row(ids[0]!)).last_error).toBe('platform said 503');
    expect(platform.sent).toHaveLength(0);
  });

  it('gives a notification to one claim only, when claims of it share a batch', async () => {
    const [id] = await record('k:claimed-twice');
    const queries = notifyQueries(db);
    const claims = await Promise.all([queries.claim(id!), queries.claim(id!), queries.claim(id!)]);
    expect(claims.filter((c) => c !== undefined).map((c) => c!.id)).toEqual([id]);
  });

  /** A notification recorded already claimed, as a process that sends it itself records it. */
  const recordClaimed = async (key: string, naming: string[] = []) => {
    const target = { kind: 'conversation' as const, workspaceId: 'T1', conversationId: 'C1' };
    const said = naming.length > 0 ? { summary: naming.map(personRef).join(' and '), blocks: [] } : message;
    const [notification] = await db
      .transaction()
      .execute((trx) => recordNotificationsToSend(trx, orgId, [{ dedupeKey: key, platform: 'slack', target, message: said }]));
    return notification!;
  };

  it('sends held notifications with the people their interaction read, without a look-up; one naming someone else, or held for another platform, looks them up', async () => {
    const [amy, bo] = [await person('Amy', 'UAMY'), await person('Bo')];
    const read = { [amy]: { name: 'Amy as read', userId: 'UAMY' } };
    const onlyAmy = await recordClaimed('k:read-1', [amy]);
    const amyAndBo = await recordClaimed('k:read-2', [amy, bo]);
    const elsewhere = await recordClaimed('k:read-3', [amy]);
    sender.hold(orgId, [onlyAmy, amyAndBo], { platform: 'slack', people: read });
    sender.hold(orgId, [elsewhere], { platform: 'teams', people: read });
    await enqueueDeliveries(runner.enqueue.bind(runner), [onlyAmy.id, amyAndBo.id, elsewhere.id], { firstAttemptHere: true });
    await until(() => platform.sent.length === 3);
    // One conversation: sent in the order recorded.
    const fromTheDatabase = { [amy]: { name: 'Amy', userId: 'UAMY' }, [bo]: { name: 'Bo' } };
    expect(platform.sent.map((s) => s.message.people)).toEqual([read, fromTheDatabase, fromTheDatabase]);
    // One look-up for the job, for the two messages whose people weren't all read on their platform.
    expect(lookups).toEqual([[amy, bo]]);
  });

  it('sends a notification recorded already claimed, first attempt here, without claiming it again, and no other worker takes it meanwhile', async () => {
    const notification = await recordClaimed('k:born-claimed');
    // Another worker finds it taken.
    expect(await notifyQueries(db).claim(notification.id)).toBeUndefined();

    sender.hold(orgId, [notification]);
    await enqueueDeliveries(runner.enqueue.bind(runner), [notification.id], { firstAttemptHere: true });
    await until(async () => (await row(notification.id)).status === 'sent');
    expect(platform.sent).toEqual([{ target: notification.target, message }]);
    expect((await row(notification.id)).attempts).toBe(1);
  });

  it('claims in Postgres a held notification whose process stalled past using it, so it waits for its claim to run out', async () => {
    const notification = await recordClaimed('k:stalled');
    const stalled = notifyQueries(db, { heldClaimUsableMs: 0 });
    stalled.hold(orgId, [notification]);
    await deliverNotificationsJob(stalled, { slack: platform.sender }, recipients(), wiring()).handle(
      { notificationIds: [notification.id] },
      { attempt: 1, final: false },
    );
    expect(platform.sent).toHaveLength(0);
    expect(await row(notification.id)).toMatchObject({ status: 'pending', attempts: 1 });
    await claimsRunOut();
    await runner.enqueue(sweepOutbox, {});
    await until(async () => (await row(notification.id)).status === 'sent');
    expect(platform.sent).toHaveLength(1);
    expect((await row(notification.id)).attempts).toBe(2);
  });

  it('gives up a send that has no outcome by its deadline, inside its claim, and the retry looks first', async () => {
    platform.hangNext(); // the platform takes the message but never answers
    const ids = await record('k:hang');
    await enqueueDeliveries(runner.enqueue.bind(runner), ids);
    await until(async () => (await row(ids[0]!)).status === 'sent', 5_000);
    // The hung call was aborted at the deadline, long before the 30 s claim ran out; the message may
    // have been in, so the retry looked for it, found it, and sent nothing more.
    expect(platform.aborted()).toBe(1);
    expect(platform.sent).toHaveLength(1);
    expect((await row(ids[0]!)).attempts).toBe(2);
    expect((await row(ids[0]!)).platform_message_id).toBe('m1');
  });

  it('keeps a delivery uncertain when its look fails, so the attempt after still looks first', async () => {
    platform.hangNext(); // the message is in, its sender never heard so
    platform.failNextLook(); // and the retry can't look
    const ids = await record('k:look-failed');
    await enqueueDeliveries(runner.enqueue.bind(runner), ids);
    await until(async () => (await row(ids[0]!)).status === 'sent', 5_000);
    expect(platform.sent).toHaveLength(1);
    expect(await row(ids[0]!)).toMatchObject({ attempts: 3, platform_message_id: 'm1' });
  });

  it('does not send again a message whose sent mark failed: its next attempt looks first', async () => {
    // The first "sent" mark fails (a sequence is not rolled back with the failed statement).
    await sql`create sequence mark_attempts`.execute(db);
    await sql`create function fail_first_mark() returns trigger language plpgsql as $$
      begin
        if new.status = 'sent' and nextval('mark_attempts') = 1 then raise exception 'database hiccup'; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger fail_first_mark before update on notifications for each row execute function fail_first_mark()`.execute(db);
    try {
      const [id] = await record('k:mark-failed');
      await enqueueDeliveries(runner.enqueue.bind(runner), [id!]);
      // The retry (20 ms later) finds the notification still claimed by the attempt that sent it.
      await until(() => platform.sent.length === 1);
      await new Promise((r) => setTimeout(r, 300));
      expect(await row(id!)).toMatchObject({ status: 'pending', attempts: 1 });
      // Once the claim has run out, the sweep's attempt is uncertain: it finds the message and marks it.
      await claimsRunOut();
      await runner.enqueue(sweepOutbox, {});
      await until(async () => (await row(id!)).status === 'sent');
      expect(platform.sent).toHaveLength(1);
      expect(await row(id!)).toMatchObject({ attempts: 2, platform_message_id: 'm1' });
    } finally {
      await sql`drop trigger fail_first_mark on notifications`.execute(db);
      await sql`drop function fail_first_mark`.execute(db);
      await sql`drop sequence mark_attempts`.execute(db);
    }
  });

  it('sends what a crashed process left behind when the outbox sweep runs', async () => {
    const [never, claimed] = [await record('k:never-enqueued'), await record('k:claimed-then-crashed')];
    // A worker claimed this one and died before sending; its claim has run out.
    await notifyQueries(db).claim(claimed[0]!);
    await claimsRunOut();
    await runner.enqueue(sweepOutbox, {});
    await until(async () => (await row(never[0]!)).status === 'sent' && (await row(claimed[0]!)).status === 'sent');
    expect(platform.sent).toHaveLength(2);
  });

  if (name === 'BullMQ') {
    it('queues the retry of a first attempt here that failed, for any worker to take', async () => {
      // A web role: it sends its first attempt itself and runs no worker; the runner under test is the worker.
      const prefix = (runner as unknown as { options: { prefix: string } }).options.prefix;
      const web = { outbox: notifyQueries(db), platform: recordingSender() };
      const deliveries = deliverNotificationsJob(web.outbox, { slack: web.platform.sender }, recipients(), wiring());
      const webRunner = await BullMQRunner.connect(
        new JobRegistry([{ ...deliveries, backoffMs: 20, attempts: 3 }, sweepOutboxJob(web.outbox, async () => {})]),
        logger,
        { redisUrl: REDIS_URL, prefix },
      );
      try {
        web.platform.failNext(1);
        const notification = await recordClaimed('k:web-first');
        web.outbox.hold(orgId, [notification]);
        await enqueueDeliveries(webRunner.enqueue.bind(webRunner), [notification.id], { firstAttemptHere: true });
        await until(async () => (await row(notification.id)).status === 'sent');
        expect(web.platform.sent).toHaveLength(0);
        expect(platform.sent).toHaveLength(1);
        expect(jobSizes).toEqual([1]);
        expect((await row(notification.id)).attempts).toBe(2);
      } finally {
        await webRunner.close();
      }
    });

    it('derives the recurring outbox sweep as a BullMQ job scheduler', async () => {
      const prefix = (runner as unknown as { options: { prefix: string } }).options.prefix;
      const queue = new Queue('hepo', { connection: { url: REDIS_URL }, prefix });
      const schedulers = await queue.getJobSchedulers();
      await queue.close();
      expect(schedulers.map((s) => [s.key, s.every])).toEqual([['sweep_outbox', 30_000]]);
    });
  }
});

describe('failed jobs on BullMQ', () => {
  it('keeps at most the bound of failed jobs in Redis, however many fail', async () => {
    const failing = { type: jobType('always_fails', z.object({ n: z.number() })), attempts: 1, backoffMs: 0, handle: () => Promise.reject(new Error('no')) };
    const prefix = `hepo-test-${randomUUID()}`;
    const outcomes: string[] = [];
    const keepFailed = { count: 3, ageSeconds: 3600 };
    const runner = await BullMQRunner.connect(new JobRegistry([failing]), logger, { redisUrl: REDIS_URL, prefix, keepFailed }, (_, outcome) =>
      outcomes.push(outcome),
    );
    const queue = new Queue('hepo', { connection: { url: REDIS_URL }, prefix });
    try {
      await runner.startWorking();
      for (let n = 0; n < 8; n++) await runner.enqueue(failing.type, { n });
      await until(async () => outcomes.length === 8);
      expect(outcomes).toEqual(Array(8).fill('failed'));
      // BullMQ trims the failed set as each job fails, so the newest three are what is left.
      expect(await queue.getFailedCount()).toBe(3);
      expect((await queue.getFailed()).map((j) => j.data.n).sort()).toEqual([5, 6, 7]);
    } finally {
      await queue.close();
      await runner.close();
    }
  });
});

describe('job registry', () => {
  const def = { type: sweepOutbox, attempts: 1, backoffMs: 0, handle: async () => {} };

  it('refuses a payload that does not match its job before the handler runs', async () => {
    let handled = 0;
    const registry = new JobRegistry([def, { type: deliverNotifications, attempts: 1, backoffMs: 0, handle: async () => void handled++ }]);
    await expect(registry.run('deliver_notifications', { notificationIds: ['not-a-uuid'] }, { attempt: 1, final: true })).rejects.toThrow(/notificationIds/);
    await expect(registry.run('no_such_job', {}, { attempt: 1, final: true })).rejects.toThrow('unknown job no_such_job');
    expect(handled).toBe(0);
  });

  it('refuses to start when a job has two definitions, and to enqueue a job with none', async () => {
    expect(() => new JobRegistry([def, def])).toThrowError('job sweep_outbox has two definitions');
    const runner = new InProcessRunner(new JobRegistry([def]), logger);
    await expect(runner.enqueue(deliverNotifications, { notificationIds: [randomUUID()] })).rejects.toThrow('unknown job deliver_notifications');
    await runner.close();
  });
});
