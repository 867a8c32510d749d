import { randomUUID } from 'node:crypto';
import { type AppOptions, type RunningApp, startApp } from '../../src/app';
import { loadConfig } from '../../src/config';

/** Starts the real app on a free loopback port with this environment (quiet logs, own queue prefix). */
export async function startTestApp(env: Record<string, string | undefined>, options: AppOptions = {}): Promise<RunningApp> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...env });
  return startApp(config, { queuePrefix: `hepo-test-${randomUUID()}`, ...options });
}
