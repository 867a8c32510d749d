import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, postSigned, postSignedEvent, slashCommand, viewSubmission } from '../support/slack-requests';
import { type SlackCall, type SlackStub, viewOpenedBy } from '../support/slack-stub';
import { until } from '../support/wait';

const users = [
  { id: 'UHR', name: 'Hana HR', email: 'hana@acme.test', is_admin: true },
  { id: 'UMAYA', name: 'Maya Manager', email: 'maya@acme.test' },
  { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
  { id: 'UBEN', name: 'Ben Okafor', email: 'ben@acme.test' },
  // In the workspace, never met by the bot.
  { id: 'UNIA', name: 'Nia Newcomer', email: 'nia@acme.test', tz: 'Asia/Tokyo' },
  { id: 'UOLA', name: 'Ola Owner', email: 'ola@acme.test' },
  { id: 'UPAT', name: 'Pat Peer', email: 'pat@acme.test' },
];

const HEADER = 'email,manager_email,department,title,role';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');

type View = { callback_id: string; private_metadata: string; blocks: Array<{ type: string; block_id?: string; element?: { type: string } }> };

describe('org chart import and org settings in Slack', () => {
  let stub: SlackStub;
  let app: RunningApp;
  let running: SlackTestApp;

  beforeAll(async () => {
    running = await startSlackTestApp({ stub: { users } });
    ({ stub, app } = running);
  });
  afterAll(() => running?.close());

  const text = (call: SlackCall | undefined) => JSON.stringify(call?.body ?? {});
  const hepo = (userId: string, commandText: string) =>
    postSigned(
      app.url,
      slashCommand({
        command: '/hepo',
        text: commandText,
        userId,
        channelId: `D${userId}`,
        channelName: 'directmessage',
        responseUrl: stub.responseUrl(userId),
      }),
    );
  /** What only this person saw: answers to their commands and clicks, and ephemeral messages. */
  const privateCalls = (user: string) =>
    stub.calls.filter((c) => (c.method === 'response_url' && c.responseTo === user) || (c.method === 'chat.postEphemeral' && c.body.user === user));
  const privatelyTo = (user: string) => privateCalls(user).map(text);
  const toldPrivately = (user: string, snippet: string) => stub.waitFor(() => privatelyTo(user).some((t) => t.includes(snippet)));
  const opened = (act: () => Promise<unknown>) => viewOpenedBy<View>(stub, act);
  let uploads = 0;
  /** Uploads the file through the import modal, as Slack submits a file input. */
  async function submitFile(content: string, name = 'chart.csv') {
    const view = await opened(() => hepo('UHR', 'org import'));
    const id = `F${++uploads}`;
    stub.upload(id, { name, content });
    const seen = privateCalls('UHR').length;
    const res = await postSigned(app.url, viewSubmission({ userId: 'UHR', view, values: { file: { file: { type: 'file_input', files: [{ id, name }] } } } }));
    // The modal closes at once; the dry run follows privately.
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await stub.waitFor(() => privateCalls('UHR').length > seen);
    return privateCalls('UHR').at(-1)!;
  }
  const importIdIn = (call: SlackCall) => /"action_id":"org\.import\.apply","text":\{[^}]*\},"value":"([0-9a-f-]{36})"/.exec(text(call))![1]!;
  const apply = (importId: string) =>
    postSigned(
      app.url,
      buttonClick({ actionId: 'org.import.apply', value: importId, userId: 'UHR', channelId: 'DUHR', ephemeral: true, responseUrl: stub.responseUrl('UHR') }),
    );
  const chart = async () =>
    (
      await app.db
        .selectFrom('people as p')
        .leftJoin('people as m', 'm.id', 'p.manager_id')
        .select(['p.display_name as name', 'm.display_name as manager', 'p.department', 'p.title', 'p.role', 'p.role_set_by_hr'])
        .orderBy('p.display_name')
        .execute()
    ).map((p) => `${p.name}: ${p.manager ?? '-'} | ${p.department ?? '-'} | ${p.title ?? '-'} | ${p.role}${p.role_set_by_hr ? ' (HR)' : ''}`);

  it('answers help after any command with that command’s usage, privately, and changes nothing', async () => {
    const command = (name: string) =>
      postSigned(
        app.url,
        slashCommand({ command: name, text: 'help', userId: 'UBEN', channelId: 'DUBEN', channelName: 'directmessage', responseUrl: stub.responseUrl('UBEN') }),
      );
    const kudosBefore = await app.db.selectFrom('kudos').select('id').execute();
    await command('/kudos');
    await toldPrivately('UBEN', '`/kudos`:');
    const kudosHelp = privatelyTo('UBEN').at(-1)!;
    expect(kudosHelp).toContain('`/kudos @');
    expect(kudosHelp).not.toContain('/checkin');
    await command('/checkin');
    await toldPrivately('UBEN', '`/checkin`:');
    // The words of /checkin another feature owns (1:1s) are part of its usage.
    expect(privatelyTo('UBEN').at(-1)).toContain('`/checkin 1on1 @');
    expect(privatelyTo('UBEN').at(-1)).not.toContain('/kudos');
    expect(await app.db.selectFrom('kudos').select('id').execute()).toEqual(kudosBefore);
  });

  it('answers /hepo and /hepo help with every command, privately, and shows HR admins the org settings', async () => {
    for (const user of ['UHR', 'UMAYA', 'UANA', 'UBEN']) await hepo(user, user === 'UANA' ? '' : 'help');
    for (const user of ['UHR', 'UMAYA', 'UANA', 'UBEN']) await toldPrivately(user, 'Here is what I can do');
    const forHr = privatelyTo('UHR').at(-1)!;
    for (const command of ['/kudos', '/kudos channel #recognition', '/checkin setup', '/feedback', '/hepo org import', '/hepo settings'])
      expect(forHr).toContain(command);
    expect(forHr).not.toContain('kudos channel here');
    expect(forHr).toContain('Organization settings');
    expect(forHr).toContain('org.settings.open');
    expect(privatelyTo('UANA').at(-1)).not.toContain('Organization settings');
    expect(stub.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('opens the import form with a file input for an HR admin only', async () => {
    await hepo('UANA', 'org import');
    await toldPrivately('UANA', 'Only an HR admin can change the org chart.');
    const view = await opened(() => hepo('UHR', 'org import'));
    expect(view.callback_id).toBe('org.import');
    expect(view.blocks.find((b) => b.type === 'input')).toMatchObject({ block_id: 'file', element: { type: 'file_input', filetypes: ['csv'], max_files: 1 } });
  });

  it('reports every problem of a file with its line number, and changes nothing', async () => {
    const before = await chart();
    const answer = text(
      await submitFile(
        csv(
          'ana@acme.test,maya@acme.test,Design,Designer,',
          'nobody@acme.test,,,,',
          'ben@acme.test,,,,boss',
          'ana@acme.test,,,,',
          'maya@acme.test,ghost@acme.test,,,',
        ),
      ),
    );
    expect(answer).toContain('chart.csv: 4 problems, so nothing changed.');
    expect(answer).toContain("line 3: I can't find anyone with the email nobody@acme.test.");
    expect(answer).toContain('line 4: I don\'t know the role \\"boss\\"');
    expect(answer).toContain('line 5: ana@acme.test is on line 2 already.');
    expect(answer).toContain("line 6: I can't place the manager ghost@acme.test");
    expect(answer).toContain('I looked for those emails in the whole workspace.');
    expect(answer).not.toContain('org.import.apply');
    // The file was read with the bot token, after files.info, and every unknown email looked up.
    expect(stub.callsTo('file_download').at(-1)!.token).toBe('Bearer xoxb-test-token');
    expect(stub.callsTo('users.lookupByEmail').map((c) => c.body.email)).toEqual(['nobody@acme.test']);
    expect(await chart()).toEqual(before);
    expect(await app.db.selectFrom('org_imports').select('id').execute()).toEqual([]);
  });

  it('turns away a file over 1 MB without downloading it', async () => {
    const downloads = stub.callsTo('file_download').length;
    const answer = text(await submitFile(`${HEADER}\n${'x'.repeat(1_000_000)}`, 'huge.csv'));
    expect(answer).toContain('huge.csv is over 1 MB. Split it into smaller files and import each one.');
    expect(stub.callsTo('file_download')).toHaveLength(downloads);
  });

  it('applies a good file after its dry run, exactly as shown, once', async () => {
    const dryRun = await submitFile(
      csv(
        'maya@acme.test,,Design,Head of Design,manager',
        'ana@acme.test,MAYA@acme.test,Design,Designer,',
        'nia@acme.test,maya@acme.test,Design,Illustrator,employee',
        'hana@acme.test,,People,HR lead,HR admin',
      ),
    );
    const shown = text(dryRun);
    expect(shown).toContain('chart.csv: 1 to add, 3 to change, 0 already as the file says.');
    expect(shown).toContain('*Nia Newcomer* (nia@acme.test, line 4): manager Maya Manager · department Design · title Illustrator · role employee');
    expect(shown).toContain('*Ana Lopez* (line 3): manager none → Maya Manager · department — → Design · title — → Designer');
    expect(shown).toContain('role HR admin, now kept by HR');
    expect(shown).toContain('Apply 4 changes');
    expect(await chart()).not.toContain('Ana Lopez: Maya Manager | Design | Designer | employee');

    const importId = importIdIn(dryRun);
    await apply(importId);
    await stub.waitFor(() => stub.calls.some((c) => c.method === 'response_url' && c.responseTo === 'UHR' && c.body.replace_original === true));
    const replaced = stub.calls.filter((c) => c.method === 'response_url' && c.body.replace_original === true).at(-1)!;
    expect(text(replaced)).toContain('✅ Applied chart.csv to the org chart: 1 added, 3 changed.');
    const applied = [
      'Ana Lopez: Maya Manager | Design | Designer | employee',
      'Ben Okafor: - | - | - | employee',
      'Hana HR: - | People | HR lead | hr_admin (HR)',
      'Maya Manager: - | Design | Head of Design | manager (HR)',
      'Nia Newcomer: Maya Manager | Design | Illustrator | employee (HR)',
    ];
    expect(await chart()).toEqual(applied);
    const nia = await app.db
      .selectFrom('people')
      .innerJoin('identities', 'identities.person_id', 'people.id')
      .select(['platform', 'platform_user_id', 'timezone'])
      .where('email', '=', 'nia@acme.test')
      .executeTakeFirstOrThrow();
    expect(nia).toEqual({ platform: 'slack', platform_user_id: 'UNIA', timezone: 'Asia/Tokyo' });

    // Confirmed again (a double click, a retry): nothing more happens.
    await apply(importId);
    await toldPrivately('UHR', 'This import is applied already; nothing more changed.');
    expect(await chart()).toEqual(applied);
  });

  it('refuses at the dry run a file that would make a loop with the chart', async () => {
    const answer = text(await submitFile(csv('maya@acme.test,ana@acme.test,Design,Head of Design,manager')));
    expect(answer).toContain('line 2: this makes a loop: maya@acme.test → ana@acme.test → maya@acme.test (each would report to the next).');
    expect(answer).not.toContain('org.import.apply');
  });

  it('applies nothing when the chart changed between the dry run and the confirm, and says to run it again', async () => {
    const dryRun = await submitFile(csv('ben@acme.test,maya@acme.test,Design,Intern,', 'ana@acme.test,maya@acme.test,Design,Senior Designer,'));
    await hepo('UHR', 'org <@UBEN> title Trainee');
    await toldPrivately('UHR', '✅ Updated Ben Okafor.');
    const before = await chart();
    await apply(importIdIn(dryRun));
    await toldPrivately(
      'UHR',
      "The org chart changed since this dry run (Ben Okafor's place in it changed), so I applied nothing. Send the file again for a fresh dry run.",
    );
    expect(await chart()).toEqual(before);
    expect(before).toContain('Ana Lopez: Maya Manager | Design | Designer | employee');
  });

  describe('/hepo settings', () => {
    const values = (o: { start: string; end: string }) => ({
      values: { values: { type: 'plain_text_input', value: 'Ownership, #craft, kindness' } },
      allowance: { allowance: { type: 'number_input', value: '250' } },
      channel: { channel: { type: 'channels_select', selected_channel: 'CKUDOS' } },
      timezone: { timezone: { type: 'plain_text_input', value: 'America/Sao_Paulo' } },
      work_start: { work_start: { type: 'static_select', selected_option: { value: o.start } } },
      work_end: { work_end: { type: 'static_select', selected_option: { value: o.end } } },
    });

    it('is refused to someone who is not an HR admin', async () => {
      await hepo('UANA', 'settings');
      await toldPrivately('UANA', 'Only an HR admin can change the organization’s settings.');
    });

    it('refuses working hours that end before they start, at the field', async () => {
      const view = await opened(() => hepo('UHR', 'settings'));
      const res = await postSigned(app.url, viewSubmission({ userId: 'UHR', view, values: values({ start: '18', end: '9' }) }));
      expect(await res.json()).toEqual({ response_action: 'errors', errors: { work_end: 'The working day must end after it starts.' } });
      const org = await app.db.selectFrom('orgs').select(['work_start_hour', 'work_end_hour']).executeTakeFirstOrThrow();
      expect(org).toEqual({ work_start_hour: 9, work_end_hour: 18 });
    });

    it('lets an HR admin change values, allowance, recognition channel, timezone and working hours', async () => {
      const view = await opened(() => hepo('UHR', 'settings'));
      expect(view.callback_id).toBe('org.settings');
      expect(view.blocks.filter((b) => b.type === 'input').map((b) => [b.block_id, b.element!.type])).toEqual([
        ['values', 'plain_text_input'],
        ['allowance', 'number_input'],
        ['channel', 'channels_select'],
        ['timezone', 'plain_text_input'],
        ['work_start', 'static_select'],
        ['work_end', 'static_select'],
      ]);
      const res = await postSigned(app.url, viewSubmission({ userId: 'UHR', view, values: values({ start: '8', end: '16' }) }));
      expect(await res.text()).toBe('');
      await toldPrivately('UHR', '✅ Settings saved.');
      const org = await app.db
        .selectFrom('orgs')
        .select(['company_values', 'kudos_monthly_allowance', 'slack_recognition_channel', 'default_timezone', 'work_start_hour', 'work_end_hour'])
        .executeTakeFirstOrThrow();
      expect(org).toEqual({
        company_values: ['ownership', 'craft', 'kindness'],
        kudos_monthly_allowance: 250,
        slack_recognition_channel: 'CKUDOS',
        default_timezone: 'America/Sao_Paulo',
        work_start_hour: 8,
        work_end_hour: 16,
      });
      const kudosForm = JSON.stringify(
        await opened(() => postSigned(app.url, slashCommand({ command: '/kudos', text: '', userId: 'UANA', responseUrl: stub.responseUrl('UANA') }))),
      );
      expect(kudosForm).toContain('You have 250 of 250 points left this month.');
      expect(kudosForm).toContain('#ownership');
    });
  });

  describe('Slack admins are HR admins until HR says otherwise', () => {
    const roleOf = async (name: string) =>
      app.db.selectFrom('people').select(['role', 'role_set_by_hr']).where('display_name', '=', name).executeTakeFirstOrThrow();
    const userChange = (id: string, name: string, isAdmin: boolean) =>
      postSignedEvent(app.url, {
        type: 'user_change',
        user: { id, tz: 'Europe/Lisbon', is_admin: isAdmin, profile: { display_name: name, email: `${id.slice(1).toLowerCase()}@acme.test` } },
      });

    it('promotes someone Slack makes an admin, and demotes them when Slack does', async () => {
      await hepo('UOLA', 'help');
      await toldPrivately('UOLA', 'Here is what I can do');
      expect(await roleOf('Ola Owner')).toEqual({ role: 'employee', role_set_by_hr: false });
      await userChange('UOLA', 'Ola Owner', true);
      await until(async () => (await roleOf('Ola Owner')).role === 'hr_admin');
      await userChange('UOLA', 'Ola Owner', false);
      await until(async () => (await roleOf('Ola Owner')).role === 'employee');
    });

    it('leaves a role an HR admin set alone', async () => {
      await hepo('UHR', 'org <@UPAT> role employee');
      await toldPrivately('UHR', '✅ Updated Pat Peer.');
      await userChange('UPAT', 'Pat P.', true);
      // The event was handled (the new name is in), and the role is still HR's.
      await until(async () => (await app.db.selectFrom('people').select('id').where('display_name', '=', 'Pat P.').execute()).length === 1);
      expect(await roleOf('Pat P.')).toEqual({ role: 'employee', role_set_by_hr: true });
    });
  });
});
