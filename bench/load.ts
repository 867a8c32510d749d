/**
 * The Slack side of `npm run bench`: the load generator, a long-lived process that sends the slash
 * commands, with Slack's Web API (the stub, bench/slack-api.ts) in a child process of its own. Kept
 * out of the bench process so the apps under test have their event loop to themselves, as they would
 * in production (each kudos makes three calls to the stub).
 *
 * Started by bench/harness.ts (`startHarness`) with an IPC channel. It answers `{ ready: { apiUrl } }`,
 * then runs one phase per `{ run: PhaseRequest }` (replying `{ done }` or `{ failed }`) until
 * `{ close: true }`.
 *
 * A phase sends signed `/kudos <@UANA> 1 #teamwork thanks for the demo <triggerId>` commands over
 * keep-alive connections from `concurrency` workers. An operation ends when its response is complete,
 * or with until 'post' when the kudos' channel post reaches the stub: a person gives the next kudos
 * once they see the last one posted. Closed loop: each worker starts its next operation when the
 * previous one ended; with `rate` R, operation i starts at i/R s, or later when all workers are busy.
 * The giver rotates over `givers` users. Times are wall-clock ms with sub-ms precision
 * (`performance.timeOrigin + performance.now()`), comparable across processes on this machine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { processMs } from './cpu';
import { slackSignature, slashCommand } from '../test/support/slack-requests';
import type { SlackUser } from '../test/support/slack-stub';

export const RECIPIENT = 'UANA';
export const CHANNEL = 'C1';
export const MESSAGE_PREFIX = 'thanks for the demo';
/** Users the stub knows as givers; a phase rotates over (at most) these. */
export const GIVERS = 50;
/** How long after its load ends a phase waits for the last channel posts; later ones count as missing. */
export const POST_DEADLINE_MS = 120_000;

export const giverId = (i: number) => `UG${String(i).padStart(3, '0')}`;

/** What ends an operation: the HTTP response, or the kudos' channel post reaching the stub. */
export type Until = 'ack' | 'post';

/** How long a worker waits for a post after the ack before it records an error and moves on. */
const POST_TIMEOUT_MS = 30_000;

export const hiresNow = () => performance.timeOrigin + performance.now();

export interface PhaseRequest {
  id: number;
  url: string;
  secret: string;
  concurrency: number;
  count: number;
  warmup: number;
  givers: number;
  tag: string;
  /** Open loop: start operation i at i / rate seconds (still at most `concurrency` in progress). Default: closed loop. */
  rate?: number;
  until: Until;
}

export interface LoadSample {
  triggerId: string;
  /** Wall-clock ms just before the request was written. */
  sentAt: number;
  /** Send → response body complete. */
  ackMs: number;
  /** Send → the worker saw its post (until 'post'); for information only, `LoadReport.posts` has when it arrived. */
  cycleMs?: number;
  /** HTTP status, or 0 when the request failed without one. */
  status: number;
  error?: string;
}

export interface LoadReport {
  url: string;
  concurrency: number;
  givers: number;
  warmupTriggerIds: string[];
  /** Measured requests only (warm-up excluded), in send order. */
  samples: LoadSample[];
  /** First measured send → last measured response, wall-clock ms. */
  measuredFrom: number;
  measuredTo: number;
  /** When each channel post of the phase (warm-up included) reached the stub, by trigger id (until 'post'). */
  posts: Record<string, number>;
  /** DMs to the recipient the stub received during the phase (one per kudos). */
  dms: number;
  /** CPU time this process used during the phase (user + system), ms. */
  cpuMs: number;
}

/** Messages from the bench process. */
/** Messages from bench/slack-api.ts (Slack's API in its own process) to this one. */
export type FromSlackApi = { ready: { apiUrl: string; responseUrlPrefix: string } } | { post: { triggerId: string; at: number } } | { dm: true };

export type ToSlackSide = { run: PhaseRequest } | { close: true };
/** Messages to the bench process. */
export type FromSlackSide = { ready: { apiUrl: string } } | { done: { id: number; report: LoadReport } } | { failed: { id: number; message: string } };

/** The people the stub's users.info knows. */
export const roster: SlackUser[] = [
  { id: RECIPIENT, name: 'Ana Lopez', email: 'ana@acme.test' },
  ...Array.from({ length: GIVERS }, (_, i) => ({ id: giverId(i), name: `Giver ${i}`, email: `giver${i}@acme.test` })),
];

/**
 * The channel posts and DMs bench/slack-api.ts reports, channel posts keyed by the trigger id
 * embedded in the kudos message; wakes the worker waiting for a post.
 */
function watchPosts(api: ChildProcess) {
  const posts = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  let dms = 0;
  api.on('message', (message: FromSlackApi) => {
    if ('dm' in message) dms++;
    if (!('post' in message)) return;
    posts.set(message.post.triggerId, message.post.at);
    waiting.get(message.post.triggerId)?.();
  });

  return {
    posts,
    dms: () => dms,
    /** Whether the post of `triggerId` has arrived or arrives within `timeoutMs`. */
    async arrived(triggerId: string, timeoutMs: number): Promise<boolean> {
      if (posts.has(triggerId)) return true;
      let timer: NodeJS.Timeout | undefined;
      const seen = await new Promise<boolean>((resolve) => {
        waiting.set(triggerId, () => resolve(true));
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      clearTimeout(timer);
      waiting.delete(triggerId);
      return seen;
    },
    /** Waits until every trigger id has its channel post and as many DMs arrived, or the deadline passes. */
    async allArrived(triggerIds: string[], deadlineMs: number): Promise<void> {
      const started = hiresNow();
      while (!(triggerIds.every((id) => posts.has(id)) && dms >= posts.size) && hiresNow() - started < deadlineMs) {
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /** Forgets the phase. */
    reset(): void {
      posts.clear();
      dms = 0;
    },
  };
}

type PostWatcher = ReturnType<typeof watchPosts>;

function post(agent: http.Agent, url: URL, body: string, headers: Record<string, string>, timeoutMs: number) {
  return new Promise<{ status: number; error?: string }>((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', (err) => resolve({ status: 0, error: err.message }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no response in ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ status: 0, error: err.message }));
    req.end(body);
  });
}

/** The load of one phase: warm-up then measured requests from `concurrency` workers. */
async function sendLoad(o: PhaseRequest, watcher: PostWatcher, responseUrl: (triggerId: string) => string) {
  const url = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency, maxFreeSockets: o.concurrency });
  const total = o.warmup + o.count;
  const samples: LoadSample[] = [];
  const warmupTriggerIds: string[] = [];
  let next = 0;
  const start = hiresNow();

  async function worker() {
    while (next < total) {
      const i = next++;
      if (o.rate) {
        const wait = start + (1000 * i) / o.rate - hiresNow();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const warm = i < o.warmup;
      const triggerId = warm ? `${o.tag}-w${i}` : `${o.tag}-${i - o.warmup}`;
      const form = slashCommand({
        text: `<@${RECIPIENT}> 1 #teamwork ${MESSAGE_PREFIX} ${triggerId}`,
        userId: giverId(i % o.givers),
        channelId: CHANNEL,
        triggerId,
        responseUrl: responseUrl(triggerId),
      });
      const body = new URLSearchParams(form).toString();
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(o.secret, timestamp, body),
      };
      const sentAt = hiresNow();
      const result = await post(agent, url, body, headers, 10_000);
      const sample: LoadSample = { triggerId, sentAt, ackMs: hiresNow() - sentAt, ...result };
      // A refused or failed request posts nothing.
      if (o.until === 'post' && result.status === 200) {
        if (await watcher.arrived(triggerId, POST_TIMEOUT_MS)) sample.cycleMs = hiresNow() - sentAt;
        else sample.error = `no post within ${POST_TIMEOUT_MS / 1000} s`;
      }
      if (warm) warmupTriggerIds.push(triggerId);
      else samples.push(sample);
    }
  }

  await Promise.all(Array.from({ length: o.concurrency }, worker));
  agent.destroy();
  samples.sort((a, b) => a.sentAt - b.sentAt);
  return { warmupTriggerIds, samples };
}

/** One phase: the load, then (until 'post') every channel post and DM. CPU counts both Slack processes. */
async function runPhase(o: PhaseRequest, api: SlackApi, watcher: PostWatcher): Promise<LoadReport> {
  const cpuFrom = process.cpuUsage();
  const apiCpuFrom = processMs(api.pid);
  const { warmupTriggerIds, samples } = await sendLoad(o, watcher, (triggerId) => `${api.responseUrlPrefix}${triggerId}`);
  if (o.until === 'post') await watcher.allArrived([...warmupTriggerIds, ...samples.map((s) => s.triggerId)], POST_DEADLINE_MS);
  const cpu = process.cpuUsage(cpuFrom);
  const report: LoadReport = {
    url: o.url,
    concurrency: o.concurrency,
    givers: o.givers,
    warmupTriggerIds,
    samples,
    measuredFrom: samples[0]?.sentAt ?? 0,
    measuredTo: Math.max(...samples.map((s) => s.sentAt + s.ackMs)),
    posts: Object.fromEntries(watcher.posts),
    dms: watcher.dms(),
    cpuMs: (cpu.user + cpu.system) / 1000 + processMs(api.pid) - apiCpuFrom,
  };
  watcher.reset();
  return report;
}

type SlackApi = Awaited<ReturnType<typeof startSlackApi>>;

/** Starts bench/slack-api.ts and waits until its stub listens; it exits with this process. */
async function startSlackApi() {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'slack-api.ts')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const urls = await new Promise<{ apiUrl: string; responseUrlPrefix: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => reject(new Error('the Slack API stub exited before it was ready')));
    child.once('message', (message: FromSlackApi) => {
      if ('ready' in message) resolve(message.ready);
    });
  });
  return { child, pid: child.pid!, ...urls };
}

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('bench/load.ts is started by bench/harness.ts, with an IPC channel');
  const reply = (message: FromSlackSide): void => {
    send(message);
  };
  const api = await startSlackApi();
  const watcher = watchPosts(api.child);
  // The bench process is gone (interrupted, or crashed): nothing left to serve.
  process.on('disconnect', () => process.exit(0));
  // Phases share the stub, so they run one after the other.
  let phases = Promise.resolve();
  process.on('message', (message: ToSlackSide) => {
    // Exiting closes the stub's socket; a phase still running (an interrupted bench) is abandoned.
    if ('close' in message) process.exit(0);
    const { id } = message.run;
    phases = phases.then(() =>
      runPhase(message.run, api, watcher).then(
        (report) => reply({ done: { id, report } }),
        (error: unknown) => reply({ failed: { id, message: error instanceof Error ? error.message : String(error) } }),
      ),
    );
  });
  reply({ ready: { apiUrl: api.apiUrl } });
}

// The bench process imports the constants and types above; only the spawned process runs.
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
