import type { RunningApp } from '../../src/app';
import type { Clock } from '../../src/chat/ports';
import type { Logger } from '../../src/logger';
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
    logger?: Logger;
    database?: 'postgres' | 'pglite';
    /** The BullMQ key prefix, for another role to share the queue (default: one of its own). */
    queuePrefix?: string;
  } = {},
): Promise<SlackTestApp> {
  const stub = await startSlackStub(o.stub);
  const postgres = o.database === 'pglite' ? undefined : await freshPostgres();
  const pglite = o.database === 'pglite' ? freshPgliteDir() : undefined;
  const env = {
    ...(postgres ? { DATABASE_URL: postgres.url } : { DATA_DIR: pglite!.dir }),
    SLACK_SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: stub.apiUrl,
    ...o.env,
  };
  const app = await startTestApp(env, { clock: o.clock, logger: o.logger, ...(o.queuePrefix ? { queuePrefix: o.queuePrefix } : {}) });
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
