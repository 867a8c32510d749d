/**
 * The machinery behind `npm run bench` (bench/run.ts) and bench/trace.ts: a Slack Web API stub with
 * sub-ms stamps, the three targets, and one measured phase driven by a load process (bench/load.ts).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { App, LogLevel } from '@slack/bolt';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import { type AppOptions, type RunningApp, startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { databaseUrl, POSTGRES_URL, REDIS_URL } from '../test/support/services';
import { postSigned, slashCommand } from '../test/support/slack-requests';
import { type SlackStub, type SlackUser, startSlackStub } from '../test/support/slack-stub';
import { BENCH_DATABASE_PREFIX, type CpuShare, cpuShare, cpuSnapshot, waitForQuietMachine } from './cpu';
import { CHANNEL, giverId, type LoadReport, MESSAGE_PREFIX, RECIPIENT, type Until } from './load';

export const GIVERS = 50;
/** How long after its load ends a phase waits for the last channel posts; later ones count as missing. */
export const POST_DEADLINE_MS = 120_000;
const SLACK_SIGNING_SECRET = `bench-${randomBytes(8).toString('hex')}`;
const RUN = randomBytes(3).toString('hex');

export type TargetName = 'bare Bolt' | 'this bot' | 'this bot + BullMQ';

export interface Target {
  name: TargetName;
  url: string;
  expectsPosts: boolean;
}

export interface Row {
  target: TargetName;
  concurrency: number;
  /** Open-loop arrival rate, when the phase was paced. */
  rate?: number;
  requests: number;
  non200: number;
  missingPosts: number;
  ackP50: number;
  ackP99: number;
  postP50?: number;
  postP99?: number;
  /** Measured operations per second, first send → last response; for the bot an operation lasts until its post: kudos/s. */
  throughput: number;
  /** Time from the last measured response until the last channel post of the phase reached the stub. */
  drainMs?: number;
  /** Channel posts per second from the first measured send to the last measured post: what the bot sustains. */
  postThroughput?: number;
  cpu?: CpuShare;
  /** CPU time per request (warm-up included), ms: the process running the target (and the stub); Postgres + Redis. */
  appCpuPerRequest?: number;
  servicesCpuPerRequest?: number;
}

export interface Phase {
  row: Row;
  report: LoadReport;
  /** When the channel post of this trigger id reached the stub (wall-clock ms). */
  postAt(triggerId: string): number | undefined;
}

export const hiresNow = () => performance.timeOrigin + performance.now();

/** The first call runs `fn`; later calls get the same promise (stop and close may race with a signal). */
function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

/**
 * The stub stamps calls with `Date.now()` (whole ms). A `waitFor` predicate runs synchronously right
 * after each call is recorded, so it can stamp each call again with the sub-ms clock load.ts uses
 * (into `at`, same index as `stub.calls`) and hand it on to `onRecorded` at once.
 */
function stampCalls(stub: SlackStub, at: number[], onRecorded: () => void) {
  let stopping = false;
  const watching = stub
    .waitFor((calls) => {
      const t = hiresNow();
      while (at.length < calls.length) at.push(t);
      onRecorded();
      return stopping;
    }, 24 * 3_600_000)
    .catch(() => {});
  return {
    async stop() {
      stopping = true;
      await fetch(`${stub.apiUrl}api.test`, { method: 'POST' });
      await watching;
    },
  };
}

/** Reads the channel posts the stub received, keyed by the trigger id embedded in the kudos message. */
class PostIndex {
  private cursor = 0;
  private readonly triggerRe = new RegExp(`${MESSAGE_PREFIX} (t-[A-Za-z0-9-]+)`);
  readonly posts = new Map<string, number>();
  dms = 0;
  /** Told of each channel post as soon as it is recorded (a load process waiting for posts). */
  onPost: ((triggerId: string) => void) | undefined;

  constructor(
    private readonly stub: SlackStub,
    private readonly at: number[],
  ) {}

  /** Runs after every recorded call (see stampCalls), so `posts` is always current. */
  scan(): void {
    const { calls } = this.stub;
    for (; this.cursor < calls.length; this.cursor++) {
      const call = calls[this.cursor]!;
      if (call.method !== 'chat.postMessage') continue;
      if (call.body.channel === RECIPIENT) this.dms++;
      if (call.body.channel !== CHANNEL) continue;
      const match = this.triggerRe.exec(JSON.stringify(call.body.blocks));
      if (!match) continue;
      this.posts.set(match[1]!, this.at[this.cursor] ?? call.at);
      this.onPost?.(match[1]!);
    }
  }

  /** Forgets what the stub recorded so far (it keeps every call, bodies included). */
  reset(): void {
    this.stub.reset();
    this.at.length = 0;
    this.cursor = 0;
    this.posts.clear();
    this.dms = 0;
  }

  /** Waits until every trigger id has its channel post and as many DMs arrived, or the deadline passes. */
  async waitFor(triggerIds: string[], deadlineMs: number): Promise<void> {
    const started = hiresNow();
    for (;;) {
      const done = triggerIds.every((id) => this.posts.has(id)) && this.dms >= this.posts.size;
      if (done || hiresNow() - started > deadlineMs) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export interface Harness {
  stub: SlackStub;
  /** Sub-ms arrival time of each call in `stub.calls`, same index. */
  at: number[];
  index: PostIndex;
  close(): Promise<void>;
}

const roster: SlackUser[] = [
  { id: RECIPIENT, name: 'Ana Lopez', email: 'ana@acme.test' },
  ...Array.from({ length: GIVERS }, (_, i) => ({ id: giverId(i), name: `Giver ${i}`, email: `giver${i}@acme.test` })),
];

export async function startHarness(): Promise<Harness> {
  const stub = await startSlackStub({ users: roster });
  const at: number[] = [];
  const index = new PostIndex(stub, at);
  const stamps = stampCalls(stub, at, () => index.scan());
  return {
    stub,
    at,
    index,
    close: once(async () => {
      await stamps.stop();
      await stub.close();
    }),
  };
}

/** A minimal Bolt app on its HTTP receiver whose `/kudos` listener only acknowledges. */
export async function startBareBolt(h: Harness): Promise<{ target: Target; stop(): Promise<void> }> {
  const app = new App({
    signingSecret: SLACK_SIGNING_SECRET,
    token: 'xoxb-bench',
    botId: 'BHEPOBOT',
    botUserId: 'UHEPOBOT',
    clientOptions: { slackApiUrl: h.stub.apiUrl },
    logLevel: LogLevel.ERROR,
  });
  app.command('/kudos', async ({ ack }) => {
    await ack();
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('bare Bolt has no port');
  return {
    target: { name: 'bare Bolt', url: `http://127.0.0.1:${address.port}`, expectsPosts: false },
    stop: once(async () => {
      await app.stop();
    }),
  };
}

async function withAdmin<T>(fn: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: POSTGRES_URL, max: 1 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface RunningBot {
  target: Target;
  app: RunningApp;
  database: string;
  queuePrefix?: string;
  /** Closes the app (waits for its jobs), then drops the database and the queue's Redis keys. */
  stop(): Promise<void>;
  /** Drops the database (ending its connections) and the Redis keys without waiting for the app: for an interrupted run. */
  abort(): Promise<void>;
}

/**
 * The real app on a database created empty for this run (the app migrates it at start), Slack in
 * token mode pointed at the stub, jobs in-process or on BullMQ with a fresh prefix.
 */
export async function startBot(h: Harness, { redis, options = {} }: { redis: boolean; options?: AppOptions }): Promise<RunningBot> {
  const database = `${BENCH_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  await withAdmin((pool) => pool.query(`create database ${database}`));
  const queuePrefix = redis ? `hepo-bench-${RUN}-${randomBytes(4).toString('hex')}` : undefined;
  let app: RunningApp | undefined;
  const dropStorage = once(async () => {
    if (queuePrefix) await deleteRedisPrefix(queuePrefix);
    await withAdmin((pool) => pool.query(`drop database if exists ${database} with (force)`));
  });
  const stop = once(async () => {
    await app?.close();
    await dropStorage();
  });
  try {
    app = await startApp(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        DATABASE_URL: databaseUrl(database),
        SLACK_SIGNING_SECRET,
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_API_URL: h.stub.apiUrl,
        ...(redis ? { REDIS_URL } : {}),
      }),
      { ...(queuePrefix ? { queuePrefix } : {}), ...options },
    );
    // The first kudos creates the org (default allowance 100); then lift the allowance so nothing is refused.
    const triggerId = `t-${RUN}-prime${redis ? 'q' : 'p'}`;
    const res = await postSigned(
      app.url,
      slashCommand({
        text: `<@${RECIPIENT}> 1 #teamwork ${MESSAGE_PREFIX} ${triggerId}`,
        userId: giverId(0),
        channelId: CHANNEL,
        triggerId,
        responseUrl: h.stub.responseUrl(triggerId),
      }),
      { secret: SLACK_SIGNING_SECRET },
    );
    if (res.status !== 200) throw new Error(`priming request answered ${res.status}`);
    await h.index.waitFor([triggerId], 10_000);
    if (!h.index.posts.has(triggerId)) throw new Error('priming kudos was not posted');
    const updated = await app.db.updateTable('orgs').set({ kudos_monthly_allowance: 100_000_000 }).executeTakeFirst();
    if (updated.numUpdatedRows !== 1n) throw new Error('expected exactly one org after the priming request');
    return {
      target: { name: redis ? 'this bot + BullMQ' : 'this bot', url: app.url, expectsPosts: true },
      app,
      database,
      queuePrefix,
      stop,
      abort: dropStorage,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs load.ts; while it runs, the channel posts `index` records are forwarded to it over IPC. */
function runLoadProcess(args: Record<string, string | number | undefined>, index: PostIndex): Promise<LoadReport> {
  const script = path.join(__dirname, 'load.ts');
  const argv = Object.entries(args).flatMap(([k, v]) => (v === undefined ? [] : [`--${k}`, String(v)]));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...argv], {
      cwd: path.join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    index.onPost = (triggerId) => {
      if (child.connected) child.send({ posted: triggerId });
    };
    const out: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      index.onPost = undefined;
      if (code !== 0) return reject(new Error(`load process exited with ${code}`));
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as LoadReport);
      } catch (error) {
        reject(error);
      }
    });
  });
}

let phaseNumber = 0;

/** One phase: warm-up + measured requests from a load process, then (for the bot) every channel post. */
export async function measure(
  h: Harness,
  target: Target,
  concurrency: number,
  opts: { count: number; warmup: number; rate?: number },
): Promise<Phase> {
  const tag = `t-${RUN}-${++phaseNumber}`;
  process.stderr.write(`  ${target.name.padEnd(18)} ${opts.rate ? `paced ${opts.rate}/s, ` : ''}concurrency ${String(concurrency).padStart(3)}: `);
  const quiet = await waitForQuietMachine(30, 2_000);
  if (quiet.waitedMs > 0) {
    process.stderr.write(`(machine busy: other processes used ${quiet.otherPct?.toFixed(0)}% of a core; waited ${(quiet.waitedMs / 1000).toFixed(1)} s) `);
  }
  // Everything of earlier phases has arrived (each waits for its posts): forget it, the stub keeps every call.
  h.index.reset();
  const cpuFrom = cpuSnapshot();
  // A person gives their next kudos once they have seen the last one in the channel; bare Bolt posts nothing.
  const until: Until = target.expectsPosts ? 'post' : 'ack';
  const report = await runLoadProcess(
    {
      url: `${target.url}/slack/events`,
      secret: SLACK_SIGNING_SECRET,
      concurrency,
      count: opts.count,
      warmup: opts.warmup,
      givers: GIVERS,
      tag,
      'response-url': h.stub.responseUrl(''),
      rate: opts.rate,
      until,
    },
    h.index,
  );
  const { samples } = report;
  let drainMs: number | undefined;
  let postThroughput: number | undefined;
  if (target.expectsPosts) {
    await h.index.waitFor([...report.warmupTriggerIds, ...samples.map((s) => s.triggerId)], POST_DEADLINE_MS);
    const posted = samples.map((s) => h.index.posts.get(s.triggerId)).filter((t): t is number => t !== undefined);
    const lastPost = Math.max(0, ...posted);
    drainMs = lastPost - report.measuredTo;
    postThroughput = posted.length / ((lastPost - report.measuredFrom) / 1000);
  }
  const cpu = cpuShare(cpuFrom, cpuSnapshot(), report.cpuMs);
  // With no database behind bare Bolt, Postgres and Redis work during its phases is someone else's.
  if (cpu && !target.expectsPosts) Object.assign(cpu, { other: cpu.other + cpu.services, services: 0, servicesMs: 0 });

  const ok = samples.filter((s) => s.status === 200);
  const acks = ok.map((s) => s.ackMs).sort((a, b) => a - b);
  const postLatencies = ok
    .map((s) => {
      const at = h.index.posts.get(s.triggerId);
      return at === undefined ? undefined : at - s.sentAt;
    })
    .filter((v): v is number => v !== undefined)
    .sort((a, b) => a - b);
  const row: Row = {
    target: target.name,
    concurrency,
    rate: opts.rate,
    requests: samples.length,
    non200: samples.length - ok.length,
    missingPosts: target.expectsPosts ? ok.length - postLatencies.length : 0,
    ackP50: percentile(acks, 50),
    ackP99: percentile(acks, 99),
    postP50: target.expectsPosts ? percentile(postLatencies, 50) : undefined,
    postP99: target.expectsPosts ? percentile(postLatencies, 99) : undefined,
    throughput: samples.length / ((report.measuredTo - report.measuredFrom) / 1000),
    drainMs,
    postThroughput,
    cpu,
    appCpuPerRequest: cpu ? cpu.selfMs / (samples.length + report.warmupTriggerIds.length) : undefined,
    servicesCpuPerRequest: cpu && target.expectsPosts ? cpu.servicesMs / (samples.length + report.warmupTriggerIds.length) : undefined,
  };
  const firstError = samples.find((s) => s.status !== 200 || s.error);
  process.stderr.write(
    `${row.throughput.toFixed(0)} req/s, ack p99 ${row.ackP99.toFixed(1)} ms` +
      (row.postP99 !== undefined ? `, post p99 ${row.postP99.toFixed(1)} ms` : '') +
      (cpu ? `; CPU % of a core: bench ${cpu.bench.toFixed(0)}, pg+redis ${cpu.services.toFixed(0)}, other ${cpu.other.toFixed(0)}` : '') +
      (row.appCpuPerRequest !== undefined ? `; CPU ms/request: app ${row.appCpuPerRequest.toFixed(2)}` : '') +
      (row.servicesCpuPerRequest !== undefined ? `, pg+redis ${row.servicesCpuPerRequest.toFixed(2)}` : '') +
      (firstError ? ` (first error: ${firstError.status} ${firstError.error ?? ''})` : '') +
      '\n',
  );
  const posts = new Map(h.index.posts);
  return { row, report, postAt: (id) => posts.get(id) };
}
