import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

const KEY = Buffer.alloc(32, 1).toString('base64');

describe('configuration', () => {
  it('runs embedded with nothing set: PGlite under ./data, in-process jobs, Slack off, Teams local on loopback', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      role: 'all',
      database: { kind: 'pglite' },
      redisUrl: undefined,
      slack: { mode: 'off' },
      teams: { local: true },
    });
    expect(config.database.kind === 'pglite' && config.database.dataDir).toMatch(/\/data$/);
  });

  it('names every bad variable on a line of its own, saying what it expects', () => {
    expect(problemsOf({ PORT: 'eighty', ROLE: 'boss', DATABASE_URL: 'not a url', SLACK_BOT_TOKEN: 'xoxp-user', LOG_LEVEL: 'loud' })).toEqual([
      expect.stringMatching(/^PORT: /),
      expect.stringMatching(/^DATABASE_URL: expected a postgres:\/\/ URL/),
      expect.stringMatching(/^ROLE: /),
      expect.stringMatching(/^LOG_LEVEL: /),
      'SLACK_BOT_TOKEN: expected a bot token starting with xoxb-',
    ]);
  });

  it('asks for what a chosen mode needs', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual(['SLACK_SIGNING_SECRET: required when Slack is configured']);
    expect(problemsOf({ SLACK_CLIENT_ID: 'id', SLACK_SIGNING_SECRET: 's' })).toEqual([
      'SLACK_CLIENT_SECRET: required when Slack is configured',
      'SLACK_STATE_SECRET: required when Slack is configured',
      'SLACK_TOKEN_KEYS: required with OAuth installs, to encrypt their tokens at rest (make one with `openssl rand -base64 32`)',
    ]);
    expect(problemsOf({ MICROSOFT_APP_ID: 'app' })).toEqual(['MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set']);
    expect(problemsOf({ ROLE: 'worker' })).toEqual([expect.stringMatching(/^ROLE: worker needs REDIS_URL/)]);
  });

  it('chooses OAuth installs when a client id is set, and binds publicly once Teams is authenticated', () => {
    const config = loadConfig({
      SLACK_SIGNING_SECRET: 's',
      SLACK_CLIENT_ID: 'id',
      SLACK_CLIENT_SECRET: 'secret',
      SLACK_STATE_SECRET: 'state',
      SLACK_TOKEN_KEYS: KEY,
      MICROSOFT_APP_ID: 'app',
      MICROSOFT_APP_PASSWORD: 'pw',
      DATABASE_URL: 'postgres://db/hepo',
    });
    expect(config.slack.mode).toBe('oauth');
    expect(config.host).toBe('0.0.0.0');
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://db/hepo' });
  });

  it('takes token keys as base64 of 32 bytes, the first one first, and refuses any other length', () => {
    const other = Buffer.alloc(32, 2).toString('base64');
    const oauth = { SLACK_SIGNING_SECRET: 's', SLACK_CLIENT_ID: 'id', SLACK_CLIENT_SECRET: 'secret', SLACK_STATE_SECRET: 'state' };
    const config = loadConfig({ ...oauth, SLACK_TOKEN_KEYS: ` ${KEY} , ${other}` });
    expect(config.slack.mode === 'oauth' && config.slack.tokenKeys.map((k) => k.toString('base64'))).toEqual([KEY, other]);
    expect(problemsOf({ ...oauth, SLACK_TOKEN_KEYS: `${KEY},${Buffer.alloc(16).toString('base64')}` })).toEqual([
      'SLACK_TOKEN_KEYS: expected base64 keys of 32 bytes, separated by commas (make one with `openssl rand -base64 32`)',
    ]);
  });

  it('keeps the data of an org the app left for 30 days unless told otherwise, and never logs a configured secret', () => {
    expect(loadConfig({}).dataRetentionDays).toBe(30);
    expect(loadConfig({ DATA_RETENTION_DAYS: '90' }).dataRetentionDays).toBe(90);
    expect(problemsOf({ DATA_RETENTION_DAYS: '-1' })).toEqual([expect.stringMatching(/^DATA_RETENTION_DAYS: /)]);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'sign' }).secrets).toEqual(['sign', 'xoxb-1']);
  });
});
