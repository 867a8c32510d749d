/**
 * Where a kudos spends its time, for when `npm run bench` misses a target. Not part of the bench.
 *
 *   npx tsx bench/trace.ts [--bullmq] [--concurrency 20] [--count 1000] [--warmup 200] [--rate R]
 *
 * Runs the bot like bench/run.ts does, but first wraps (in this process only, nothing in src/ changes)
 * the HTTP server's request event, Router.dispatch, the pg pool and client, the job runners' enqueue
 * and JobRegistry.run, listens to undici's diagnostics channels for the calls to Slack, and follows
 * each kudos with AsyncLocalStorage from the request to its channel post. Prints each segment's
 * p50/p99 and what the event loop did.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Router } from '../src/chat/router';
import { BullMQRunner } from '../src/jobs/bullmq';
import { InProcessRunner } from '../src/jobs/in-process';
import { JobRegistry } from '../src/jobs/registry';
import { cpuShare, cpuSnapshot } from './cpu';
import { measure, percentile, startBot, startHarness } from './harness';
import { CHANNEL, hiresNow as now } from './load';

interface Work {
  poolConnects: number;
  poolWaitMs: number;
  queries: number;
  queryMs: number;
  web: Map<string, { n: number; ms: number }>;
}

interface RequestSpan extends Work {
  kind: 'request';
  arrivedAt: number;
  ackAt?: number;
  triggerId?: string;
  dispatchStart?: number;
  dispatchEnd?: number;
  txBegin?: number;
  txCommit?: number;
  enqueueMs: number;
  jobs: JobSpan[];
}

interface JobSpan extends Work {
  kind: 'job';
  name: string;
  enqueuedAt: number;
  start: number;
  end?: number;
  channelPostStart?: number;
  channelPostEnd?: number;
}

type Span = RequestSpan | JobSpan;

const work = (): Work => ({ poolConnects: 0, poolWaitMs: 0, queries: 0, queryMs: 0, web: new Map() });
const als = new AsyncLocalStorage<Span>();
const spans: RequestSpan[] = [];
/** Garbage collection pauses of this process, on the wall clock `now()` reads. */
const gcPauses: Array<{ from: number; to: number }> = [];
/** When each job's queries were called (a sent mark, a claim). */
const jobQueryTimes: number[] = [];
/** The request that enqueued each delivery job, by the job's first notification id. */
const byFirstNotification = new Map<string, { span: RequestSpan; enqueuedAt: number }>();
let appPort = -1;

function wrapAsync<T extends object, K extends keyof T>(proto: T, key: K, around: (self: T, args: unknown[], run: () => Promise<unknown>) => Promise<unknown>) {
  const original = proto[key] as unknown as (...args: unknown[]) => Promise<unknown>;
  (proto as Record<K, unknown>)[key] = function (this: T, ...args: unknown[]) {
    return around(this, args, () => original.apply(this, args));
  };
}

function instrument(): void {
  const emit = http.Server.prototype.emit as (this: http.Server, event: string, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
    if (event !== 'request' || req.socket.localPort !== appPort) return emit.call(this, event, ...args);
    const span: RequestSpan = { kind: 'request', arrivedAt: now(), enqueueMs: 0, jobs: [], ...work() };
    spans.push(span);
    res.once('finish', () => {
      span.ackAt = now();
    });
    return als.run(span, () => emit.call(this, event, ...args));
  } as typeof emit;

  wrapAsync(Router.prototype, 'dispatch', async (_self, args, run) => {
    const span = als.getStore();
    if (span?.kind !== 'request') return run();
    span.triggerId = (args[0] as { idempotencyKey: string }).idempotencyKey;
    span.dispatchStart = now();
    try {
      return await run();
    } finally {
      span.dispatchEnd = now();
    }
  });

  wrapAsync(pg.Pool.prototype, 'connect', async (_self, _args, run) => {
    const span = als.getStore();
    const t = now();
    const client = await run();
    if (span) {
      span.poolConnects++;
      span.poolWaitMs += now() - t;
    }
    return client;
  });

  wrapAsync(pg.Client.prototype, 'query', async (_self, args, run) => {
    const span = als.getStore();
    const t = now();
    if (span?.kind !== 'request') jobQueryTimes.push(t);
    const result = await run();
    if (span) {
      span.queries++;
      span.queryMs += now() - t;
      const sql = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      if (span.kind === 'request' && sql === 'begin') span.txBegin = t;
      if (span.kind === 'request' && sql === 'commit') span.txCommit = now();
    }
    return result;
  });

  // Every call to Slack (the Web API client's and the sender's) goes out through undici: a request is
  // created in its kudos' async context and its headers come back in the socket's.
  const calls = new WeakMap<object, { span: Span; method: string; start: number; isChannelPost: boolean }>();
  diagnostics.subscribe('undici:request:create', (message) => {
    const { request } = message as { request: { path: string; body: unknown } };
    const span = als.getStore();
    const method = /\/api\/([\w.]+)/.exec(request.path)?.[1];
    if (!span || !method) return;
    const body = typeof request.body === 'string' ? request.body : Buffer.isBuffer(request.body) ? request.body.toString() : '';
    const isChannelPost = span.kind === 'job' && method === 'chat.postMessage' && body.includes(`"channel":"${CHANNEL}"`);
    const start = now();
    if (isChannelPost) span.channelPostStart = start;
    calls.set(request, { span, method, start, isChannelPost });
  });
  diagnostics.subscribe('undici:request:headers', (message) => {
    const call = calls.get((message as { request: object }).request);
    if (!call) return;
    const entry = call.span.web.get(call.method) ?? { n: 0, ms: 0 };
    entry.n++;
    entry.ms += now() - call.start;
    call.span.web.set(call.method, entry);
    if (call.isChannelPost && call.span.kind === 'job') call.span.channelPostEnd = now();
  });

  for (const Runner of [InProcessRunner, BullMQRunner]) {
    wrapAsync(Runner.prototype, 'enqueue', async (_self, args, run) => {
      const span = als.getStore();
      const t = now();
      const firstId = (args[1] as { notificationIds?: string[] } | undefined)?.notificationIds?.[0];
      if (span?.kind === 'request' && firstId) byFirstNotification.set(firstId, { span, enqueuedAt: t });
      try {
        return await run();
      } finally {
        if (span?.kind === 'request') span.enqueueMs += now() - t;
      }
    });
  }

  wrapAsync(JobRegistry.prototype, 'run', async (_self, args, run) => {
    const [name, data] = args as [string, { notificationIds?: string[] } | undefined];
    const firstId = data?.notificationIds?.[0];
    const parent = firstId ? byFirstNotification.get(firstId) : undefined;
    if (!parent) return als.exit(run);
    const job: JobSpan = { kind: 'job', name, enqueuedAt: parent.enqueuedAt, start: now(), ...work() };
    parent.span.jobs.push(job);
    try {
      return await als.run(job, run);
    } finally {
      job.end = now();
    }
  });
}

function summarise(label: string, values: number[], unit = 'ms'): string {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return `${label.padEnd(52)} n/a`;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const f = (v: number) => v.toFixed(unit === 'ms' ? 2 : 1).padStart(9);
  return `${label.padEnd(52)}${f(percentile(sorted, 50))}${f(percentile(sorted, 99))}${f(mean)}  (n=${sorted.length}${unit === 'ms' ? '' : `, ${unit}`})`;
}

/**
 * What the app did while the slowest 1% of acks waited to be read (send → request event), next to how
 * often the same happens to any ack: a GC pause, an earlier kudos' channel post answered by Slack, a
 * job's query called (a sent mark, a claim). A cause shows as a much larger share among the slowest.
 */
function slowestAcks(acks: Array<{ sentAt: number; ackMs: number; span: RequestSpan }>, all: RequestSpan[]): string {
  const answers = all.flatMap((s) => s.jobs.map((j) => ({ owner: s, at: j.channelPostEnd })).filter((a) => a.at !== undefined));
  const met = (ack: { sentAt: number; span: RequestSpan }) => {
    const [from, to] = [ack.sentAt, ack.span.arrivedAt];
    return {
      gc: gcPauses.some((g) => g.from < to && g.to > from),
      answer: answers.some((a) => a.owner !== ack.span && a.at! >= from && a.at! <= to),
      query: jobQueryTimes.some((t) => t >= from && t <= to),
    };
  };
  const shares = (list: typeof acks) => {
    const m = list.map(met);
    const pct = (k: 'gc' | 'answer' | 'query') => `${((100 * m.filter((x) => x[k]).length) / list.length).toFixed(0)}%`;
    return `GC ${pct('gc')}, post answered ${pct('answer')}, job query ${pct('query')}`;
  };
  const slow = [...acks].sort((a, b) => b.ackMs - a.ackMs).slice(0, Math.max(1, Math.ceil(acks.length / 100)));
  return `while waiting to be read, the slowest 1% of acks (${slow.length}, from ${slow.at(-1)!.ackMs.toFixed(2)} ms) met: ${shares(slow)}; all acks: ${shares(acks)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      bullmq: { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '20' },
      count: { type: 'string', default: '1000' },
      warmup: { type: 'string', default: '200' },
      rate: { type: 'string' },
    },
  });
  instrument();
  const harness = await startHarness();
  const bot = await startBot(harness, { redis: values.bullmq, worker: 'same process' });
  appPort = Number(new URL(bot.app.url).port);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcPauses.push({ from: performance.timeOrigin + e.startTime, to: performance.timeOrigin + e.startTime + e.duration });
  }).observe({ entryTypes: ['gc'] });
  let elu = performance.eventLoopUtilization();
  try {
    // Spans from the priming request are not measured.
    spans.length = 0;
    loop.enable();
    elu = performance.eventLoopUtilization();
    const cpuFrom = cpuSnapshot();
    const usageFrom = process.cpuUsage();
    const phase = await measure(harness, bot.target, Number(values.concurrency), {
      count: Number(values.count),
      warmup: Number(values.warmup),
      rate: values.rate ? Number(values.rate) : undefined,
    });
    const cpuTo = cpuSnapshot();
    const usage = process.cpuUsage(usageFrom);
    loop.disable();
    const utilisation = performance.eventLoopUtilization(elu).utilization;

    const spanOf = new Map(spans.filter((s) => s.triggerId).map((s) => [s.triggerId!, s]));
    const rows = phase.report.samples
      .map((sample) => {
        const span = spanOf.get(sample.triggerId);
        const post = span?.jobs.find((j) => j.channelPostStart !== undefined);
        const dm = span?.jobs.find((j) => j !== post);
        return { sample, span, post, dm, postAt: phase.postAt(sample.triggerId) };
      })
      .filter((r) => r.span && r.post && r.postAt);
    const d = <T>(f: (r: (typeof rows)[number]) => T | undefined) => rows.map(f).filter((v): v is T => v !== undefined);

    console.log(
      `\n${bot.target.name}, ${phase.row.rate ? `paced ${phase.row.rate}/s, at most ` : 'closed loop, '}${phase.row.concurrency} kudos in progress ` +
        `(each until its channel post): ${phase.row.throughput.toFixed(0)} kudos/s, ${rows.length} kudos traced`,
    );
    console.log(`${''.padEnd(52)}${'p50'.padStart(9)}${'p99'.padStart(9)}${'mean'.padStart(9)}`);
    console.log('ack (Slack side: send → response complete)');
    console.log(
      summarise(
        '  ack latency',
        d((r) => r.sample.ackMs),
      ),
    );
    console.log(
      summarise(
        '  send → request event in the app',
        d((r) => r.span!.arrivedAt - r.sample.sentAt),
      ),
    );
    console.log(
      summarise(
        '  request event → response finished (Bolt + ack)',
        d((r) => r.span!.ackAt! - r.span!.arrivedAt),
      ),
    );
    console.log('after the ack: the handler (Router.dispatch)');
    console.log(
      summarise(
        '  response finished → dispatch starts',
        d((r) => r.span!.dispatchStart! - r.span!.ackAt!),
      ),
    );
    console.log(
      summarise(
        '  dispatch, whole',
        d((r) => r.span!.dispatchEnd! - r.span!.dispatchStart!),
      ),
    );
    console.log(
      summarise(
        '    waiting for a pool connection (sum)',
        d((r) => r.span!.poolWaitMs),
      ),
    );
    console.log(
      summarise(
        '    pg queries, call → result (sum)',
        d((r) => r.span!.queryMs),
      ),
    );
    console.log(
      summarise(
        '    record() transaction, begin → commit',
        d((r) => r.span!.txCommit! - r.span!.txBegin!),
      ),
    );
    console.log(
      summarise(
        '    users.info (sum)',
        d((r) => r.span!.web.get('users.info')?.ms ?? 0),
      ),
    );
    console.log(
      summarise(
        '    enqueue deliveries (sum)',
        d((r) => r.span!.enqueueMs),
      ),
    );
    console.log(
      summarise(
        '  pg queries per dispatch',
        d((r) => r.span!.queries),
        'count',
      ),
    );
    console.log(
      summarise(
        '  pool checkouts per dispatch',
        d((r) => r.span!.poolConnects),
        'count',
      ),
    );
    console.log(
      summarise(
        '  time per pg query (call → result)',
        d((r) => r.span!.queryMs / Math.max(1, r.span!.queries)),
      ),
    );
    console.log('the channel post job');
    console.log(
      summarise(
        '  enqueued → job starts',
        d((r) => r.post!.start - r.post!.enqueuedAt),
      ),
    );
    console.log(
      summarise(
        '  job starts → chat.postMessage called (claim)',
        d((r) => r.post!.channelPostStart! - r.post!.start),
      ),
    );
    console.log(
      summarise(
        '    of which waiting for a pool connection',
        d((r) => r.post!.poolWaitMs),
      ),
    );
    console.log(
      summarise(
        '  chat.postMessage call → stub received it',
        d((r) => r.postAt! - r.post!.channelPostStart!),
      ),
    );
    console.log(
      summarise(
        '  chat.postMessage call → result',
        d((r) => r.post!.channelPostEnd! - r.post!.channelPostStart!),
      ),
    );
    console.log(
      summarise(
        '  pg queries per post job',
        d((r) => r.post!.queries),
        'count',
      ),
    );
    console.log(
      summarise(
        '  pg queries per DM job',
        d((r) => r.dm?.queries),
        'count',
      ),
    );
    console.log('end to end');
    console.log(
      summarise(
        '  send → channel post at the stub',
        d((r) => r.postAt! - r.sample.sentAt),
      ),
    );
    console.log(
      summarise(
        '  send → the worker saw its post',
        d((r) => r.sample.cycleMs),
      ),
    );
    console.log(
      summarise(
        '  dispatch end → channel post at the stub',
        d((r) => r.postAt! - r.span!.dispatchEnd!),
      ),
    );
    console.log(
      slowestAcks(
        rows.map((r) => ({ sentAt: r.sample.sentAt, ackMs: r.sample.ackMs, span: r.span! })),
        spans,
      ),
    );
    const kudos = phase.report.samples.length + phase.report.warmupTriggerIds.length;
    if (cpuFrom && cpuTo) {
      const perKudos = (ms: number) => (ms / kudos).toFixed(2);
      console.log(
        `CPU per kudos (warm-up included, ${kudos} kudos): this process (the app) ${perKudos(cpuTo.selfMs - cpuFrom.selfMs)} ms ` +
          `(user ${perKudos(usage.user / 1000)}, system ${perKudos(usage.system / 1000)}), ` +
          `Postgres + Redis ${perKudos(cpuShare(cpuFrom, cpuTo)?.servicesMs ?? Number.NaN)} ms, Slack side (stub + load) ${perKudos(phase.report.cpuMs)} ms; ` +
          `phase took ${((cpuTo.at - cpuFrom.at) / 1000).toFixed(1)} s`,
      );
    }
    console.log(
      `event loop over the phase: utilisation ${(utilisation * 100).toFixed(0)}%, delay p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, ` +
        `p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
    );
  } finally {
    await bot.stop();
    await harness.close();
  }
}

main().catch((error: unknown) => {
  console.error('trace failed:', error);
});
