import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { installWithOAuth, SLACK_OAUTH_ENV, type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { postSigned, slashCommand } from '../support/slack-requests';
import type { SlackStub } from '../support/slack-stub';

const teamInstall = {
  ok: true,
  app_id: 'A1',
  authed_user: { id: 'UADMIN' },
  scope: 'commands,chat:write',
  token_type: 'bot',
  access_token: 'xoxb-team-t9',
  bot_user_id: 'UBOT9',
  team: { id: 'T9', name: 'Nine' },
  enterprise: null,
  is_enterprise_install: false,
};
const gridInstall = {
  ...teamInstall,
  access_token: 'xoxb-grid-e1',
  team: null,
  enterprise: { id: 'E1', name: 'Grid' },
  is_enterprise_install: true,
};

describe('Slack multi-workspace OAuth install', () => {
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;

  beforeAll(async () => {
    running = await startSlackTestApp({
      stub: {
        users: [
          { id: 'UGIVER', name: 'Gia Giver', email: 'gia@nine.test' },
          { id: 'UANA', name: 'Ana Lopez', email: 'ana@nine.test' },
        ],
        oauthAccess: { 'code-team': teamInstall, 'code-grid': gridInstall },
      },
      env: SLACK_OAUTH_ENV,
    });
    ({ stub, app } = running);
  });
  afterAll(() => running?.close());

  const install = (code: string) => installWithOAuth(app.url, code);

  it('stores a workspace install in Postgres and then serves that workspace with its own token', async () => {
    const done = await install('code-team');
    expect(done.status).toBe(200);
    const stored = await app.db.selectFrom('slack_installations').select(['install_key', 'team_id']).execute();
    expect(stored).toEqual([{ install_key: 'team:T9', team_id: 'T9' }]);

    await postSigned(app.url, slashCommand({ teamId: 'T9', text: '<@UANA> 5 thanks!', responseUrl: stub.responseUrl('o') }));
    await stub.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length === 2);
    expect(stub.callsTo('chat.postMessage').map((c) => c.token)).toEqual(['xoxb-team-t9', 'xoxb-team-t9']);
    expect(stub.callsTo('users.info').every((c) => c.token === 'xoxb-team-t9')).toBe(true);
  });

  it('stores an Enterprise Grid org-wide install under the enterprise', async () => {
    const done = await install('code-grid');
    expect(done.status).toBe(200);
    const grid = await app.db.selectFrom('slack_installations').select(['install_key', 'is_enterprise_install']).where('enterprise_id', '=', 'E1').execute();
    expect(grid).toEqual([{ install_key: 'enterprise:E1', is_enterprise_install: true }]);
  });

  it('refuses a callback whose state was not issued by us, and stores nothing', async () => {
    const res = await fetch(`${app.url}/slack/oauth_redirect?code=code-team&state=forged`, { redirect: 'manual' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const count = await app.db.selectFrom('slack_installations').select(app.db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });
});
