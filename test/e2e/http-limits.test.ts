import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { startTestApp } from '../support/app';
import { freshPostgres } from '../support/databases';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { postSigned, slackSignature, SLACK_SIGNING_SECRET, slashCommand } from '../support/slack-requests';

const LIMIT = 2_048;
const METRICS_TOKEN = 'metrics-token-for-tests';

/** Sends `head` on a raw socket, then one more byte of `trickle` every 50 ms; resolves with what the server said and when it closed. */
function slowClient(url: string, head: string, trickle: string): Promise<{ answer: string; closedAfterMs: number; sentAll: boolean }> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < trickle.length && !socket.destroyed) socket.write(trickle[sent++]!);
    }, 50);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, closedAfterMs: Date.now() - started, sentAll: sent === trickle.length });
    });
    socket.write(head);
  });
}

/** A body streamed as chunks, so the request carries no content-length. */
const oneChunk = (text: string) =>
  new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });

describe('the HTTP server keeps each request small and short', () => {
  let running: SlackTestApp;
  let url: string;

  beforeAll(async () => {
    running = await startSlackTestApp({
      // Teams with credentials, so /api/messages is served (the body limit comes before its authentication).
      env: {
        HTTP_BODY_LIMIT_BYTES: String(LIMIT),
        HTTP_HEADERS_TIMEOUT_MS: '300',
        HTTP_REQUEST_TIMEOUT_MS: '600',
        METRICS_TOKEN,
        MICROSOFT_APP_ID: 'app-id',
        MICROSOFT_APP_PASSWORD: 'app-password',
      },
    });
    url = running.app.url;
  });
  afterAll(() => running?.close());

  it.each(['/slack/events', '/api/messages', '/healthz', '/nowhere'])('answers 413 to a body over the limit on %s, before reading it', async (path) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(LIMIT) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: `request bodies are limited to ${LIMIT} bytes` });
  });

  it('refuses a signed Slack command over the limit sent without its length, and records nothing', async () => {
    const body = new URLSearchParams(slashCommand({ text: `<@UANA> 5 ${'thanks '.repeat(400)}`, responseUrl: running.stub.responseUrl('big') })).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(SLACK_SIGNING_SECRET, timestamp, body),
      },
      body: oneChunk(body),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    await new Promise((r) => setTimeout(r, 200));
    expect(running.stub.callsTo('response_url')).toEqual([]);
    expect(await running.app.db.selectFrom('kudos').select('id').execute()).toEqual([]);
  });

  it('refuses a Teams activity over the limit sent without its length', async () => {
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: oneChunk(JSON.stringify({ type: 'message', text: 'x'.repeat(LIMIT) })),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('still serves a signed Slack command under the limit', async () => {
    const res = await postSigned(url, slashCommand({ text: 'help', responseUrl: running.stub.responseUrl('small') }));
    expect(res.status).toBe(200);
    await running.stub.waitFor(() => running.stub.callsTo('response_url').length === 1);
  });

  it('answers /metrics only to the bearer of METRICS_TOKEN', async () => {
    const without = await fetch(`${url}/metrics`);
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toBe('Bearer');
    expect(await without.text()).not.toContain('http_request_duration_seconds');
    const wrong = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('http_request_duration_seconds');
  });

  it('closes a connection whose headers come too slowly (slow-loris), with 408', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `x-slow-${i}: 1\r\n`).join('');
    const slow = await slowClient(url, 'GET /healthz HTTP/1.1\r\nhost: localhost\r\n', lines);
    expect(slow.sentAll).toBe(false);
    expect(slow.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(slow.closedAfterMs).toBeLessThan(1_500);
  });

  it('closes a connection whose body comes too slowly, with 408', async () => {
    const body = 'x'.repeat(100);
    const slow = await slowClient(
      url,
      `POST /api/messages HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
      body,
    );
    expect(slow.sentAll).toBe(false);
    expect(slow.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(slow.closedAfterMs).toBeLessThan(2_000);
  });
});

/** An address of this machine that is not loopback, if it has one: a caller from there is "another machine" to the server. */
const outward = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('/metrics without METRICS_TOKEN', () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let app: RunningApp;
  let port: string;

  beforeAll(async () => {
    database = await freshPostgres();
    app = await startTestApp({ DATABASE_URL: database.url, HOST: '0.0.0.0' });
    port = new URL(app.url).port;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('answers callers on this machine', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
  });

  it.skipIf(!outward)('refuses callers from another address', async () => {
    const res = await fetch(`http://${outward}:${port}/metrics`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'set METRICS_TOKEN to read metrics from another machine' });
  });
});
