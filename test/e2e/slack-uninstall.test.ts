import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { purgeRemoved } from '../../src/retention/purge-removed-workspaces.job';
import { fakeClock } from '../support/fake-clock';
import { installWithOAuth, SLACK_OAUTH_ENV, type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { postSigned, postSignedEvent, slashCommand } from '../support/slack-requests';
import type { SlackStub } from '../support/slack-stub';
import { until } from '../support/wait';

const DAY_MS = 24 * 60 * 60_000;

/** What oauth.v2.access answers for an install of workspace T{n}, whose admin also granted a user token. */
const installOf = (n: number) => ({
  ok: true,
  app_id: 'A1',
  authed_user: { id: `U${n}A`, access_token: `xoxp-user-${n}`, scope: 'identify', token_type: 'user' },
  scope: 'commands,chat:write',
  token_type: 'bot',
  access_token: `xoxb-bot-${n}`,
  bot_user_id: `UBOT${n}`,
  team: { id: `T${n}`, name: `Team ${n}` },
  enterprise: null,
  is_enterprise_install: false,
});

/** Runs the daily purge now, by the app's (fake) clock, and gives it time to finish. */
async function purge(app: RunningApp): Promise<void> {
  await app.jobs.enqueue(purgeRemoved, {});
  await new Promise((r) => setTimeout(r, 500));
}

describe('Slack workspaces that remove the app', () => {
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;
  const time = fakeClock('2026-03-02T10:00:00Z');
  const unavailable: string[] = [];

  beforeAll(async () => {
    running = await startSlackTestApp({
      clock: time.clock,
      stub: {
        users: [6, 7, 8, 9].flatMap((n) => [
          { id: `U${n}A`, name: `Ana ${n}`, email: `ana@t${n}.test`, is_admin: true },
          { id: `U${n}B`, name: `Ben ${n}`, email: `ben@t${n}.test` },
        ]),
        oauthAccess: Object.fromEntries([6, 7, 8, 9].map((n) => [`code-${n}`, installOf(n)])),
        unavailable,
      },
      env: SLACK_OAUTH_ENV,
    });
    ({ stub, app } = running);
  });
  afterAll(() => running?.close());

  /** Ana's command in workspace T{n}, once answered. */
  async function command(n: number, command: string, text: string): Promise<void> {
    const answered = stub.callsTo('response_url').length;
    await postSigned(app.url, slashCommand({ command, text, teamId: `T${n}`, userId: `U${n}A`, responseUrl: stub.responseUrl(`r${n}`) }));
    await stub.waitFor(() => stub.callsTo('response_url').length > answered);
  }
  const orgOf = async (n: number) =>
    (await app.db.selectFrom('org_workspaces').select('org_id').where('platform', '=', 'slack').where('external_id', '=', `T${n}`).executeTakeFirst())?.org_id;
  /** Rows per table that carries org_id (every table of an org's data), for one org; only tables that have any. */
  async function rowsOf(orgId: string): Promise<Record<string, number>> {
    const { rows: tables } = await sql<{ name: string }>`
      select table_name as name from information_schema.columns where table_schema = current_schema() and column_name = 'org_id'`.execute(app.db);
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)} where org_id = ${orgId}`.execute(app.db);
      if (rows[0]!.n > 0) counts[name] = rows[0]!.n;
    }
    const org = await app.db.selectFrom('orgs').select('id').where('id', '=', orgId).executeTakeFirst();
    return org ? { ...counts, orgs: 1 } : counts;
  }

  /** Kudos, an org chart, a 1:1 with its agenda and a feedback request: the org's data in most of its tables. */
  async function useTheApp(n: number): Promise<void> {
    await command(n, '/hepo', `org <@U${n}B> manager <@U${n}A>`);
    await command(n, '/kudos', `<@U${n}B> 5 thanks for the launch`);
    await command(n, '/checkin', `1on1 <@U${n}B> every friday 10:00`);
    await command(n, '/checkin', `agenda <@U${n}B> add Launch retro`);
    await command(n, '/feedback', `request <@U${n}B> about the launch`);
    await until(async () => {
      const org = await orgOf(n);
      if (!org) return false;
      const rows = await rowsOf(org);
      return ['kudos', 'one_on_ones', 'agenda_items', 'feedback_requests'].every((t) => (rows[t] ?? 0) > 0);
    });
    await until(async () => {
      const pending = await app.db.selectFrom('notifications').select('id').where('status', '=', 'pending').execute();
      return pending.length === 0;
    });
  }

  it('stores no token in clear, bot or user, access or refresh', async () => {
    for (const n of [6, 7, 8, 9]) expect((await installWithOAuth(app.url, `code-${n}`)).status).toBe(200);
    const { rows } = await sql<{ raw: string }>`select installation::text as raw from slack_installations`.execute(app.db);
    expect(rows).toHaveLength(4);
    for (const { raw } of rows) {
      expect(raw).not.toMatch(/xox[bpe]-|xoxe\./);
      expect(raw).toMatch(/"token": "enc:v1:/);
    }
  });

  it("drops a user token Slack revoked and keeps the bot's, which goes on working", async () => {
    await postSignedEvent(app.url, { type: 'tokens_revoked', tokens: { oauth: ['U8A'] } }, 'T8');
    await until(async () => {
      const row = await app.db.selectFrom('slack_installations').select('installation').where('install_key', '=', 'team:T8').executeTakeFirstOrThrow();
      return !(row.installation as { user: { token?: string } }).user.token;
    });
    await useTheApp(8);
    const toBen = stub.callsTo('chat.postMessage').filter((c) => c.body.channel === 'U8B');
    expect(toBen.length).toBeGreaterThan(0);
    expect(new Set(toBen.map((c) => c.token))).toEqual(new Set(['xoxb-bot-8']));
  });

  it('deletes the tokens at once on app_uninstalled, and ends what was still to send as undeliverable, not retried', async () => {
    await useTheApp(9);
    // Slack is down as Ben's kudos goes out: the DM and the post wait for their retry.
    unavailable.push('chat.postMessage');
    await command(9, '/kudos', '<@U9B> 3 for the demo');
    const waiting = () =>
      app.db.selectFrom('notifications').select(['id', 'attempts']).where('status', '=', 'pending').where('last_error', 'like', '%HTTP 503%').execute();
    await until(async () => (await waiting()).length === 2);
    const before = await waiting();
    unavailable.pop();
    const posted = stub.callsTo('chat.postMessage').length;

    const res = await postSignedEvent(app.url, { type: 'app_uninstalled' }, 'T9');
    expect(res.status).toBe(200);
    await until(async () => (await app.db.selectFrom('slack_installations').select('install_key').where('install_key', '=', 'team:T9').execute()).length === 0);
    // The post, the DM, and the DM's fallback (telling Ana that Ben couldn't be reached) all end, unsent.
    const unsent = () => app.db.selectFrom('notifications').select(['id', 'status', 'attempts', 'last_error']).where('status', '!=', 'sent').execute();
    await until(async () => {
      const rows = await unsent();
      return rows.length === 3 && rows.every((r) => r.status === 'undeliverable');
    }, 10_000);
    const ended = await unsent();
    expect(ended.every((n) => /not installed/.test(n.last_error ?? ''))).toBe(true);
    for (const { id, attempts } of before) expect(ended.find((n) => n.id === id)!.attempts).toBeLessThanOrEqual(attempts + 1);
    expect(stub.callsTo('chat.postMessage').length).toBe(posted);
  });

  it("deletes every row of a removed workspace's org after the grace period, unless it came back; other orgs keep theirs", async () => {
    await useTheApp(7);
    await useTheApp(6);
    const [leaving, back, staying, linked] = [await orgOf(9), await orgOf(7), await orgOf(8), await orgOf(6)];
    // The org of T6 also has a Teams tenant, which keeps it alive.
    await app.db.insertInto('org_workspaces').values({ platform: 'teams', external_id: 'tenant-6', org_id: linked! }).execute();
    const before = { back: await rowsOf(back!), staying: await rowsOf(staying!), linked: await rowsOf(linked!) };
    expect(Object.keys(await rowsOf(leaving!)).length).toBeGreaterThanOrEqual(10);

    await postSignedEvent(app.url, { type: 'app_uninstalled' }, 'T7');
    await postSignedEvent(app.url, { type: 'tokens_revoked', tokens: { bot: ['UBOT6'] } }, 'T6');
    await until(async () => (await app.db.selectFrom('slack_installations').select('install_key').execute()).length === 1);
    time.advance(DAY_MS);
    expect((await installWithOAuth(app.url, 'code-7')).status).toBe(200);

    time.advance(28 * DAY_MS);
    await purge(app);
    expect(await rowsOf(leaving!)).toMatchObject({ orgs: 1, kudos: 2 });

    time.advance(2 * DAY_MS);
    await purge(app);
    await until(async () => Object.keys(await rowsOf(leaving!)).length === 0);
    expect(await rowsOf(back!)).toEqual(before.back);
    expect(await rowsOf(staying!)).toEqual(before.staying);
    // The linked org loses only what belonged to the Slack workspace: its link and its people's Slack ids.
    const { identities, org_workspaces, ...rest } = before.linked;
    expect(await rowsOf(linked!)).toEqual({ ...rest, org_workspaces: 1 });
    expect(identities).toBeGreaterThan(0);
    expect(org_workspaces).toBe(2);
  });
});

describe('a single-token Slack app that is uninstalled', () => {
  let running: SlackTestApp;
  const lines: string[] = [];
  const time = fakeClock('2026-03-02T10:00:00Z');

  beforeAll(async () => {
    running = await startSlackTestApp({
      clock: time.clock,
      stub: {
        users: [
          { id: 'UGIA', name: 'Gia Giver' },
          { id: 'UANA', name: 'Ana Lopez' },
        ],
      },
      env: { LOG_LEVEL: 'warn' },
      logDestination: { write: (line: string) => lines.push(line) },
    });
  });
  afterAll(() => running?.close());

  it("keeps the org's data, which its operator owns, and says in the log that the token no longer works", async () => {
    const { app, stub } = running;
    await postSigned(app.url, slashCommand({ userId: 'UGIA', text: '<@UANA> 5 thanks', responseUrl: stub.responseUrl('g') }));
    await until(async () => (await app.db.selectFrom('kudos').select('id').execute()).length === 1);
    await postSignedEvent(app.url, { type: 'app_uninstalled' }, 'T1');
    await until(() => lines.some((l) => l.includes('SLACK_BOT_TOKEN no longer works')));

    time.advance(365 * DAY_MS);
    await purge(app);
    const links = await app.db.selectFrom('org_workspaces').select('removed_at').execute();
    expect(links).toEqual([{ removed_at: null }]);
    expect(await app.db.selectFrom('kudos').select('id').execute()).toHaveLength(1);
  });
});
