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
      teams: { mode: 'local' },
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
      'SLACK_TOKEN_KEYS: required with OAuth installs, to encrypt their tokens at rest (make one with `openssl rand -base64 32`)',
    ]);
    expect(problemsOf({ MICROSOFT_APP_ID: 'app' })).toEqual(['MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set']);
    expect(problemsOf({ ROLE: 'worker' })).toEqual([expect.stringMatching(/^ROLE: worker needs REDIS_URL/)]);
  });

  it('has timeouts and limits by default, and names a bad one', () => {
    expect(loadConfig({}).http).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, bodyLimitBytes: 1_048_576, metricsToken: undefined });
    expect(problemsOf({ DATABASE_STATEMENT_TIMEOUT_MS: '0', HTTP_BODY_LIMIT_BYTES: '10', METRICS_TOKEN: 'short' })).toEqual([
      expect.stringMatching(/^DATABASE_STATEMENT_TIMEOUT_MS: /),
      expect.stringMatching(/^HTTP_BODY_LIMIT_BYTES: /),
      'METRICS_TOKEN: expected at least 16 characters',
    ]);
    expect(problemsOf({ HTTP_HEADERS_TIMEOUT_MS: '20000' })).toEqual(['HTTP_HEADERS_TIMEOUT_MS: expected no more than HTTP_REQUEST_TIMEOUT_MS']);
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
    expect(config.teams).toEqual({ mode: 'authenticated', appId: 'app', appPassword: 'pw', appTenantId: '', appType: 'MultiTenant' });
    expect(config.host).toBe('0.0.0.0');
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://db/hepo', timeouts: { connectTimeoutMs: 2_000, statementTimeoutMs: 2_000 } });
  });

  describe('Teams local mode (no authentication) only when asked for', () => {
    const teamsOf = (env: Record<string, string>) => {
      const config = loadConfig(env);
      return { teams: config.teams.mode, host: config.host };
    };
    const off = expect.objectContaining({ mode: 'off', why: expect.stringContaining('set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD') });

    it.each([
      ['nothing configured (npm start to try it)', {}, 'local', '127.0.0.1'],
      ['TEAMS_LOCAL=1 with Slack on the embedded database', { TEAMS_LOCAL: '1', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, 'local', '127.0.0.1'],
      ['a production database and no Microsoft credentials', { DATABASE_URL: 'postgres://db/hepo' }, 'off', '0.0.0.0'],
      ['Slack only, embedded', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, 'off', '0.0.0.0'],
      ['TEAMS_LOCAL=0', { TEAMS_LOCAL: '0' }, 'off', '0.0.0.0'],
      ['Microsoft credentials', { MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'pw', DATABASE_URL: 'postgres://db/hepo' }, 'authenticated', '0.0.0.0'],
    ])('%s: Teams %s, bound to %s by default', (_case, env, mode, host) => {
      expect(teamsOf(env)).toEqual({ teams: mode, host });
    });

    it('says why Teams is off and what turns it on', () => {
      expect(loadConfig({ DATABASE_URL: 'postgres://db/hepo' }).teams).toEqual(off);
    });

    it('lets HOST override the loopback default', () => {
      expect(teamsOf({ TEAMS_LOCAL: '1', HOST: '0.0.0.0' })).toEqual({ teams: 'local', host: '0.0.0.0' });
    });

    it('refuses local mode with a production database or with Microsoft credentials, and a value that is not 0 or 1', () => {
      expect(problemsOf({ TEAMS_LOCAL: '1', DATABASE_URL: 'postgres://db/hepo' })).toEqual([
        expect.stringMatching(/^TEAMS_LOCAL: local mode takes unauthenticated activities, so it runs on the embedded database only: unset DATABASE_URL/),
      ]);
      expect(problemsOf({ TEAMS_LOCAL: '1', MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'pw' })).toEqual([
        'TEAMS_LOCAL: local mode has no Bot Framework authentication: unset it to use MICROSOFT_APP_ID',
      ]);
      expect(problemsOf({ TEAMS_LOCAL: 'yes' })).toEqual([expect.stringMatching(/^TEAMS_LOCAL: expected 1 \(Teams local mode/)]);
    });
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
