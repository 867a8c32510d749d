import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** What `npm start` runs, spawned as node itself so a SIGTERM reaches the app (through npm it would stop npm and leave the app running). */
function npmStart(env: Record<string, string>, cwd = process.cwd()) {
  const child = spawn(process.execPath, ['scripts/start.js'], {
    cwd,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    listening: async () => {
      const address = () => /listening on (http:\/\/[\d.]+:\d+)/.exec(output)?.[1];
      await until(() => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output}`);
        return address() !== undefined;
      }, 45_000);
      return address()!;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('npm start with nothing configured', () => {
  it('starts on the embedded defaults, says which platforms are off and why, and serves /healthz', async () => {
    const data = freshPgliteDir();
    const app = npmStart({ DATA_DIR: data.dir });
    try {
      const url = await app.listening();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/);
      const output = app.output();
      expect(output).toContain('Slack is off: set SLACK_BOT_TOKEN');
      expect(output).toContain('Teams: local mode');
      expect(output).toContain('"database":"pglite"');
      expect(output).toContain('"jobs":"in-process"');
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    } finally {
      await app.stop();
      data.remove();
    }
  }, 60_000);

  it('runs the bundle it built until a file it was built from changes, then builds it again', async () => {
    // A copy of the app, so that editing a source touches nothing here; each start stops at a wrong PORT,
    // after loading the whole bundle and before opening any database.
    const copy = mkdtempSync(path.join(os.tmpdir(), 'hepo-start-'));
    try {
      for (const part of ['src', 'migrations', 'scripts', 'tsconfig.json', 'package.json']) cpSync(part, path.join(copy, part), { recursive: true });
      symlinkSync(path.resolve('node_modules'), path.join(copy, 'node_modules'));
      const bundle = path.join(copy, 'build', 'app', 'main.js');
      const start = async () => {
        const app = npmStart({ PORT: 'not-a-port' }, copy);
        expect(await app.exited, app.output()).toBe(1);
        expect(app.output()).toContain('config: PORT');
        return app.output();
      };

      await start();
      const built = statSync(bundle).mtimeMs;
      await start();
      expect(statSync(bundle).mtimeMs).toBe(built);

      const main = path.join(copy, 'src', 'main.ts');
      writeFileSync(main, `console.log('built from the edited source');\n${readFileSync(main, 'utf8')}`);
      expect(await start()).toContain('built from the edited source');
      expect(statSync(bundle).mtimeMs).toBeGreaterThan(built);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});
