/**
 * The machinery behind `npm run bench` (bench/run.ts) and bench/trace.ts: the Slack side (load
 * generator, bench/load.ts, and Web API stub, bench/slack-api.ts) in processes of its own, the three
 * targets, and one measured phase.
 * This process holds only the apps under test and the orchestration.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { App, LogLevel } from '@slack/bolt';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import { type AppOptions, type RunningApp, startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { databaseUrl, POSTGRES_URL, REDIS_URL } from '../test/support/services';
import { BENCH_DATABASE_PREFIX, type CpuShare, cpuShare, cpuSnapshot, waitForQuietMachine } from './cpu';
import { type FromSlackSide, GIVERS, type LoadReport, type PhaseRequest, type ToSlackSide, type Until } from './load';

const SLACK_SIGNING_SECRET = `bench-${randomBytes(8).toString('hex')}`;
const RUN = randomBytes(3).toString('hex');

export type TargetName = 'bare Bolt' | 'this bot' | 'this bot + BullMQ';

export interface Target {
  name: TargetName;
  url: string;
  expectsPosts: boolean;
  /** Processes of the target besides this one (a worker role), counted in its CPU. */
  childPids?: number[];
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
  /** CPU time per request (warm-up included), ms: this process (the apps under test); the Slack side; Postgres + Redis. */
  appCpuPerRequest?: number;
  slackSideCpuPerRequest?: number;
  servicesCpuPerRequest?: number;
}

export interface Phase {
  row: Row;
  report: LoadReport;
  /** When the channel post of this trigger id reached the stub (wall-clock ms). */
  postAt(triggerId: string): number | undefined;
}

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

export interface Harness {
  /** The Slack Web API stub's base URL, for the apps under test. */
  apiUrl: string;
  /** Runs one phase in the Slack side. */
  run(phase: Omit<PhaseRequest, 'id'>): Promise<LoadReport>;
  close(): Promise<void>;
}

/** Sends phases to the Slack side and matches its replies by id; all pending fail if it dies. */
function phaseRunner(child: ChildProcess): Harness['run'] {
  const pending = new Map<number, { resolve(report: LoadReport): void; reject(error: Error): void }>();
  let exited: Error | undefined;
  const settle = (id: number) => {
    const waiting = pending.get(id);
    pending.delete(id);
    return waiting;
  };
  child.on('message', (message: FromSlackSide) => {
    if ('done' in message) settle(message.done.id)?.resolve(message.done.report);
    else if ('failed' in message) settle(message.failed.id)?.reject(new Error(`Slack side: ${message.failed.message}`));
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`Slack side exited (${signal ?? code})`);
    for (const { reject } of pending.values()) reject(exited);
    pending.clear();
  });
  let nextId = 0;
  return (phase) =>
    new Promise<LoadReport>((resolve, reject) => {
      if (exited) return reject(exited);
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      child.send({ run: { id, ...phase } } satisfies ToSlackSide);
    });
}

/** Starts the Slack side (bench/load.ts) and waits until its stub listens. */
export async function startHarness(): Promise<Harness> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'load.ts')], {
    cwd: path.join(__dirname, '..'),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const apiUrl = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    void exit.then(() => reject(new Error('Slack side exited before it was ready')));
    child.once('message', (message: FromSlackSide) => {
      if ('ready' in message) resolve(message.ready.apiUrl);
      else reject(new Error(`Slack side: unexpected first message ${JSON.stringify(message)}`));
    });
  });
  return {
    apiUrl,
    run: phaseRunner(child),
    close: once(async () => {
      if (child.connected) child.send({ close: true } satisfies ToSlackSide);
      await exit;
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
    clientOptions: { slackApiUrl: h.apiUrl },
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

/**
 * The BullMQ target's Redis database: its web role (in this process) and its worker role (a child
 * process, which takes no queue prefix) share it. Emptied before and after; don't run two benches at once.
 */
const BULLMQ_REDIS_URL = `${REDIS_URL}/13`;

async function emptyRedis(url: string): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

/** `npm start` with ROLE=worker, as production runs it next to the web role; resolves once it listens. */
function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['scripts/start.js'], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, ...env, ROLE: 'worker', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      if (output.includes('listening on')) return; // started; the rest is drained unread
      output += chunk.toString();
      if (output.includes('listening on')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before listening:\n${output}`)));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export interface RunningBot {
  target: Target;
  app: RunningApp;
  database: string;
  /** Closes the app (waits for its jobs) and its worker process, then drops the database and empties the queue's Redis. */
  stop(): Promise<void>;
  /** Kills the worker process, drops the database (ending its connections) and empties the Redis without waiting for the app: for an interrupted run. */
  abort(): Promise<void>;
}

/**
 * The real app on a database created empty for this run (the app migrates it at start), Slack in
 * token mode pointed at the stub. Jobs in-process, or on BullMQ as production runs them: this process
 * is the web role and a child process the worker role (`worker: 'same process'` keeps both here, for
 * bench/trace.ts, which can only follow work in its own process).
 */
export async function startBot(
  h: Harness,
  { redis, worker = 'own process', options = {} }: { redis: boolean; worker?: 'own process' | 'same process'; options?: AppOptions },
): Promise<RunningBot> {
  const database = `${BENCH_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  await withAdmin((pool) => pool.query(`create database ${database}`));
  if (redis) await emptyRedis(BULLMQ_REDIS_URL);
  const env = {
    DATABASE_URL: databaseUrl(database),
    SLACK_SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: h.apiUrl,
    // The stub here has no limit, and every kudos posts to one channel: the pacer still runs (its cost is
    // measured) but never holds a post back.
    SLACK_POSTS_PER_SECOND: '1000000',
    SLACK_CHANNEL_POSTS_PER_SECOND: '1000000',
    ...(redis ? { REDIS_URL: BULLMQ_REDIS_URL } : {}),
  };
  const ownWorker = redis && worker === 'own process';
  let app: RunningApp | undefined;
  let workerProcess: ChildProcess | undefined;
  const dropStorage = once(async () => {
    if (redis) await emptyRedis(BULLMQ_REDIS_URL);
    await withAdmin((pool) => pool.query(`drop database if exists ${database} with (force)`));
  });
  const stop = once(async () => {
    await app?.close();
    if (workerProcess) await stopProcess(workerProcess);
    await dropStorage();
  });
  try {
    // Migrates the new database before the worker starts on it.
    app = await startApp(loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...(ownWorker ? { ROLE: 'web' } : {}) }), options);
    if (ownWorker) workerProcess = await startWorkerProcess(env);
    // The first kudos creates the org (default allowance 100); then lift the allowance so nothing is refused.
    const tag = `t-${RUN}-prime${redis ? 'q' : 'p'}`;
    const priming = await h.run(kudosLoad(app.url, { concurrency: 1, count: 1, warmup: 0, tag, until: 'post' }));
    const [sample] = priming.samples;
    if (sample?.status !== 200) throw new Error(`priming request answered ${sample?.status} ${sample?.error ?? ''}`);
    if (priming.posts[sample.triggerId] === undefined) throw new Error('priming kudos was not posted');
    const updated = await app.db.updateTable('orgs').set({ kudos_monthly_allowance: 100_000_000 }).executeTakeFirst();
    if (updated.numUpdatedRows !== 1n) throw new Error('expected exactly one org after the priming request');
    return {
      target: {
        name: redis ? 'this bot + BullMQ' : 'this bot',
        url: app.url,
        expectsPosts: true,
        ...(workerProcess?.pid ? { childPids: [workerProcess.pid] } : {}),
      },
      app,
      database,
      stop,
      abort: async () => {
        workerProcess?.kill('SIGKILL');
        await dropStorage();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A phase of signed /kudos commands to the target at `url`, the giver rotating over every giver the stub knows. */
function kudosLoad(url: string, o: { concurrency: number; count: number; warmup: number; tag: string; rate?: number; until: Until }): Omit<PhaseRequest, 'id'> {
  return { ...o, url: `${url}/slack/events`, secret: SLACK_SIGNING_SECRET, givers: GIVERS };
}

let phaseNumber = 0;

/** One phase: warm-up + measured requests from the Slack side, which waits (for the bot) for every channel post. */
export async function measure(h: Harness, target: Target, concurrency: number, opts: { count: number; warmup: number; rate?: number }): Promise<Phase> {
  const tag = `t-${RUN}-${++phaseNumber}`;
  process.stderr.write(`  ${target.name.padEnd(18)} ${opts.rate ? `paced ${opts.rate}/s, ` : ''}concurrency ${String(concurrency).padStart(3)}: `);
  const quiet = await waitForQuietMachine(30, 2_000);
  if (quiet.waitedMs > 0) {
    process.stderr.write(`(machine busy: other processes used ${quiet.otherPct?.toFixed(0)}% of a core; waited ${(quiet.waitedMs / 1000).toFixed(1)} s) `);
  }
  const cpuFrom = cpuSnapshot(target.childPids);
  // A person gives their next kudos once they have seen the last one in the channel; bare Bolt posts nothing.
  const until: Until = target.expectsPosts ? 'post' : 'ack';
  const report = await h.run(kudosLoad(target.url, { concurrency, count: opts.count, warmup: opts.warmup, tag, rate: opts.rate, until }));
  const cpu = cpuShare(cpuFrom, cpuSnapshot(target.childPids), report.cpuMs);
  // With no database behind bare Bolt, Postgres and Redis work during its phases is someone else's.
  if (cpu && !target.expectsPosts) Object.assign(cpu, { other: cpu.other + cpu.services, services: 0, servicesMs: 0 });

  const { samples } = report;
  const postAt = (triggerId: string): number | undefined => report.posts[triggerId];
  let drainMs: number | undefined;
  let postThroughput: number | undefined;
  if (target.expectsPosts) {
    const posted = samples.map((s) => postAt(s.triggerId)).filter((t): t is number => t !== undefined);
    const lastPost = Math.max(0, ...posted);
    drainMs = lastPost - report.measuredTo;
    postThroughput = posted.length / ((lastPost - report.measuredFrom) / 1000);
  }
  const ok = samples.filter((s) => s.status === 200);
  const acks = ok.map((s) => s.ackMs).sort((a, b) => a - b);
  const postLatencies = ok
    .map((s) => {
      const at = postAt(s.triggerId);
      return at === undefined ? undefined : at - s.sentAt;
    })
    .filter((v): v is number => v !== undefined)
    .sort((a, b) => a - b);
  const kudos = samples.length + report.warmupTriggerIds.length;
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
    appCpuPerRequest: cpu ? cpu.selfMs / kudos : undefined,
    slackSideCpuPerRequest: cpu ? cpu.slackSideMs / kudos : undefined,
    servicesCpuPerRequest: cpu && target.expectsPosts ? cpu.servicesMs / kudos : undefined,
  };
  printPhase(row, report);
  return { row, report, postAt };
}

/** The phase's progress line, on stderr (stdout carries the table). */
function printPhase(row: Row, report: LoadReport): void {
  const { cpu } = row;
  const firstError = report.samples.find((s) => s.status !== 200 || s.error);
  const missingDms = Object.keys(report.posts).length - report.dms;
  process.stderr.write(
    `${row.throughput.toFixed(0)} req/s, ack p99 ${row.ackP99.toFixed(1)} ms` +
      (row.postP99 !== undefined ? `, post p99 ${row.postP99.toFixed(1)} ms` : '') +
      (cpu
        ? `; CPU % of a core: bench ${cpu.bench.toFixed(0)}, Slack side ${cpu.slackSide.toFixed(0)}, pg+redis ${cpu.services.toFixed(0)}, other ${cpu.other.toFixed(0)}`
        : '') +
      (row.appCpuPerRequest !== undefined ? `; CPU ms/request: app ${row.appCpuPerRequest.toFixed(2)}` : '') +
      (row.slackSideCpuPerRequest !== undefined ? `, Slack side ${row.slackSideCpuPerRequest.toFixed(2)}` : '') +
      (row.servicesCpuPerRequest !== undefined ? `, pg+redis ${row.servicesCpuPerRequest.toFixed(2)}` : '') +
      (missingDms > 0 ? ` (${missingDms} kudos DMs missing)` : '') +
      (firstError ? ` (first error: ${firstError.status} ${firstError.error ?? ''})` : '') +
      '\n',
  );
}
