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

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: optional,
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
  KUDOS_MAX_RECIPIENTS: z.coerce.number().int().min(1).max(50).default(20),
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
    };

export interface TeamsConfig {
  /** Local mode: no app id, so the Bot Framework does no authentication and we only listen on loopback. */
  local: boolean;
  appId: string;
  appPassword: string;
  appTenantId: string;
  appType: Env['MICROSOFT_APP_TYPE'];
}

export interface Config {
  port: number;
  host: string;
  role: Env['ROLE'];
  logLevel: Env['LOG_LEVEL'];
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  redisUrl?: string;
  slack: SlackConfig;
  teams: TeamsConfig;
  /** People with these emails are HR admins when the bot first meets them (a Teams-only org needs one). */
  hrAdminEmails: string[];
  limits: Limits;
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
  if (env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_PASSWORD && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    problems.push('MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set');
  }
  if (env.MICROSOFT_APP_TYPE === 'SingleTenant' && env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_TENANT_ID) {
    problems.push('MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE is SingleTenant');
  }
  if (!env.REDIS_URL && env.ROLE !== 'all') {
    problems.push(`ROLE: ${env.ROLE} needs REDIS_URL (without Redis, jobs run inside the one process: ROLE=all)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const teamsLocal = !env.MICROSOFT_APP_ID;
  return {
    port: env.PORT,
    // Teams local mode accepts unauthenticated activities: stay on loopback unless HOST says otherwise
    // (the Teams endpoint itself still refuses non-loopback callers then).
    host: env.HOST ?? (teamsLocal ? '127.0.0.1' : '0.0.0.0'),
    role: env.ROLE,
    logLevel: env.LOG_LEVEL,
    database: env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: path.resolve(env.DATA_DIR) },
    redisUrl: env.REDIS_URL,
    slack,
    teams: {
      local: teamsLocal,
      appId: env.MICROSOFT_APP_ID ?? '',
      appPassword: env.MICROSOFT_APP_PASSWORD ?? '',
      appTenantId: env.MICROSOFT_APP_TENANT_ID ?? '',
      appType: env.MICROSOFT_APP_TYPE,
    },
    hrAdminEmails: env.HR_ADMIN_EMAILS,
    limits: { kudosRecipients: env.KUDOS_MAX_RECIPIENTS },
  };
}
