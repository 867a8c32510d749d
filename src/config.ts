import path from 'node:path';
import { z } from 'zod';

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (what: string) => optional.refine((v) => v === undefined || URL.canParse(v), { message: `expected ${what}` });

const messagesPerSecond = z.coerce
  .number({ message: 'expected a number of messages a second' })
  .positive({ message: 'expected a number of messages a second, above 0' });
/** A timeout in milliseconds: at least 1 (0 would mean none). */
const millis = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: optional,
  PUBLIC_URL: url('the http(s) address people reach this app at, e.g. https://hepo.example.com'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: url('a postgres:// URL'),
  REDIS_URL: url('a redis:// URL'),
  ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: optional.refine((v) => v === undefined || v.startsWith('xoxb-'), {
    message: 'expected a bot token starting with xoxb-',
  }),
  SLACK_APP_TOKEN: optional.refine((v) => v === undefined || v.startsWith('xapp-'), {
    message: 'expected an app-level token starting with xapp-',
  }),
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional,
  SLACK_API_URL: url('an http(s) URL of the Slack Web API, ending in /api/'),
  SLACK_POSTS_PER_SECOND: messagesPerSecond.default(10),
  SLACK_CHANNEL_POSTS_PER_SECOND: messagesPerSecond.default(1),
  TEAMS_LOCAL: optional.refine((v) => v === undefined || v === '0' || v === '1', {
    message: 'expected 1 (Teams local mode: no authentication, this machine only) or 0',
  }),
  SLACK_TOKEN_KEYS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean)
        .map((k) => Buffer.from(k, 'base64')),
    )
    .refine((keys) => keys.every((k) => k.length === 32), {
      message: 'expected base64 keys of 32 bytes, separated by commas (make one with `openssl rand -base64 32`)',
    }),
  MICROSOFT_APP_ID: optional,
  MICROSOFT_APP_PASSWORD: optional,
  MICROSOFT_APP_TENANT_ID: optional,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  HR_ADMIN_EMAILS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((emails) => emails.every((e) => /^[^@\s]+@[^@\s]+$/.test(e)), { message: 'expected email addresses separated by commas' }),
  DATA_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  KUDOS_MAX_RECIPIENTS: z.coerce.number().int().min(1).max(50).default(20),
  DATABASE_CONNECT_TIMEOUT_MS: millis(2_000),
  DATABASE_STATEMENT_TIMEOUT_MS: millis(2_000),
  HTTP_HEADERS_TIMEOUT_MS: millis(10_000),
  HTTP_REQUEST_TIMEOUT_MS: millis(15_000),
  HTTP_BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).default(1_048_576),
  METRICS_TOKEN: optional.refine((v) => v === undefined || v.length >= 16, { message: 'expected at least 16 characters' }),
});

type Env = z.infer<typeof schema>;

export type SlackConfig =
  | { mode: 'off'; why: string }
  | {
      mode: 'token' | 'oauth';
      signingSecret: string;
      botToken?: string;
      appToken?: string;
      clientId?: string;
      clientSecret?: string;
      stateSecret?: string;
      apiUrl?: string;
      /** chat.postMessage paces: to the whole workspace, and to one channel or person. */
      postsPerSecond: number;
      channelPostsPerSecond: number;
      /** Seal installs' tokens at rest: the first key seals, every one opens (OAuth only). */
      tokenKeys: Buffer[];
    };

export type TeamsConfig =
  | { mode: 'off'; why: string }
  /** No app id, so the Bot Framework does no authentication: only this machine may post activities. */
  | { mode: 'local' }
  | { mode: 'authenticated'; appId: string; appPassword: string; appTenantId: string; appType: Env['MICROSOFT_APP_TYPE'] };

export interface Config {
  port: number;
  host: string;
  /** Where people's browsers reach the app, without a trailing slash (PUBLIC_URL). */
  publicUrl?: string;
  role: Env['ROLE'];
  logLevel: Env['LOG_LEVEL'];
  /** PGlite runs in-process, so only Postgres has timeouts (always set from the environment; tools may go without). */
  database: { kind: 'postgres'; url: string; timeouts?: DatabaseTimeouts } | { kind: 'pglite'; dataDir: string };
  redisUrl?: string;
  slack: SlackConfig;
  teams: TeamsConfig;
  /** People with these emails are HR admins when the bot first meets them (a Teams-only org needs one). */
  hrAdminEmails: string[];
  limits: Limits;
  http: HttpLimits;
  /** Credentials the configuration holds, which no log line may show (`createLogger`). */
  secrets: string[];
  /** Days an org's data outlives the app's removal from its last workspace, for a reinstall to find it. */
  dataRetentionDays: number;
}

/** How long Postgres may take before the interaction waiting on it is answered with an apology. */
export interface DatabaseTimeouts {
  connectTimeoutMs: number;
  /** Postgres cancels a statement running longer; the client stops waiting a little after. */
  statementTimeoutMs: number;
}

/** What one HTTP request may cost the server. */
export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  bodyLimitBytes: number;
  /** Bearer token /metrics asks for; without one, /metrics answers loopback callers only. */
  metricsToken?: string;
}

/** Bounds on what one interaction may ask for, checked before anything is written. */
export interface Limits {
  /** People one kudos may name. */
  kudosRecipients: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/**
 * Teams answers only when authenticated, or in local mode when asked for (TEAMS_LOCAL=1), or on the
 * try-it-out start (nothing configured at all): a production install without Microsoft credentials
 * must not take unauthenticated activities, even behind a proxy where every caller is loopback.
 */
function teamsConfig(env: Env, slack: SlackConfig, problems: string[]): TeamsConfig {
  if (env.TEAMS_LOCAL === '1') {
    if (env.DATABASE_URL) {
      problems.push(
        'TEAMS_LOCAL: local mode takes unauthenticated activities, so it runs on the embedded database only: unset DATABASE_URL, or set MICROSOFT_APP_ID',
      );
    }
    if (env.MICROSOFT_APP_ID) problems.push('TEAMS_LOCAL: local mode has no Bot Framework authentication: unset it to use MICROSOFT_APP_ID');
    return { mode: 'local' };
  }
  if (env.MICROSOFT_APP_ID) {
    if (!env.MICROSOFT_APP_PASSWORD && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
      problems.push('MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set');
    }
    if (env.MICROSOFT_APP_TYPE === 'SingleTenant' && !env.MICROSOFT_APP_TENANT_ID) {
      problems.push('MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE is SingleTenant');
    }
    return {
      mode: 'authenticated',
      appId: env.MICROSOFT_APP_ID,
      appPassword: env.MICROSOFT_APP_PASSWORD ?? '',
      appTenantId: env.MICROSOFT_APP_TENANT_ID ?? '',
      appType: env.MICROSOFT_APP_TYPE,
    };
  }
  const nothingConfigured = env.TEAMS_LOCAL === undefined && !env.DATABASE_URL && slack.mode === 'off';
  if (nothingConfigured) return { mode: 'local' };
  return {
    mode: 'off',
    why: 'set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (Bot Framework), or TEAMS_LOCAL=1 to try it from this machine on the embedded database',
  };
}

function slackConfig(env: Env, problems: string[]): SlackConfig {
  const oauth = Boolean(env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET);
  if (!env.SLACK_BOT_TOKEN && !oauth) {
    return { mode: 'off', why: 'set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID/SLACK_CLIENT_SECRET (OAuth install)' };
  }
  const missing = (name: string) => problems.push(`${name}: required when Slack is configured`);
  // Socket Mode has no HTTP requests to verify.
  if (!env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) missing('SLACK_SIGNING_SECRET');
  if (oauth) {
    if (!env.SLACK_CLIENT_ID) missing('SLACK_CLIENT_ID');
    if (!env.SLACK_CLIENT_SECRET) missing('SLACK_CLIENT_SECRET');
    if (!env.SLACK_STATE_SECRET) missing('SLACK_STATE_SECRET');
    if (env.SLACK_TOKEN_KEYS.length === 0) {
      problems.push('SLACK_TOKEN_KEYS: required with OAuth installs, to encrypt their tokens at rest (make one with `openssl rand -base64 32`)');
    }
  }
  return {
    mode: oauth ? 'oauth' : 'token',
    signingSecret: env.SLACK_SIGNING_SECRET ?? '',
    botToken: env.SLACK_BOT_TOKEN,
    appToken: env.SLACK_APP_TOKEN,
    clientId: env.SLACK_CLIENT_ID,
    clientSecret: env.SLACK_CLIENT_SECRET,
    stateSecret: env.SLACK_STATE_SECRET,
    apiUrl: env.SLACK_API_URL,
    postsPerSecond: env.SLACK_POSTS_PER_SECOND,
    channelPostsPerSecond: env.SLACK_CHANNEL_POSTS_PER_SECOND,
    tokenKeys: env.SLACK_TOKEN_KEYS,
  };
}

/** Reads and validates the environment; throws ConfigError listing every problem, one per variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const env = parsed.data;
  const problems: string[] = [];
  const slack = slackConfig(env, problems);
  const teams = teamsConfig(env, slack, problems);
  if (!env.REDIS_URL && env.ROLE !== 'all') {
    problems.push(`ROLE: ${env.ROLE} needs REDIS_URL (without Redis, jobs run inside the one process: ROLE=all)`);
  }
  // Node refuses a server whose headers may take longer than the whole request.
  if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS: expected no more than HTTP_REQUEST_TIMEOUT_MS');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port: env.PORT,
    // Teams local mode accepts unauthenticated activities: stay on loopback unless HOST says otherwise
    // (the Teams endpoint itself still refuses non-loopback callers then).
    host: env.HOST ?? (teams.mode === 'local' ? '127.0.0.1' : '0.0.0.0'),
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL.replace(/\/+$/, '') } : {}),
    role: env.ROLE,
    logLevel: env.LOG_LEVEL,
    database: env.DATABASE_URL
      ? {
          kind: 'postgres',
          url: env.DATABASE_URL,
          timeouts: { connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS, statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS },
        }
      : { kind: 'pglite', dataDir: path.resolve(env.DATA_DIR) },
    redisUrl: env.REDIS_URL,
    slack,
    teams,
    hrAdminEmails: env.HR_ADMIN_EMAILS,
    limits: { kudosRecipients: env.KUDOS_MAX_RECIPIENTS },
    http: {
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      bodyLimitBytes: env.HTTP_BODY_LIMIT_BYTES,
      metricsToken: env.METRICS_TOKEN,
    },
    dataRetentionDays: env.DATA_RETENTION_DAYS,
    secrets: [
      env.SLACK_SIGNING_SECRET,
      env.SLACK_BOT_TOKEN,
      env.SLACK_APP_TOKEN,
      env.SLACK_CLIENT_SECRET,
      env.SLACK_STATE_SECRET,
      env.MICROSOFT_APP_PASSWORD,
      env.METRICS_TOKEN,
      ...env.SLACK_TOKEN_KEYS.map((k) => k.toString('base64')),
    ].filter((s) => s !== undefined),
  };
}
