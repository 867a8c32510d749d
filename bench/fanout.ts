/**
 * Check-in fan-out: one period to 10,000 people across 40 timezones, delivered by a real worker
 * process (ROLE=worker, BullMQ on Redis) to a Slack stub that enforces a Slack-like limit.
 * Prints scheduling time, sends per second at the limit, worker RSS, duplicates and lost — then the
 * same with the worker killed (SIGKILL) and restarted mid-run. Run: `npx tsx bench/fanout.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import dayjs from 'dayjs';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import { type RunningApp, startApp } from '../src/app';
import type { Clock } from '../src/chat/ports';
import { loadConfig } from '../src/config';
import { checkinTickJob } from '../src/features/checkins/checkins.jobs';
import { checkinsQueries } from '../src/features/checkins/checkins.queries';
import { DEFAULT_QUESTIONS, parseQuestions } from '../src/features/checkins/questions.rules';
import { startSlackStub } from '../test/support/slack-stub';
import { BENCH_DATABASE_PREFIX, cpuShare, cpuSnapshot, processMs } from './cpu';

const PEOPLE = Number(process.env.FANOUT_PEOPLE ?? 10_000);
const TEAM_SIZE = 100;
const LIMIT_PER_SECOND = Number(process.env.FANOUT_LIMIT ?? 100);
const PACE_PER_SECOND = Number(process.env.FANOUT_PACE ?? LIMIT_PER_SECOND);
const POSTGRES = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// The worker under test uses the default queue prefix, so it gets a Redis database of its own.
const REDIS = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/12`;
const ZONES = Intl.supportedValuesOf('timeZone')
  .filter((_, i, all) => i % Math.floor(all.length / 40) === 0)
  .slice(0, 40);

interface Result {
  scenario: string;
  schedulingMs: number;
  sendsPerSecond: number;
  peakRssMb: number;
  duplicates: number;
  lost: number;
  rateLimited: number;
  /** Accepted posts (with `rateLimited`, every post the stub answered). */
  accepted: number;
  seconds: number;
  /** % of one core used meanwhile by processes other than the bench, its worker, Postgres and Redis. */
  cpuOther?: number;
}

function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

function startWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['scripts/start.js'], {
    env: { ...process.env, ...env, ROLE: 'worker', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function seed(app: RunningApp, clock: Clock): Promise<void> {
  const db = app.db;
  const { id: orgId } = await db.insertInto('orgs').values({ name: 'Fan-out Inc' }).returning('id').executeTakeFirstOrThrow();
  const queries = checkinsQueries(db, clock);
  const questions = parseQuestions(DEFAULT_QUESTIONS);
  for (let t = 0; t < PEOPLE / TEAM_SIZE; t++) {
    const people = Array.from({ length: TEAM_SIZE + 1 }, (_, i) => ({
      org_id: orgId,
      display_name: `Person ${t}-${i}`,
      timezone: ZONES[(t * TEAM_SIZE + i) % ZONES.length]!,
    }));
    const rows = await db.insertInto('people').values(people).returning('id').execute();
    await db
      .insertInto('identities')
      .values(rows.map((r, i) => ({ org_id: orgId, platform: 'slack' as const, platform_user_id: `U${t}X${i}`, person_id: r.id })))
      .execute();
    const [manager, ...members] = rows.map((r) => r.id);
    await queries.saveTeam(
      {
        orgId,
        managerId: manager!,
        every: 'week',
        weekday: 5,
        localTime: '15:00',
        anchorDate: '2026-01-02',
        reminderHours: 24,
        platform: 'slack',
        workspaceId: 'T1',
        memberIds: members,
        questions,
      },
      () => ({
        dedupeKey: `welcome-${randomUUID()}`,
        platform: 'slack',
        target: { kind: 'conversation', workspaceId: 'T1', conversationId: 'CIGNORED' },
        message: { summary: '', blocks: [] },
      }),
    );
  }
  // The welcome notes are not part of the measurement.
  await db.updateTable('notifications').set({ status: 'sent' }).execute();
}

async function scenario(name: string, killMidway: boolean): Promise<Result> {
  // Named as the bench's databases are, so their Postgres backends count as the bench's in "cpu other".
  const dbName = `${BENCH_DATABASE_PREFIX}fanout_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new Pool({ connectionString: POSTGRES, max: 1 });
  await admin.query(`create database ${dbName}`);
  const url = new URL(POSTGRES);
  url.pathname = `/${dbName}`;
  const redis = new IORedis(REDIS);
  await redis.flushdb();
  const stub = await startSlackStub({ postMessagePerSecond: LIMIT_PER_SECOND });

  // A Friday far enough ahead that the worker's own (real-clock) scheduler never reaches it.
  let friday = dayjs.utc().add(14, 'day').startOf('day');
  while (friday.day() !== 5) friday = friday.add(1, 'day');
  const saturdayNoon = friday.add(1, 'day').hour(12).toDate(); // 15:00 Friday has passed in every zone
  const env = {
    DATABASE_URL: url.toString(),
    REDIS_URL: REDIS,
    SLACK_SIGNING_SECRET: 'bench',
    SLACK_BOT_TOKEN: 'xoxb-fanout',
    SLACK_API_URL: stub.apiUrl,
    // The workspace's limit, as an operator would set it: the worker paces itself to the stub's.
    SLACK_POSTS_PER_SECOND: String(PACE_PER_SECOND),
  };
  const clock: Clock = { now: () => saturdayNoon };
  const app = await startApp(loadConfig({ ...env, ROLE: 'web', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }), { clock });
  const workers: ChildProcess[] = [];
  try {
    await seed(app, { now: () => friday.subtract(7, 'day').toDate() }); // teams set up the week before
    const tick = checkinTickJob({ queries: checkinsQueries(app.db, clock), enqueue: app.jobs.enqueue.bind(app.jobs), clock });
    const scheduled = performance.now();
    await tick.handle({}, { attempt: 1, final: true });
    const schedulingMs = performance.now() - scheduled;

    const started = Date.now();
    const cpuFrom = cpuSnapshot();
    workers.push(startWorker(env));
    let peakRssMb = 0;
    /** CPU ms each worker has used, as last seen (a killed one's stays at its last sample). */
    const workerMs = new Map<number, number>();
    const sampler = setInterval(() => {
      for (const w of workers) {
        if (w.exitCode !== null || !w.pid) continue;
        peakRssMb = Math.max(peakRssMb, rssMb(w.pid));
        try {
          workerMs.set(w.pid, processMs(w.pid));
        } catch {
          // exited meanwhile
        }
      }
    }, 250);
    const prompts = () => stub.callsTo('chat.postMessage').length;
    if (killMidway) {
      while (prompts() < PEOPLE * 0.3) await new Promise((r) => setTimeout(r, 100));
      workers[0]!.kill('SIGKILL');
      workers.push(startWorker(env));
    }
    const deadline = Date.now() + 15 * 60_000;
    for (;;) {
      const { n } = await app.db
        .selectFrom('notifications')
        .select(app.db.fn.countAll<string>().as('n'))
        .where('status', '!=', 'sent')
        .executeTakeFirstOrThrow();
      if (Number(n) === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    clearInterval(sampler);
    const share = cpuShare(cpuFrom, cpuSnapshot());
    const workersPct = (100 * [...workerMs.values()].reduce((a, b) => a + b, 0)) / (Date.now() - started);
    const calls = stub.callsTo('chat.postMessage');
    const perUser = new Map<string, number>();
    for (const c of calls) perUser.set(String(c.body.channel), (perUser.get(String(c.body.channel)) ?? 0) + 1);
    const first = calls[0]?.at ?? started;
    const last = calls.at(-1)?.at ?? started;
    return {
      scenario: name,
      schedulingMs,
      sendsPerSecond: calls.length / Math.max((last - first) / 1000, 0.001),
      peakRssMb,
      duplicates: [...perUser.values()].reduce((sum, n) => sum + (n - 1), 0),
      lost: PEOPLE - perUser.size,
      rateLimited: stub.refusedCalls(),
      accepted: calls.length,
      seconds: (Date.now() - started) / 1000,
      ...(share ? { cpuOther: Math.max(0, share.other - workersPct) } : {}),
    };
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    await app.close();
    await stub.close();
    await redis.flushdb();
    redis.disconnect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

export async function runFanout(): Promise<void> {
  console.log(
    `\nCheck-in fan-out: ${PEOPLE} people in ${PEOPLE / TEAM_SIZE} teams across ${ZONES.length} timezones; Slack stub limit ${LIMIT_PER_SECOND} chat.postMessage/s (429 Retry-After: 1 above it); one BullMQ worker process, paced to ${PACE_PER_SECOND}/s`,
  );
  const results = [await scenario('one worker', false), await scenario('worker killed at 30% and restarted', true)];
  const header = ['scenario', 'scheduling', 'sends/s', 'of limit', 'worker RSS peak', 'duplicates', 'lost', '429s', 'total', 'cpu other'];
  const rows = results.map((r) => [
    r.scenario,
    `${(r.schedulingMs / 1000).toFixed(2)} s`,
    r.sendsPerSecond.toFixed(1),
    `${((100 * r.sendsPerSecond) / LIMIT_PER_SECOND).toFixed(1)} %`,
    `${r.peakRssMb.toFixed(0)} MB`,
    String(r.duplicates),
    String(r.lost),
    `${r.rateLimited} (${((100 * r.rateLimited) / (r.rateLimited + r.accepted)).toFixed(2)} %)`,
    `${r.seconds.toFixed(0)} s`,
    r.cpuOther === undefined ? 'n/a' : `${r.cpuOther.toFixed(0)} %`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const line of [header, widths.map((w) => '-'.repeat(w)), ...rows])
    console.log(line.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  console.log('(scheduling = one scheduler tick recording every prompt and its notification and enqueueing it;');
  console.log(' sends/s = accepted chat.postMessage per second from the first to the last; 429s: refused posts, and their share of all posts;');
  console.log(' duplicates and lost must be 0; cpu other = % of a core used meanwhile by anything but the bench, its worker, Postgres and Redis)');
}

if (require.main === module) {
  runFanout().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
