import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { tokenCipher } from '../../src/adapters/slack/token-cipher';
import { startTestApp } from '../support/app';
import { fakeClock } from '../support/fake-clock';
import { installWithOAuth, SLACK_OAUTH_ENV, SLACK_TOKEN_KEY, type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { postSigned, slashCommand } from '../support/slack-requests';
import type { SlackStub } from '../support/slack-stub';

const HOUR_MS = 60 * 60_000;
/** Slack's rotating tokens last 12 hours. */
const TWELVE_HOURS_S = 12 * 60 * 60;

const rotatingInstall = {
  ok: true,
  app_id: 'A1',
  authed_user: { id: 'URIA' },
  scope: 'commands,chat:write',
  token_type: 'bot',
  access_token: 'xoxe.xoxb-1-initial',
  refresh_token: 'xoxe-1-first',
  expires_in: TWELVE_HOURS_S,
  bot_user_id: 'UBOTR',
  team: { id: 'TR', name: 'Rotating' },
  enterprise: null,
  is_enterprise_install: false,
};

const rawInstallations = async (app: RunningApp) =>
  (await sql<{ key: string; raw: string }>`select install_key as key, installation::text as raw from slack_installations order by 1`.execute(app.db)).rows;

describe('Slack install tokens', () => {
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;
  const time = fakeClock('2026-05-04T08:00:00Z');
  const others: RunningApp[] = [];

  beforeAll(async () => {
    running = await startSlackTestApp({
      clock: time.clock,
      stub: {
        users: [
          { id: 'URIA', name: 'Ria Rota', email: 'ria@rota.test' },
          { id: 'UROB', name: 'Rob Rota', email: 'rob@rota.test' },
          { id: 'UPIA', name: 'Pia Plain', email: 'pia@plain.test' },
          { id: 'UPAT', name: 'Pat Plain', email: 'pat@plain.test' },
        ],
        oauthAccess: { 'code-r': rotatingInstall },
        tokenRotation: { firstRefreshToken: 'xoxe-1-first', expiresIn: TWELVE_HOURS_S },
      },
      env: SLACK_OAUTH_ENV,
    });
    ({ stub, app } = running);
  });
  afterAll(async () => {
    for (const other of others) await other.close();
    await running?.close();
  });

  const kudos = (appUrl: string, teamId: string, giver: string, to: string) =>
    postSigned(appUrl, slashCommand({ teamId, userId: giver, text: `<@${to}> 2 thanks`, responseUrl: stub.responseUrl(giver) }));
  const refreshes = () => stub.callsTo('oauth.v2.access').filter((c) => c.body.grant_type === 'refresh_token');
  const postsTo = (channel: string) => stub.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);

  it('refreshes a rotating bot token once when less than ten minutes are left, even when two requests need it at once, and stores the new pair sealed', async () => {
    expect((await installWithOAuth(app.url, 'code-r')).status).toBe(200);
    await kudos(app.url, 'TR', 'URIA', 'UROB');
    await stub.waitFor(() => postsTo('UROB').length === 1);
    expect(postsTo('UROB')[0]!.token).toBe('xoxe.xoxb-1-initial');

    time.advance(11 * HOUR_MS + 45 * 60_000);
    await kudos(app.url, 'TR', 'URIA', 'UROB');
    await stub.waitFor(() => postsTo('UROB').length === 2);
    expect(refreshes()).toHaveLength(0);

    time.advance(6 * 60_000); // nine minutes left
    await Promise.all([kudos(app.url, 'TR', 'URIA', 'UROB'), kudos(app.url, 'TR', 'UROB', 'URIA')]);
    await stub.waitFor(() => postsTo('UROB').length === 3 && postsTo('URIA').length === 1);
    expect(refreshes().map((c) => [c.body.refresh_token, c.body.client_id])).toEqual([['xoxe-1-first', 'client-id']]);
    expect([postsTo('UROB')[2]!.token, postsTo('URIA')[0]!.token]).toEqual(['xoxe.xoxb-rotated-1', 'xoxe.xoxb-rotated-1']);

    const [row] = await rawInstallations(app);
    expect(row!.raw).not.toMatch(/xox[a-z][.-]/);
    const cipher = tokenCipher([Buffer.from(SLACK_TOKEN_KEY, 'base64')]);
    const stored = JSON.parse(row!.raw) as { bot: { token: string; refreshToken: string } };
    expect([cipher.open(stored.bot.token).plain, cipher.open(stored.bot.refreshToken).plain]).toEqual(['xoxe.xoxb-rotated-1', 'xoxe-1-refresh-1']);

    // The next refresh trades the stored refresh token (Slack refuses the first one now).
    time.advance(12 * HOUR_MS);
    await kudos(app.url, 'TR', 'URIA', 'UROB');
    await stub.waitFor(() => postsTo('UROB').length === 4);
    expect(refreshes().map((c) => c.body.refresh_token)).toEqual(['xoxe-1-first', 'xoxe-1-refresh-1']);
    expect(postsTo('UROB')[3]!.token).toBe('xoxe.xoxb-rotated-2');
  });

  it('seals tokens stored in clear before encryption at start, and again under a new first key, so the old key can go', async () => {
    // As the version before sealing stored an install.
    const plain = { team: { id: 'TP' }, enterprise: undefined, bot: { token: 'xoxb-plain-tp', userId: 'UBOTP', id: 'BP', scopes: [] }, user: { id: 'UPIA' } };
    await app.db
      .insertInto('slack_installations')
      .values({ install_key: 'team:TP', team_id: 'TP', enterprise_id: null, is_enterprise_install: false, installation: JSON.stringify(plain) })
      .execute();
    const newKey = Buffer.alloc(32, 9).toString('base64');
    const start = (keys: string) => startTestApp({ ...running.env, SLACK_TOKEN_KEYS: keys }, { clock: time.clock }).then((a) => (others.push(a), a));

    const both = await start(`${newKey},${SLACK_TOKEN_KEY}`);
    const sealed = await rawInstallations(both);
    expect(sealed.map((r) => r.key)).toEqual(['team:TP', 'team:TR']);
    const newKeyOnly = tokenCipher([Buffer.from(newKey, 'base64')]);
    for (const { raw } of sealed) {
      expect(raw).not.toMatch(/xox[a-z][.-]/);
      const { bot } = JSON.parse(raw) as { bot: { token: string } };
      expect(newKeyOnly.open(bot.token).stale).toBe(false);
    }

    // A second start has nothing left to seal.
    await start(`${newKey},${SLACK_TOKEN_KEY}`);
    expect(await rawInstallations(both)).toEqual(sealed);

    // Without the old key, both workspaces still work.
    const onlyNew = await start(newKey);
    await kudos(onlyNew.url, 'TP', 'UPIA', 'UPAT');
    await kudos(onlyNew.url, 'TR', 'URIA', 'UROB');
    await stub.waitFor(() => postsTo('UPAT').length === 1 && postsTo('UROB').length === 5);
    expect([postsTo('UPAT')[0]!.token, postsTo('UROB')[4]!.token]).toEqual(['xoxb-plain-tp', 'xoxe.xoxb-rotated-2']);
  });
});
