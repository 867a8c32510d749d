import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { startLocalTeamsTestApp } from '../support/app';
import { type ConnectorStub, type RosterMember, rosterMember, startConnectorStub, teamsClient, type TeamsWhere } from '../support/connector-stub';
import { freshPostgres } from '../support/databases';
import { postSigned, SLACK_SIGNING_SECRET, slashCommand } from '../support/slack-requests';
import { type SlackStub, startSlackStub } from '../support/slack-stub';

const slackUsers = [
  { id: 'UHANA', name: 'Hana HR', email: 'hana@contoso.test', is_admin: true },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@contoso.test' },
  { id: 'UBEN', name: 'Ben Okafor', email: 'ben@contoso.test' },
];
const roster: RosterMember[] = [rosterMember('29:hana', 'Hana HR'), rosterMember('29:ana', 'Ana Lopez'), rosterMember('29:tom', 'Tom Teams')];
const ana = roster[1]!;
const CODE = /[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}/;

describe('a Slack workspace and a Teams tenant in one app: one org only once HR admins link them', () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let slack: SlackStub;
  let connector: ConnectorStub;
  let app: RunningApp;
  let teams: ReturnType<typeof teamsClient>;

  beforeAll(async () => {
    database = await freshPostgres();
    slack = await startSlackStub({ users: slackUsers });
    connector = await startConnectorStub(roster);
    app = await startLocalTeamsTestApp(database.url, { SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.apiUrl });
    teams = teamsClient(connector, () => app.url, { tenant: 'tenant-contoso', bot: { id: '28:bot', name: 'HEPO' }, roster });
  });
  afterAll(async () => {
    await app?.close();
    await slack?.close();
    await connector?.close();
    await database?.drop();
  });

  const chatOf = (userId: string): TeamsWhere => ({ conversationId: `a:personal-${userId.slice(3)}`, type: 'personal' });
  /** What the bot answered a Teams message with, as text. */
  async function teamsSays(userId: string, text: string, mentioned: RosterMember[] = []): Promise<string> {
    const before = connector.postedTo(chatOf(userId).conversationId).length;
    await teams.say(chatOf(userId), userId, text, mentioned);
    return JSON.stringify(connector.postedTo(chatOf(userId).conversationId).slice(before));
  }
  /** What the bot answered a Slack /hepo with, privately, as text. */
  async function slackSays(userId: string, text: string): Promise<string> {
    const answered = () => slack.calls.filter((c) => c.method === 'response_url' && c.responseTo === userId);
    const before = answered().length;
    const res = await postSigned(app.url, slashCommand({ command: '/hepo', text, userId, channelId: `D${userId}`, responseUrl: slack.responseUrl(userId) }));
    expect(res.status).toBe(200);
    await slack.waitFor(() => answered().length > before);
    return JSON.stringify(answered().at(-1)!.body);
  }
  const orgs = async () => (await app.db.selectFrom('orgs').select('id').execute()).map((o) => o.id);

  it('keeps the tenant a separate org at first: the Slack org chart is not the one Teams sees', async () => {
    // Hana is a Slack workspace admin; in Teams she is the first to install the app, so HR admin there too.
    await teams.install(chatOf('29:hana'), '29:hana', 'installationUpdate');
    expect(await slackSays('UHANA', 'org <@UANA> manager <@UBEN>')).toContain('✅ Updated Ana Lopez.');
    const inTeams = await teamsSays('29:hana', `hepo org <at>${ana.name}</at>`, [ana]);
    expect(inTeams).toContain('Ana Lopez');
    expect(inTeams).not.toContain('Ben Okafor');
    expect(await orgs()).toHaveLength(2);
  });

  it('lets only HR admins link, and refuses a wrong code kindly', async () => {
    expect(await teamsSays('29:tom', 'hepo link')).toContain('Only an HR admin can link this organization with another.');
    expect(await teamsSays('29:hana', 'hepo link ABCD-EFGH')).toContain("That link code doesn't work");
    expect(await app.db.selectFrom('org_link_codes').selectAll().execute()).toEqual([]);
  });

  it('links them with a code from Slack sent back in Teams: then a kudos and the org chart are one org', async () => {
    const offer = await slackSays('UHANA', 'link');
    const code = CODE.exec(offer)?.[0];
    expect(code).toBeDefined();
    expect(offer).toContain(`hepo link ${code}`);
    expect(offer).toContain('to me in Teams');
    // Only its hash is kept.
    expect(JSON.stringify(await app.db.selectFrom('org_link_codes').selectAll().execute())).not.toContain(code!.replace('-', ''));

    expect(await teamsSays('29:hana', `hepo link ${code!.toLowerCase()}`)).toContain(
      '✅ Linked: this Microsoft Teams tenant and the Slack workspace are now one organization.',
    );
    const [org] = await orgs();
    expect(await orgs()).toEqual([org]);
    // The same message again (a retry), or a new code asked for in Slack: nothing left to link.
    expect(await teamsSays('29:hana', `hepo link ${code}`)).toContain('already has its Slack workspace and its Microsoft Teams tenant linked');
    expect(await slackSays('UHANA', 'link')).toContain('already has its Slack workspace and its Microsoft Teams tenant linked');
    // The code's maker hears of it in Slack, once, naming who sent it back (Hana, matched by email).
    const notices = () => slack.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.body).includes('sent your link code back'));
    await slack.waitFor(() => notices().length > 0);
    expect(notices().map((c) => c.body.channel)).toEqual(['UHANA']);
    expect(JSON.stringify(notices()[0]!.body)).toContain('<@UHANA> sent your link code back from the Microsoft Teams tenant');

    // The edit made in Slack is the chart Teams sees.
    expect(await teamsSays('29:hana', `hepo org <at>${ana.name}</at>`, [ana])).toContain('Ben Okafor');
    // A kudos given in Teams is to the Ana Slack knows.
    await teams.say(chatOf('29:hana'), '29:hana', `kudos <at>${ana.name}</at> 10 thanks for the launch`, [ana]);
    const recipients = await app.db
      .selectFrom('kudos_recipients')
      .innerJoin('identities', 'identities.person_id', 'kudos_recipients.person_id')
      .select(['kudos_recipients.org_id', 'identities.platform', 'identities.platform_user_id'])
      .orderBy('identities.platform')
      .execute();
    expect(recipients).toEqual([
      { org_id: org, platform: 'slack', platform_user_id: 'UANA' },
      { org_id: org, platform: 'teams', platform_user_id: '29:ana' },
    ]);
  });
});
