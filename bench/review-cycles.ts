/**
 * Review cycles at size: a cycle for an org of 10,000 people, made and extended through the product's
 * handlers, its phases opened and its nudges worked out by the real `review_cycles_tick` on a Postgres
 * database created for the run, deliveries enqueued on BullMQ (Redis, a prefix of its own). Nothing is
 * sent: the notifications recorded in the outbox are what is measured. Prints time, rows and memory per
 * step. Run fifth by `npm run bench`; see bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { sql } from 'kysely';
import { Pool } from 'pg';
import type { HandlerContext } from '../src/chat/feature';
import type { Interaction } from '../src/chat/interaction';
import type { FormValues } from '../src/chat/ui';
import { type Db, connectDatabase, migrateToLatest } from '../src/db/connect';
import { cyclesFeature } from '../src/features/reviews/cycles.handlers';
import { reviewCyclesTickJob } from '../src/features/reviews/cycles.jobs';
import { cyclesQueries } from '../src/features/reviews/cycles.queries';
import { CYCLE_FORM, EXTEND_FORM } from '../src/features/reviews/cycles.views';
import { BullMQRunner } from '../src/jobs/bullmq';
import { type Enqueue, JobRegistry } from '../src/jobs/registry';
import { createLogger } from '../src/logger';
import { deliverNotifications } from '../src/notify/deliver-notifications.job';
import { fakeClock } from '../test/support/fake-clock';
import { POSTGRES_URL, REDIS_URL, databaseUrl } from '../test/support/services';
import { BENCH_DATABASE_PREFIX } from './cpu';

const PEOPLE = Number(process.env.CYCLE_PEOPLE ?? 10_000);
/** People 1–1,000 manage: 1 leads 2–10, who lead the other managers, who lead everyone else. */
const MANAGERS = Math.min(1_000, PEOPLE / 10);
const HEADS = 10;
const ZONES = [
  'America/Los_Angeles',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
];

/**
 * The cycle as HR fills in the form on Wednesday 2026-03-04: self-assessment from Monday the 9th,
 * due Friday the 20th; manager review and sign-off two weeks each after it.
 */
const CREATED_AT = '2026-03-04T12:00:00Z';
const DATES = {
  self_assessment_opens: '2026-03-09',
  self_assessment_due: '2026-03-20',
  manager_review_opens: '2026-03-23',
  manager_review_due: '2026-04-03',
  sign_off_opens: '2026-04-06',
  sign_off_due: '2026-04-17',
};
/**
 * The ticks measured, each at 17:00 UTC: the working day has begun in every zone above (09:00 in Los
 * Angeles is 16:00 UTC) and not yet begun the next one in Sydney (UTC+11).
 */
const AT = {
  selfOpens: '2026-03-09T17:00:00Z',
  idle: '2026-03-11T17:00:00Z',
  threeDaysBefore: '2026-03-17T17:00:00Z',
  extended: '2026-03-17T17:05:00Z',
  afterExtension: '2026-03-17T17:15:00Z',
  reviewsOpen: '2026-03-23T17:00:00Z',
};
const EXTENDED_DUE = '2026-03-27';

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

interface Row {
  step: string;
  ms: number;
  rows: number | string;
  heap: string;
  rss: string;
}

/** Runs a step once: wall time, and heap and RSS before, at their highest (sampled every 5 ms, and at the end) and after. */
async function measured(step: string, run: () => Promise<number | string>): Promise<Row> {
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const sample = () => {
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  };
  const sampler = setInterval(sample, 5);
  const start = performance.now();
  try {
    const rows = await run();
    const ms = performance.now() - start;
    sample();
    const after = process.memoryUsage();
    const row = {
      step,
      ms,
      rows,
      heap: `${mb(before.heapUsed)} → ${mb(after.heapUsed)} (peak ${mb(peakHeap)})`,
      rss: `${mb(before.rss)} → ${mb(after.rss)} (peak ${mb(peakRss)})`,
    };
    console.log(`  ${step}: ${ms.toFixed(0)} ms`);
    return row;
  } finally {
    clearInterval(sampler);
  }
}

/** The org: people in departments under their managers, across the zones, each with a Slack identity; person 1 is an HR admin. */
async function seedOrg(db: Db): Promise<string> {
  const { id: orgId } = await db.insertInto('orgs').values({ name: 'Cycles Inc' }).returning('id').executeTakeFirstOrThrow();
  const zones = sql.join(ZONES.map((z) => sql.lit(z)));
  await sql`
    insert into people (org_id, display_name, timezone, department, role)
    select ${orgId}, 'Person ' || n, (array[${zones}])[1 + n % ${ZONES.length}],
           'Department ' || (1 + (case when n > ${MANAGERS} then (n - 1) % ${MANAGERS} + 1 else n end) % ${HEADS}),
           case when n = 1 then 'hr_admin' when n <= ${MANAGERS} then 'manager' else 'employee' end
    from generate_series(1, ${PEOPLE}) n`.execute(db);
  await sql`
    with numbered as (select id, substring(display_name from 8)::int as n from people where org_id = ${orgId})
    update people p set manager_id = m.id
    from numbered me, numbered m
    where p.id = me.id and m.n = case
      when me.n > ${MANAGERS} then (me.n - 1) % ${MANAGERS} + 1
      when me.n > ${HEADS} then (me.n - 1) % ${HEADS} + 1
      when me.n > 1 then 1 end`.execute(db);
  await sql`
    insert into identities (org_id, platform, platform_user_id, person_id)
    select ${orgId}, 'slack', 'U' || substring(display_name from 8), id from people where org_id = ${orgId}`.execute(db);
  await sql`analyze`.execute(db);
  return orgId;
}

/** HR's form submissions, as the Slack adapter hands them to the reviews feature. */
async function hrSubmits(db: Db, orgId: string, feature: ReturnType<typeof cyclesFeature>['feature'], formId: string, values: FormValues, state = {}) {
  const org = await db.selectFrom('orgs').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow();
  const actor = await db.selectFrom('people').selectAll().where('org_id', '=', orgId).where('role', '=', 'hr_admin').executeTakeFirstOrThrow();
  const refuse = () => {
    throw new Error('not needed by these forms');
  };
  const ctx: HandlerContext = {
    org,
    actor,
    resolvePeople: refuse,
    managersOf: async () => [],
    findByEmails: refuse,
    channelName: refuse,
    peopleShown: () => ({ platform: 'slack', people: {} }),
  };
  const interaction: Interaction = {
    kind: 'form_submit',
    formId,
    values,
    state,
    origin: { platform: 'slack', workspaceId: 'TCYCLES', conversationId: 'DHR', isDirect: true },
    actor: { platform: 'slack', id: 'U1' },
    idempotencyKey: `V${formId}`,
  };
  const effects = await feature.forms![formId]!(interaction, ctx);
  if (effects[0]?.type !== 'done') throw new Error(`${formId} was not done: ${JSON.stringify(effects)}`);
}

async function main(): Promise<void> {
  const name = `${BENCH_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  const prefix = `hepo-bench-cycles-${randomBytes(6).toString('hex')}`;
  const admin = new Pool({ connectionString: POSTGRES_URL });
  await admin.query(`create database ${name}`);
  const db = connectDatabase({ kind: 'postgres', url: databaseUrl(name) }, () => {});
  // Deliveries wait in Redis: no worker takes them, so the definition's handler never runs.
  const registry = new JobRegistry([
    {
      type: deliverNotifications,
      attempts: 5,
      backoffMs: 1_000,
      handle: async () => {},
    },
  ]);
  const runner = await BullMQRunner.connect(registry, createLogger('error'), { redisUrl: REDIS_URL, prefix });
  const time = fakeClock(CREATED_AT);
  const rows: Row[] = [];
  try {
    await migrateToLatest(db);
    const seedStart = performance.now();
    const orgId = await seedOrg(db);
    console.log(`Review cycles at size: ${PEOPLE.toLocaleString('en-US')} people, ${MANAGERS} managers, ${ZONES.length} timezones`);
    console.log(`  seeded in ${(performance.now() - seedStart).toFixed(0)} ms`);

    const queries = cyclesQueries(db);
    const { feature } = cyclesFeature({
      queries,
      clock: time.clock,
      sendRecorded: async () => {},
      feedbackRequestForm: () => {
        throw new Error('no 360° phase in this cycle');
      },
    });
    /** The tick's time enqueueing (first enqueue started → last one done; they run side by side). */
    const enqueueing = { from: 0, to: 0 };
    const enqueue: Enqueue = async (type, payload, options) => {
      if (enqueueing.from === 0) enqueueing.from = performance.now();
      await runner.enqueue(type, payload, options);
      enqueueing.to = performance.now();
    };
    const tick = reviewCyclesTickJob({ queries, enqueue, clock: time.clock });
    const outbox = async () =>
      Number(
        (
          await db
            .selectFrom('notifications')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    /** Runs the tick at `iso`: how many notifications it recorded. */
    const tickAt = async (iso: string) => {
      time.set(iso);
      const before = await outbox();
      Object.assign(enqueueing, { from: 0, to: 0 });
      await tick.handle({}, { attempt: 1, final: true });
      const recorded = (await outbox()) - before;
      return enqueueing.to > 0 ? `${recorded} (enqueued in ${(enqueueing.to - enqueueing.from).toFixed(0)} ms)` : recorded;
    };

    rows.push(
      await measured('(1) HR creates the cycle (form submit: checks, audience, cycle + participants)', async () => {
        await hrSubmits(db, orgId, feature, CYCLE_FORM, { name: 'Annual review', audience: 'everyone', repeat: 'none', ...DATES });
        const { n } = await db
          .selectFrom('review_participants')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow();
        return `${Number(n)} participants`;
      }),
    );
    rows.push(await measured('(2) tick: self-assessment opens for everyone', () => tickAt(AT.selfOpens)));
    rows.push(await measured('(3a) tick: a day with nothing due (reconcile only)', () => tickAt(AT.idle)));
    rows.push(await measured('(3b) tick: 3 days before the deadline, for everyone', () => tickAt(AT.threeDaysBefore)));
    rows.push(
      await measured(`(4a) HR moves the self-assessment deadline to ${EXTENDED_DUE} (form submit)`, async () => {
        time.set(AT.extended);
        const cycle = await db.selectFrom('review_cycles').select('id').where('org_id', '=', orgId).executeTakeFirstOrThrow();
        await hrSubmits(db, orgId, feature, EXTEND_FORM, { phase: 'self_assessment', due: EXTENDED_DUE }, { cycleId: cycle.id });
        return 'phase row';
      }),
    );
    rows.push(await measured('(4b) tick: recomputing everyone’s nudges from the new deadline', () => tickAt(AT.afterExtension)));
    rows.push(await measured('(5) tick: manager review opens (one DM per reviewer)', () => tickAt(AT.reviewsOpen)));

    const width = (key: keyof Row) => Math.max(key.length, ...rows.map((r) => String(key === 'ms' ? r.ms.toFixed(0) : r[key]).length));
    const w = { step: width('step'), ms: width('ms'), rows: width('rows'), heap: width('heap') };
    console.log('');
    console.log(`${'step'.padEnd(w.step)}  ${'ms'.padStart(w.ms)}  ${'recorded'.padStart(w.rows)}  ${'heap MB'.padEnd(w.heap)}  rss MB`);
    for (const r of rows) {
      console.log(`${r.step.padEnd(w.step)}  ${r.ms.toFixed(0).padStart(w.ms)}  ${String(r.rows).padStart(w.rows)}  ${r.heap.padEnd(w.heap)}  ${r.rss}`);
    }
    const waiting = await waitingJobs(prefix);
    console.log('');
    console.log(
      `recorded: notifications written to the outbox (not sent: no worker runs); ${waiting} delivery jobs waiting in BullMQ. Heap and RSS: before → after (highest seen).`,
    );
  } finally {
    await runner.close();
    await db.destroy();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    await deleteKeys(prefix);
  }
}

/** The jobs waiting in the runner's queue (`hepo`, see src/jobs/bullmq.ts). */
async function waitingJobs(prefix: string): Promise<number> {
  const queue = new Queue('hepo', { connection: { url: REDIS_URL }, prefix });
  const { wait = 0 } = await queue.getJobCounts('wait');
  await queue.close();
  return wait;
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new IORedis(REDIS_URL);
  const stream = redis.scanStream({ match: `${prefix}:*`, count: 1_000 });
  for await (const keys of stream) if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
  redis.disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
