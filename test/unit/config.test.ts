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

  it("paces Slack posts to 10 a second per workspace and 1 per channel unless told, and refuses a pace that can't be kept", () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    expect(loadConfig(slack).slack).toMatchObject({ postsPerSecond: 10, channelPostsPerSecond: 1 });
    expect(loadConfig({ ...slack, SLACK_POSTS_PER_SECOND: '50', SLACK_CHANNEL_POSTS_PER_SECOND: '0.5' }).slack).toMatchObject({
      postsPerSecond: 50,
      channelPostsPerSecond: 0.5,
    });
    expect(problemsOf({ ...slack, SLACK_POSTS_PER_SECOND: '0', SLACK_CHANNEL_POSTS_PER_SECOND: 'fast' })).toEqual([
      'SLACK_POSTS_PER_SECOND: expected a number of messages a second, above 0',
      'SLACK_CHANNEL_POSTS_PER_SECOND: expected a number of messages a second',
    ]);
  });

  it('asks for what a chosen mode needs', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual(['SLACK_SIGNING_SECRET: required when Slack is configured']);
    expect(problemsOf({ SLACK_CLIENT_ID: 'id', SLACK_SIGNING_SECRET: 's' })).toEqual([
      'SLACK_CLIENT_SECRET: required when Slack is configured',
      'SLACK_STATE_SECRET: required when Slack is configured',
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
      MICROSOFT_APP_ID: 'app',
      MICROSOFT_APP_PASSWORD: 'pw',
      DATABASE_URL: 'postgres://db/hepo',
    });
    expect(config.slack.mode).toBe('oauth');
    expect(config.host).toBe('0.0.0.0');
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://db/hepo' });
  });
});
