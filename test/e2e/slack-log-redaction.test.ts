import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { installWithOAuth, SLACK_OAUTH_ENV, type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { postSigned, SLACK_SIGNING_SECRET, slashCommand } from '../support/slack-requests';
import type { SlackStub } from '../support/slack-stub';
import { until } from '../support/wait';

const install = {
  ok: true,
  app_id: 'A1',
  authed_user: { id: 'ULOG', access_token: 'xoxp-user-secret-1', scope: 'identify', token_type: 'user' },
  scope: 'commands,chat:write',
  token_type: 'bot',
  access_token: 'xoxe.xoxb-1-bot-secret',
  refresh_token: 'xoxe-1-refresh-secret',
  expires_in: 43_200,
  bot_user_id: 'UBOTL',
  team: { id: 'TL', name: 'Logs' },
  enterprise: null,
  is_enterprise_install: false,
};

/** Everything that must never reach a log line. */
const SECRETS = [
  'xoxe.xoxb-1-bot-secret',
  'xoxe-1-refresh-secret',
  'xoxp-user-secret-1',
  SLACK_SIGNING_SECRET,
  SLACK_OAUTH_ENV.SLACK_CLIENT_SECRET,
  SLACK_OAUTH_ENV.SLACK_STATE_SECRET,
  SLACK_OAUTH_ENV.SLACK_TOKEN_KEYS,
];

describe('logs at trace level', () => {
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;
  const lines: string[] = [];

  beforeAll(async () => {
    running = await startSlackTestApp({
      stub: {
        users: [
          { id: 'ULOG', name: 'Lou Logger', email: 'lou@logs.test' },
          { id: 'UANA', name: 'Ana Lopez', email: 'ana@logs.test' },
        ],
        oauthAccess: { 'code-l': install },
        // Messages fail: Slack is down.
        unavailable: ['chat.postMessage'],
      },
      env: { ...SLACK_OAUTH_ENV, LOG_LEVEL: 'trace' },
      logDestination: { write: (line: string) => lines.push(line) },
    });
    ({ stub, app } = running);
  });
  afterAll(() => running?.close());

  it('hold no token, refresh token, signing secret, client secret or key, through an install, a command and failing API calls', async () => {
    expect((await installWithOAuth(app.url, 'code-l')).status).toBe(200);
    await postSigned(app.url, slashCommand({ teamId: 'TL', userId: 'ULOG', text: '<@UANA> 5 thanks', responseUrl: stub.responseUrl('l') }));
    // Someone Slack doesn't know: users.info fails through the Web API client.
    await postSigned(app.url, slashCommand({ teamId: 'TL', userId: 'ULOG', text: '<@UNOBODY> 5 thanks', responseUrl: stub.responseUrl('l') }));
    await until(() => stub.callsTo('response_url').length === 2 && lines.some((l) => l.includes('job failed')));

    expect(lines.length).toBeGreaterThan(20);
    const logged = lines.join('');
    expect(logged).toMatch(/user_not_found/);
    expect(logged).toMatch(/chat\.postMessage: HTTP 503/);
    // The Web API client logs the install's request body, client secret and all, at debug level.
    expect(logged).toMatch(/client_secret\\":\\"\[Redacted\]/);
    for (const secret of SECRETS) expect(logged).not.toContain(secret);
    expect(logged).not.toMatch(/xox[a-z][.-]|xapp-/);
  });
});
