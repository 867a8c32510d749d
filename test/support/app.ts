import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { type AppOptions, type RunningApp, startApp } from '../../src/app';
import { loadConfig } from '../../src/config';

/** A logger whose lines the test reads (parsed), for what the app logs where it logs it. */
export function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** Starts the real app on a free loopback port with this environment (quiet logs, own queue prefix). */
export async function startTestApp(env: Record<string, string | undefined>, options: AppOptions = {}): Promise<RunningApp> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...env });
  return startApp(config, { queuePrefix: `hepo-test-${randomUUID()}`, ...options });
}
