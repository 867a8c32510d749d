import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import {
  cardActions,
  cardOf,
  cardProblems,
  type ConnectorStub,
  type RosterMember,
  rosterMember,
  type teamsClient,
  type TeamsWhere,
} from '../support/connector-stub';
import { type TeamsTestApp, startTeamsTestApp } from '../support/teams-app';

const CARD = 'application/vnd.microsoft.card.adaptive';
const roster: RosterMember[] = [
  rosterMember('29:pete', 'Pete Peer'),
  rosterMember('29:olga', 'Olga Other'),
  rosterMember('29:maya', 'Maya Manager'),
  rosterMember('29:ana', 'Ana Lopez'),
  rosterMember('29:ben', 'Ben Okafor'),
  rosterMember('29:nia', 'Nia Newcomer'),
  rosterMember('29:tess', 'Tess Late'),
];
const HEADER = 'email,manager_email,department,title,role';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');
const textOf = (value: unknown) => JSON.stringify(value);

describe('org chart import and org settings in Teams (no HR_ADMIN_EMAILS)', () => {
  let stub: ConnectorStub;
  let app: RunningApp;
  let running: TeamsTestApp;
  let teams: ReturnType<typeof teamsClient>;

  beforeAll(async () => {
    // Only Pete's and Maya's clients send a time zone.
    running = await startTeamsTestApp({ roster, timezones: { '29:pete': 'Europe/Lisbon', '29:maya': 'Europe/Lisbon' } });
    ({ app, stub, teams } = running);
  });
  afterAll(() => running?.close());

  const chatOf = (userId: string): TeamsWhere => ({ conversationId: `a:personal-${userId.slice(3)}`, type: 'personal' });
  const inChat = (userId: string) => stub.postedTo(chatOf(userId).conversationId);
  const lastIn = (userId: string) => inChat(userId).at(-1)!;
  const say = async (userId: string, text: string) => {
    const before = inChat(userId).length;
    await teams.say(chatOf(userId), userId, text);
    return inChat(userId).slice(before);
  };
  async function sendFile(content: string, name = 'chart.csv') {
    const before = inChat('29:pete').length;
    await teams.sendFile(chatOf('29:pete'), '29:pete', 'hepo org import', { name, content });
    expect(inChat('29:pete')).toHaveLength(before + 1);
    return lastIn('29:pete');
  }
  const roleOf = async (name: string) => (await app.db.selectFrom('people').select('role').where('display_name', '=', name).executeTakeFirst())?.role;
  const chart = async () =>
    (
      await app.db
        .selectFrom('people as p')
        .leftJoin('people as m', 'm.id', 'p.manager_id')
        .select(['p.display_name as name', 'm.display_name as manager', 'p.department', 'p.title', 'p.role'])
        .orderBy('p.display_name')
        .execute()
    ).map((p) => `${p.name}: ${p.manager ?? '-'} | ${p.department ?? '-'} | ${p.title ?? '-'} | ${p.role}`);

  it('makes the first person to install the app in their own chat, in a tenant with no HR admin, an HR admin, once', async () => {
    await teams.install(chatOf('29:pete'), '29:pete', 'installationUpdate');
    // The answer to the install (the welcome comes too, through the outbox, in either order).
    const told =
      inChat('29:pete')
        .map((p) => textOf(p.activity))
        .find((t) => t.includes('no HR admin yet')) ?? '';
    expect(told).toContain('Your organization has no HR admin yet, and you are the first to install me, so you are it.');
    expect(told).toContain('hepo org @someone role HR admin');
    expect(await roleOf('Pete Peer')).toBe('hr_admin');

    // Teams also says it with a conversationUpdate; and the next person to install is not made one.
    await teams.install(chatOf('29:pete'), '29:pete', 'conversationUpdate');
    await teams.install(chatOf('29:olga'), '29:olga', 'installationUpdate');
    const welcomed = (userId: string) => inChat(userId).filter((p) => p.activity.summary === 'Welcome to HEPO').length === 1;
    await stub.waitFor(() => welcomed('29:pete') && welcomed('29:olga'));
    expect(inChat('29:pete')).toHaveLength(2);
    expect(inChat('29:olga')).toHaveLength(1);
    expect(await roleOf('Olga Other')).toBe('employee');
  });

  it('answers help after a command with its usage in Teams’ words, privately', async () => {
    const [usage] = await say('29:olga', 'checkin help');
    const card = textOf(usage!.activity);
    expect(card).toContain('**checkin**:');
    expect(card).toContain('\\n\\n- **checkin** your check-ins and streak · **checkin setup** set up your team');
    expect(card).toContain('**checkin 1on1 @');
    expect(card).not.toMatch(/\/(kudos|checkin)|`|\*\*kudos/);
  });

  it('answers hepo with every command, and HR admins also with the org settings', async () => {
    const [forOlga] = await say('29:olga', 'hepo');
    expect(textOf(forOlga!.activity)).toContain('Here is what I can do');
    expect(textOf(forOlga!.activity)).not.toContain('Organization settings');
    const [forPete] = await say('29:pete', 'hepo help');
    const card = cardOf(forPete!.activity);
    // In Teams' words: commands as typed to the bot, one per line of a list, examples with a colleague.
    expect(textOf(card)).toContain('\\r- **hepo org import** the whole org chart');
    expect(textOf(card)).toContain('**feedback @Olga**');
    expect(textOf(card)).toContain('**kudos channel here**, typed in a channel');
    expect(textOf(card)).not.toContain('#recognition');
    expect(textOf(card)).not.toMatch(/\/(kudos|checkin|feedback|hepo)|`|@name|\{typed/);
    expect(textOf(card)).toContain('Organization settings');
    expect(textOf(card)).toContain('**feedback 360 settings** the competencies and open questions');
    expect(textOf(card)).toContain('5 competencies, 2 open questions; confidential groups of at least 3');
    expect(cardActions(card).map((a: any) => a.title)).toEqual(['Change settings', '360° feedback settings']);
    expect(cardProblems(card)).toEqual([]);
  });

  describe('the import', () => {
    it('asks for the file in the 1:1 chat, and only an HR admin', async () => {
      const [refused] = await say('29:olga', 'hepo org import');
      expect(textOf(refused!.activity)).toContain('Only an HR admin can change the org chart.');
      const [asked] = await say('29:pete', 'hepo org import');
      expect(textOf(asked!.activity)).toContain('Send me the file here, in a message that says **hepo org import**.');
    });

    it('reports every problem with its line, is honest about whom Teams lets it find, and changes nothing', async () => {
      await say('29:maya', 'hepo');
      await say('29:ana', 'hepo');
      const before = await chart();
      const answer = textOf(
        cardOf((await sendFile(csv('ana@contoso.test,maya@contoso.test,,,', 'zoe@contoso.test,,,,', 'maya@contoso.test,,,,boss'))).activity),
      );
      expect(answer).toContain('chart.csv: 2 problems, so nothing changed.');
      expect(answer).toContain("line 3: I can't find anyone with the email zoe@contoso.test.");
      expect(answer).toContain('line 4: I don');
      expect(answer).toContain('In Teams I can only match people I have met or who are in a team or group chat I am in');
      expect(await chart()).toEqual(before);
    });

    it('stops reading a file past 1 MB and says so', async () => {
      const answer = textOf(cardOf((await sendFile(`${HEADER}\n${'x'.repeat(1_000_000)}`, 'huge.csv')).activity));
      expect(answer).toContain('huge.csv is over 1 MB.');
    });

    it('applies a good file after its dry run, once, creating the people the rosters know', async () => {
      const dryRun = await sendFile(
        csv(
          'maya@contoso.test,,Design,Head of Design,manager',
          'ana@contoso.test,maya@contoso.test,Design,Designer,',
          'nia@contoso.test,maya@contoso.test,Design,Illustrator,',
          'pete@contoso.test,,People,HR lead,HR admin',
        ),
      );
      const card = cardOf(dryRun.activity);
      expect(textOf(card)).toContain('chart.csv: 1 to add, 3 to change, 0 already as the file says.');
      expect(textOf(card)).toContain('**Nia Newcomer** (nia@contoso.test, line 4): manager Maya Manager');
      expect(cardProblems(card)).toEqual([]);
      const res = await teams.execute(chatOf('29:pete'), '29:pete', dryRun, 'Apply 4 changes');
      expect(res.body.type).toBe(CARD);
      expect(textOf(res.body.value)).toContain('✅ Applied chart.csv to the org chart: 1 added, 3 changed.');
      expect(cardActions(res.body.value)).toEqual([]);
      const applied = await chart();
      expect(applied).toEqual([
        'Ana Lopez: Maya Manager | Design | Designer | employee',
        'Maya Manager: - | Design | Head of Design | manager',
        'Nia Newcomer: Maya Manager | Design | Illustrator | employee',
        'Olga Other: - | - | - | employee',
        'Pete Peer: - | People | HR lead | hr_admin',
      ]);
      const nia = await app.db
        .selectFrom('identities')
        .innerJoin('people', 'people.id', 'identities.person_id')
        .select(['platform', 'platform_user_id'])
        .where('display_name', '=', 'Nia Newcomer')
        .execute();
      expect(nia).toEqual([{ platform: 'teams', platform_user_id: '29:nia' }]);

      // The same card clicked again: nothing more.
      const again = await teams.execute(chatOf('29:pete'), '29:pete', dryRun, 'Apply 4 changes');
      expect(textOf(again.body.value)).toContain('This import is applied already; nothing more changed.');
      expect(await chart()).toEqual(applied);
    });

    it('refuses a file that would make a loop, at the dry run', async () => {
      const answer = textOf(cardOf((await sendFile(csv('maya@contoso.test,nia@contoso.test,,,'))).activity));
      expect(answer).toContain('line 2: this makes a loop: maya@contoso.test → nia@contoso.test → maya@contoso.test');
      expect(answer).not.toContain('Apply');
    });

    it('applies nothing when someone joined the chart between the dry run and the confirm', async () => {
      const dryRun = await sendFile(csv('ben@contoso.test,maya@contoso.test,Design,Intern,', 'ana@contoso.test,maya@contoso.test,Design,Senior Designer,'));
      await say('29:ben', 'hepo');
      const before = await chart();
      const res = await teams.execute(chatOf('29:pete'), '29:pete', dryRun, 'Apply 2 changes');
      expect(textOf(res.body.value)).toContain('The org chart changed since this dry run (Ben Okafor joined the org chart meanwhile), so I applied nothing.');
      expect(await chart()).toEqual(before);
    });
  });

  describe('hepo settings', () => {
    const good = { values: 'teamwork, craft', allowance: '40', timezone: 'Asia/Kolkata', work_start: '10', work_end: '19' };

    it('is refused to someone who is not an HR admin', async () => {
      const [refused] = await say('29:olga', 'hepo settings');
      expect(textOf(refused!.activity)).toContain('Only an HR admin can change the organization’s settings.');
    });

    it('shows an HR admin the form (the recognition channel is chosen in the channel), refuses bad hours at the field, and saves good ones', async () => {
      const [form] = await say('29:pete', 'hepo settings');
      const card = cardOf(form!.activity);
      expect(card.body.filter((e: any) => e.type.startsWith('Input.')).map((e: any) => e.id)).toEqual([
        'values',
        'allowance',
        'timezone',
        'work_start',
        'work_end',
      ]);
      expect(textOf(card)).toContain('Recognition channel: none, so kudos given in a 1:1 chat with me stay between the giver and the people they recognise.');
      expect(textOf(card)).toContain('@mention me in the team channel you want, with **kudos channel here**');
      expect(cardProblems(card)).toEqual([]);

      const refused = await teams.execute(chatOf('29:pete'), '29:pete', form!, 'Save', { ...good, work_start: '19', work_end: '10' });
      const again = refused.body.value;
      const at = again.body.findIndex((e: any) => e.id === 'work_end');
      expect(again.body[at + 1]).toMatchObject({ color: 'Attention', text: 'The working day must end after it starts.' });
      expect(await app.db.selectFrom('orgs').select(['work_start_hour', 'work_end_hour']).executeTakeFirstOrThrow()).toEqual({
        work_start_hour: 9,
        work_end_hour: 18,
      });

      const saved = await teams.execute(chatOf('29:pete'), '29:pete', form!, 'Save', good);
      expect(textOf(saved.body.value)).toContain('✅ Settings saved.');
      const org = await app.db
        .selectFrom('orgs')
        .select(['company_values', 'kudos_monthly_allowance', 'slack_recognition_channel', 'default_timezone', 'work_start_hour', 'work_end_hour'])
        .executeTakeFirstOrThrow();
      expect(org).toEqual({
        company_values: ['teamwork', 'craft'],
        kudos_monthly_allowance: 40,
        slack_recognition_channel: null,
        default_timezone: 'Asia/Kolkata',
        work_start_hour: 10,
        work_end_hour: 19,
      });
    });

    it('gives someone new whose client sends no time zone the org’s default', async () => {
      await say('29:tess', 'hepo');
      const tess = await app.db.selectFrom('people').select('timezone').where('display_name', '=', 'Tess Late').executeTakeFirstOrThrow();
      expect(tess.timezone).toBe('Asia/Kolkata');
    });
  });
});
