import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { freshPgliteDir } from '../support/databases';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { postSigned, slashCommand } from '../support/slack-requests';
import type { SlackStub } from '../support/slack-stub';
import { until } from '../support/wait';

describe('embedded mode: PGlite and in-process jobs', () => {
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;

  beforeAll(async () => {
    running = await startSlackTestApp({
      database: 'pglite',
      stub: {
        users: [
          { id: 'UGIVER', name: 'Gia Giver', email: 'gia@acme.test' },
          { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
        ],
      },
    });
    ({ stub, app } = running);
  });
  afterAll(() => running?.close());

  it('gives kudos end to end with no Postgres and no Redis', async () => {
    expect(app.jobs.kind).toBe('in-process');
    const form = slashCommand({ text: '<@UANA> 10 #integrity thanks for flagging the risk', responseUrl: stub.responseUrl('e'), triggerId: 'embedded-1' });
    await postSigned(app.url, form);
    await postSigned(app.url, form);
    await stub.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length === 2);
    await stub.waitFor((calls) => calls.filter((c) => c.method === 'response_url').length === 2);
    expect(
      stub
        .callsTo('chat.postMessage')
        .map((c) => c.body.channel)
        .sort(),
    ).toEqual(['C1', 'UANA']);
    expect(await app.db.selectFrom('kudos').select('message').execute()).toEqual([{ message: 'thanks for flagging the risk' }]);
  });

  it('answers health, readiness and metrics', async () => {
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true, jobs: true } });
    const metricsText = async () => (await fetch(`${app.url}/metrics`)).text();
    // A delivery job completes once its sent mark is written, a few ms after the message went out.
    await until(async () => /jobs_total\{name="deliver_notifications",outcome="completed"\} [1-9]/.test(await metricsText()));
    const metrics = await metricsText();
    expect(metrics).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/slack\/events"/);
    expect(metrics).toMatch(/interactions_total\{platform="slack",kind="command",name="kudos",outcome="ok"\} 2/);
  });

  it("answers 404 where nothing is served, Slack's paths included (no install page in token mode)", async () => {
    for (const path of ['/nowhere', '/slack/install', '/slack/events']) {
      expect((await fetch(`${app.url}${path}`)).status, path).toBe(404);
    }
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="other",status="404"\} 1/);
    expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/slack\/install",status="404"\} 1/);
  });
});

describe('npm start with nothing configured', () => {
  it('starts on the embedded defaults, says which platforms are off and why, and serves /healthz', async () => {
    const data = freshPgliteDir();
    // What `npm start` runs, spawned as node itself so the SIGTERM below reaches the app (through npx it
    // would stop npx and leave the app running).
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: '0', DATA_DIR: data.dir, LOG_LEVEL: 'info', DATABASE_URL: '', REDIS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "listening" line in time:\n${output}`)), 45_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/);
      expect(output).toContain('Slack is off: set SLACK_BOT_TOKEN');
      expect(output).toContain('Teams: local mode');
      expect(output).toContain('"database":"pglite"');
      expect(output).toContain('"jobs":"in-process"');
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      data.remove();
    }
  }, 60_000);
});
