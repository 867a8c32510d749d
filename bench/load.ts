/**
 * Load generator for `npm run bench`, run as its own process so the app under test keeps its CPU.
 *
 *   node --import tsx bench/load.ts --url http://127.0.0.1:3000/slack/events --secret S \
 *     --concurrency 20 --count 2000 --warmup 200 --tag t-abc-1 --response-url http://127.0.0.1:4000/response/ [--until post]
 *
 * Sends signed `/kudos <@UANA> 1 #teamwork thanks for the demo <triggerId>` commands over keep-alive
 * connections from `concurrency` workers. An operation ends when its response is complete, or with
 * `--until post` when the parent (bench/harness.ts, over IPC) reports its channel post: a person
 * gives the next kudos once they see the last one posted. Closed loop: each worker starts its next
 * operation when the previous one ended; with `--rate R`, operation i starts at i/R s, or later
 * when all workers are busy. The giver rotates over `--givers` users. Prints one JSON `LoadReport`
 * on stdout. Times are wall-clock ms with sub-ms precision (`performance.timeOrigin +
 * performance.now()`), comparable across processes on this machine.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { slackSignature, slashCommand } from '../test/support/slack-requests';

export const RECIPIENT = 'UANA';
export const CHANNEL = 'C1';
export const MESSAGE_PREFIX = 'thanks for the demo';

export const giverId = (i: number) => `UG${String(i).padStart(3, '0')}`;

/** What ends an operation: the HTTP response, or the kudos' channel post reported by the parent. */
export type Until = 'ack' | 'post';

/** How long a worker waits for a post after the ack before it records an error and moves on. */
const POST_TIMEOUT_MS = 30_000;

export interface LoadSample {
  triggerId: string;
  /** Wall-clock ms just before the request was written. */
  sentAt: number;
  /** Send → response body complete. */
  ackMs: number;
  /** Send → the parent's post notice received (`--until post`); IPC delay included, so for information only. */
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
  /** CPU time this load process used (user + system), ms. */
  cpuMs: number;
}

const now = () => performance.timeOrigin + performance.now();

function post(agent: http.Agent, url: URL, body: string, headers: Record<string, string>, timeoutMs: number) {
  return new Promise<{ status: number; error?: string }>((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', (err) => resolve({ status: 0, error: err.message }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no response in ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ status: 0, error: err.message }));
    req.end(body);
  });
}

/** Channel posts the parent reports as `{ posted: triggerId }` messages, awaited by trigger id. */
function watchPosts() {
  const pending = new Map<string, (at: number) => void>();
  const onMessage = (message: unknown) => {
    const triggerId = (message as { posted?: unknown } | null)?.posted;
    if (typeof triggerId !== 'string') return;
    pending.get(triggerId)?.(now());
    pending.delete(triggerId);
  };
  process.on('message', onMessage);
  return {
    /** Registers before the request is sent: the post may arrive before the response is complete. */
    expect(triggerId: string): { within(timeoutMs: number): Promise<number | undefined>; cancel(): void } {
      const posted = new Promise<number>((resolve) => pending.set(triggerId, resolve));
      const cancel = () => pending.delete(triggerId);
      return {
        cancel,
        /** When the post was reported, or undefined when it was not within `timeoutMs` from now. */
        async within(timeoutMs) {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<undefined>((resolve) => {
            timer = setTimeout(() => resolve(undefined), timeoutMs);
          });
          try {
            return await Promise.race([posted, timeout]);
          } finally {
            clearTimeout(timer);
            cancel();
          }
        },
      };
    },
    /** Stops listening, which also lets the IPC channel close so this process can exit. */
    close: () => process.off('message', onMessage),
  };
}

export async function runLoad(o: {
  url: string;
  secret: string;
  concurrency: number;
  count: number;
  warmup: number;
  givers: number;
  tag: string;
  responseUrl: string;
  /** Open loop: start operation i at i / rate seconds (still at most `concurrency` in progress). Default: closed loop. */
  rate?: number;
  until: Until;
}): Promise<LoadReport> {
  if (o.until === 'post' && !process.send) throw new Error('--until post needs the IPC channel bench/harness.ts opens');
  const url = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency, maxFreeSockets: o.concurrency });
  const total = o.warmup + o.count;
  const samples: LoadSample[] = [];
  const warmupTriggerIds: string[] = [];
  let next = 0;
  const posts = o.until === 'post' ? watchPosts() : undefined;
  const start = now();

  async function worker() {
    while (next < total) {
      const i = next++;
      if (o.rate) {
        const wait = start + (1000 * i) / o.rate - now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const warm = i < o.warmup;
      const triggerId = warm ? `${o.tag}-w${i}` : `${o.tag}-${i - o.warmup}`;
      const form = slashCommand({
        text: `<@${RECIPIENT}> 1 #teamwork ${MESSAGE_PREFIX} ${triggerId}`,
        userId: giverId(i % o.givers),
        channelId: CHANNEL,
        triggerId,
        responseUrl: `${o.responseUrl}${triggerId}`,
      });
      const body = new URLSearchParams(form).toString();
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(o.secret, timestamp, body),
      };
      const posted = posts?.expect(triggerId);
      const sentAt = now();
      const result = await post(agent, url, body, headers, 10_000);
      const ackMs = now() - sentAt;
      const sample: LoadSample = { triggerId, sentAt, ackMs, ...result };
      if (posted && result.status === 200) {
        const postedAt = await posted.within(POST_TIMEOUT_MS);
        if (postedAt === undefined) sample.error = `no post within ${POST_TIMEOUT_MS / 1000} s`;
        else sample.cycleMs = postedAt - sentAt;
      } else {
        // A refused or failed request posts nothing.
        posted?.cancel();
      }
      if (warm) warmupTriggerIds.push(triggerId);
      else samples.push(sample);
    }
  }

  await Promise.all(Array.from({ length: o.concurrency }, worker));
  posts?.close();
  agent.destroy();
  samples.sort((a, b) => a.sentAt - b.sentAt);
  const measuredFrom = samples[0]?.sentAt ?? 0;
  const measuredTo = Math.max(...samples.map((s) => s.sentAt + s.ackMs));
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { url: o.url, concurrency: o.concurrency, givers: o.givers, warmupTriggerIds, samples, measuredFrom, measuredTo, cpuMs };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      secret: { type: 'string' },
      concurrency: { type: 'string', default: '1' },
      count: { type: 'string', default: '2000' },
      warmup: { type: 'string', default: '200' },
      givers: { type: 'string', default: '50' },
      tag: { type: 'string', default: `t-${process.pid}` },
      'response-url': { type: 'string' },
      rate: { type: 'string' },
      until: { type: 'string', default: 'ack' },
    },
  });
  const { until } = values;
  if (!values.url || !values.secret || !values['response-url'] || (until !== 'ack' && until !== 'post')) {
    throw new Error(
      'usage: load.ts --url URL --secret SECRET --response-url URL [--concurrency N] [--count N] [--warmup N] [--givers N] [--tag T] [--rate R] [--until ack|post]',
    );
  }
  const report = await runLoad({
    url: values.url,
    secret: values.secret,
    concurrency: Number(values.concurrency),
    count: Number(values.count),
    warmup: Number(values.warmup),
    givers: Number(values.givers),
    tag: values.tag,
    responseUrl: values['response-url'],
    rate: values.rate ? Number(values.rate) : undefined,
    until,
  });
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
