import { expect } from 'vitest';
import type { RunningApp } from '../../src/app';
import type { Clock } from '../../src/chat/ports';
import type { LogDestination } from '../../src/logger';
import { startTestApp } from './app';
import { freshPgliteDir, freshPostgres } from './databases';
import { SLACK_SIGNING_SECRET } from './slack-requests';
import { type SlackStub, type SlackStubOptions, startSlackStub } from './slack-stub';

export interface SlackTestApp {
  app: RunningApp;
  stub: SlackStub;
  /** The app's environment, to start another role of it on the same database and stub. */
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

/**
 * The real app wired to a loopback Slack stub, on a fresh Postgres database (or PGlite), with a bot
 * token unless `env` says otherwise.
 */
export async function startSlackTestApp(
  o: {
    stub?: SlackStubOptions;
    env?: Record<string, string | undefined>;
    clock?: Clock;
    database?: 'postgres' | 'pglite';
    /** The BullMQ key prefix, for another role to share the queue (default: one of its own). */
    queuePrefix?: string;
    /** What the app connects to for its fresh Postgres database, given that database's URL (e.g. a proxy in front of it). */
    reachDatabase?: (url: string) => Promise<string>;
    /** Where the app's log lines go (at env's LOG_LEVEL). */
    logDestination?: LogDestination;
  } = {},
): Promise<SlackTestApp> {
  const stub = await startSlackStub(o.stub);
  const postgres = o.database === 'pglite' ? undefined : await freshPostgres();
  const pglite = o.database === 'pglite' ? freshPgliteDir() : undefined;
  const env = {
    ...(postgres ? { DATABASE_URL: o.reachDatabase ? await o.reachDatabase(postgres.url) : postgres.url } : { DATA_DIR: pglite!.dir }),
    SLACK_SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: stub.apiUrl,
    ...o.env,
  };
  const app = await startTestApp(env, { clock: o.clock, logDestination: o.logDestination, ...(o.queuePrefix ? { queuePrefix: o.queuePrefix } : {}) });
  return {
    app,
    stub,
    env,
    async close() {
      await app.close();
      await stub.close();
      await postgres?.drop();
      pglite?.remove();
    },
  };
}

/** A key for sealing installs' tokens (SLACK_TOKEN_KEYS), 32 bytes in base64. */
export const SLACK_TOKEN_KEY = Buffer.alloc(32, 7).toString('base64');

/** Multi-workspace OAuth installs instead of the one bot token. */
export const SLACK_OAUTH_ENV = {
  SLACK_BOT_TOKEN: undefined,
  SLACK_CLIENT_ID: 'client-id',
  SLACK_CLIENT_SECRET: 'client-secret-9f3c2a',
  SLACK_STATE_SECRET: 'state-secret-4b8e1d',
  SLACK_TOKEN_KEYS: SLACK_TOKEN_KEY,
};

/** Installs the app as an admin's browser does: /slack/install, then Slack's redirect back with `code` (the stub's `oauthAccess` key). */
export async function installWithOAuth(appUrl: string, code: string): Promise<Response> {
  const start = await fetch(`${appUrl}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.pathname).toBe('/oauth/v2/authorize');
  expect(authorize.searchParams.get('scope')).toContain('commands');
  const state = authorize.searchParams.get('state')!;
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  return fetch(`${appUrl}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
}
