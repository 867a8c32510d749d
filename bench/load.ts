/**
 * Load generator for `npm run bench`, run as its own process so the app under test keeps its CPU.
 *
 *   node --import tsx bench/load.ts --url http://127.0.0.1:3000/slack/events --secret S \
 *     --concurrency 20 --count 2000 --warmup 200 --tag t-abc-1 --response-url http://127.0.0.1:4000/response/
 *
 * Sends signed `/kudos <@UANA> 1 #teamwork thanks for the demo <triggerId>` commands over keep-alive
 * connections, `concurrency` at a time (closed loop: each worker sends its next command when the
 * previous response is complete; with `--rate R`, open loop: one starts every 1/R s). The giver
 * rotates over `--givers` users. Prints one JSON `LoadReport` on stdout. Times are wall-clock ms with
 * sub-ms precision (`performance.timeOrigin + performance.now()`), comparable across processes on
 * this machine.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { slackSignature, slashCommand } from '../test/support/slack-requests';

export const RECIPIENT = 'UANA';
export const CHANNEL = 'C1';
export const MESSAGE_PREFIX = 'thanks for the demo';

export const giverId = (i: number) => `UG${String(i).padStart(3, '0')}`;

export interface LoadSample {
  triggerId: string;
  /** Wall-clock ms just before the request was written. */
  sentAt: number;
  /** Send → response body complete. */
  ackMs: number;
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

export async function runLoad(o: {
  url: string;
  secret: string;
  concurrency: number;
  count: number;
  warmup: number;
  givers: number;
  tag: string;
  responseUrl: string;
  /** Open loop: start request i at i / rate seconds (still at most `concurrency` in flight). Default: closed loop. */
  rate?: number;
}): Promise<LoadReport> {
  const url = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency, maxFreeSockets: o.concurrency });
  const total = o.warmup + o.count;
  const samples: LoadSample[] = [];
  const warmupTriggerIds: string[] = [];
  let next = 0;
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
      const sentAt = now();
      const result = await post(agent, url, body, headers, 10_000);
      const ackMs = now() - sentAt;
      if (warm) warmupTriggerIds.push(triggerId);
      else samples.push({ triggerId, sentAt, ackMs, ...result });
    }
  }

  await Promise.all(Array.from({ length: o.concurrency }, worker));
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
    },
  });
  if (!values.url || !values.secret || !values['response-url']) {
    throw new Error('usage: load.ts --url URL --secret SECRET --response-url URL [--concurrency N] [--count N] [--warmup N] [--givers N] [--tag T] [--rate R]');
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
  });
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
