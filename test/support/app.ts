import { randomUUID } from 'node:crypto';
import { type AppOptions, type RunningApp, startApp } from '../../src/app';
import { type Config, loadConfig } from '../../src/config';

/** The config of this environment as tests run it: a free loopback port, quiet logs. */
const testConfig = (env: Record<string, string | undefined>): Config =>
  loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...env });

const start = (config: Config, options: AppOptions) => startApp(config, { queuePrefix: `hepo-test-${randomUUID()}`, ...options });

/** Starts the real app on a free loopback port with this environment (quiet logs, own queue prefix). */
export async function startTestApp(env: Record<string, string | undefined>, options: AppOptions = {}): Promise<RunningApp> {
  return start(testConfig(env), options);
}

/**
 * The real app with Teams in local mode on a test Postgres database. The environment can't ask for
 * that (TEAMS_LOCAL runs on the embedded database only), so the test builds the config in code.
 */
export async function startLocalTeamsTestApp(databaseUrl: string, env: Record<string, string | undefined> = {}, options: AppOptions = {}): Promise<RunningApp> {
  // The database as the environment would configure it (its timeouts included), for an app the environment couldn't configure.
  const { database } = testConfig({ ...env, DATABASE_URL: databaseUrl });
  const config = testConfig({ ...env, TEAMS_LOCAL: '1' });
  return start({ ...config, database }, options);
}
