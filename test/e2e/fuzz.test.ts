import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app';
import { type ConnectorStub, cardActions, cardOf, rosterMember, startConnectorStub, teamsClient } from '../support/connector-stub';
import { type SlackTestApp, startSlackTestApp } from '../support/slack-app';
import { buttonClick, interactionPayload, postSigned, slashCommand } from '../support/slack-requests';
import type { SlackStub } from '../support/slack-stub';
import { until } from '../support/wait';

/**
 * Generated input through the adapters and the router, on PGlite as `npm start` runs: command texts,
 * form submissions and button clicks built from the forms and buttons the bot itself showed, with
 * their values, ids and metadata mangled. Whatever comes in: no crash (nothing logged as an error, no
 * interaction ending in the generic apology), no 5xx, no half-written record.
 * `FUZZ_RUNS` sets the number of inputs (100,000 for the full run; the suite runs fewer).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1_500);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const APOLOGY = /something went wrong/i;

const SLACK_USERS = ['UADMIN', 'UANA', 'UBEN', 'UCAL', 'UDEV'];
const roster = [rosterMember('29:admin', 'Ada Admin'), rosterMember('29:ana', 'Ana Lopez'), rosterMember('29:ben', 'Ben Okafor')];
const TEAMS_CHAT = { conversationId: 'a:personal-fuzz', type: 'personal' as const };

/** Pieces people type, the hostile and the plausible: commands' own words, mentions, numbers past any bound. */
const TOKENS = [
  'help',
  'setup',
  'history',
  'new',
  'import',
  'org',
  'manager',
  'department',
  'title',
  'role',
  'away',
  'settings',
  'link',
  'values',
  'allowance',
  'channel',
  'ask',
  'give',
  'request',
  'agenda',
  'add',
  'remove',
  'team',
  'until',
  'clear',
  'me',
  'employee',
  'hr_admin',
  'executive',
  '#teamwork',
  '#integrity',
  '10',
  '1',
  '0',
  '-5',
  '1e309',
  '99999999999999999999',
  '2026-13-45',
  'tomorrow',
  '15:00',
  'friday',
  '<@UANA>',
  '<@UBEN|ben>',
  '<@UNOBODY>',
  '<@W0>',
  '<!here>',
  '<!channel>',
  '&lt;!everyone&gt;',
  '<#C1|general>',
  '<https://x.test|click>',
  '@Ana',
  '<at>Ana Lopez</at>',
  '"',
  "'",
  '\\',
  '\u0000',
  '\u202e',
  '💥',
  'ü',
  '\n',
  '```',
  '*bold*',
  '<script>',
  '{"id":1}',
  'null',
  'undefined',
  '%s',
  '${x}',
];
const token = fc.constantFrom(...TOKENS);
const text = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.oneof(token, fc.string({ maxLength: 12 })), { maxLength: 12 }).map((words) => words.join(' ')) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 3_000, maxLength: 6_000 }) },
);
/** What a mangled id or value looks like. */
const mangled = fc.oneof(
  text,
  fc.uuid(),
  fc.json({ maxDepth: 2 }),
  fc.constantFrom('', ' ', '0', '-1', 'null', '{}', '[]', '00000000-0000-0000-0000-000000000000', 'x'.repeat(5_000)),
);

/** A form the bot opened (a Slack modal) or a card's inputs, and the kinds of its fields. */
interface SeenForm {
  callbackId: string;
  privateMetadata: string;
  inputs: Array<{ blockId: string; actionId: string; type: string; options: string[] }>;
}
interface SeenButton {
  actionId: string;
  value?: string;
  channel: string;
}
interface SeenCardAction {
  action: any;
  /** The id of the activity that carried it (what a click names as replyToId). */
  replyToId?: string;
  inputs: Array<{ id: string; type: string; choices: string[] }>;
}

const move = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('command' as const), command: fc.constantFrom('/kudos', '/checkin', '/feedback', '/hepo'), text, user: fc.nat() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('form' as const),
      pick: fc.nat(),
      values: fc.array(fc.oneof(text, mangled), { minLength: 8, maxLength: 8 }),
      chooseReal: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      metadata: fc.constantFrom('keep', 'keep', 'keep', 'garbage', 'json', 'empty'),
      garbage: mangled,
      user: fc.nat(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('button' as const), pick: fc.nat(), mangle: fc.boolean(), value: mangled, user: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('teams_message' as const), text, user: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('teams_card' as const),
      pick: fc.nat(),
      mangle: fc.constantFrom('none', 'inputs', 'data'),
      values: fc.array(fc.oneof(text, mangled), { minLength: 8, maxLength: 8 }),
      garbage: mangled,
      user: fc.nat(),
    }),
  },
);

type Move = typeof move extends fc.Arbitrary<infer T> ? T : never;

const slackUser = (n: number) => SLACK_USERS[n % SLACK_USERS.length]!;
const teamsUser = (n: number) => roster[n % roster.length]!.id;

describe('fuzzing: generated input through the adapters and the router, on PGlite', () => {
  let running: SlackTestApp;
  let app: RunningApp;
  let slack: SlackStub;
  let connector: ConnectorStub;
  let teams: ReturnType<typeof teamsClient>;
  const logged: Array<{ level: number; msg?: string; err?: unknown }> = [];

  beforeAll(async () => {
    connector = await startConnectorStub(roster);
    running = await startSlackTestApp({
      database: 'pglite',
      // Teams beside Slack on the embedded database: local mode, asked for.
      env: { TEAMS_LOCAL: '1', LOG_LEVEL: 'warn' },
      logDestination: { write: (line: string) => void logged.push(JSON.parse(line)) },
      stub: {
        users: [
          { id: 'UADMIN', name: 'Ada Admin', email: 'ada@acme.test', is_admin: true },
          { id: 'UANA', name: 'Ana Lopez', email: 'ana@acme.test' },
          { id: 'UBEN', name: 'Ben Okafor', email: 'ben@acme.test' },
          { id: 'UCAL', name: 'Cal Diaz', email: 'cal@acme.test' },
          { id: 'UDEV', name: 'Dev Bot', is_bot: true },
        ],
      },
    });
    ({ app, stub: slack } = running);
    teams = teamsClient(connector, () => app.url, { tenant: 'tenant-fuzz', bot: { id: '28:bot', name: 'HEPO' }, roster });
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await connector?.close();
  });

  /**
   * Modals and buttons the bot has shown on Slack so far, to submit and click with mangled values.
   * Read as the calls come (each call once): a run of 100,000 inputs makes as many calls.
   */
  const slackSeen = { forms: [] as SeenForm[], buttons: [] as SeenButton[], read: 0 };
  function slackSurfaces(): { forms: SeenForm[]; buttons: SeenButton[] } {
    for (const call of slack.calls.slice(slackSeen.read)) {
      const view = call.body.view as { callback_id?: string; private_metadata?: string; blocks?: any[] } | undefined;
      const blocks: any[] = view?.blocks ?? (call.body.blocks as any[] | undefined) ?? [];
      const channel = String(call.body.channel ?? 'D1');
      for (const block of blocks) {
        for (const element of [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])]) {
          if (element.type === 'button') slackSeen.buttons.push({ actionId: element.action_id, value: element.value, channel });
        }
      }
      if (view?.callback_id) {
        const inputs = blocks
          .filter((b) => b.type === 'input' && b.element?.action_id)
          .map((b) => ({
            blockId: b.block_id,
            actionId: b.element.action_id,
            type: b.element.type,
            options: (b.element.options ?? []).map((o: any) => o.value),
          }));
        slackSeen.forms.push({ callbackId: view.callback_id, privateMetadata: view.private_metadata ?? '', inputs });
      }
    }
    slackSeen.read = slack.calls.length;
    return slackSeen;
  }

  /** Buttons of the cards the bot has shown on Teams, messages and dialogs alike (each request read once). */
  const teamsSeen = { actions: [] as SeenCardAction[], read: 0, dialogsRead: 0 };
  function teamsSurfaces(dialogs: any[]): SeenCardAction[] {
    const add = (card: any, replyToId?: string) => {
      if (!card) return;
      const inputs = collectInputs(card.body ?? []);
      for (const action of cardActions(card)) teamsSeen.actions.push({ action, replyToId, inputs });
    };
    for (const request of connector.requests.slice(teamsSeen.read)) {
      if (request.method !== 'POST' && request.method !== 'PUT') continue;
      add(cardOf(request.body), request.answer?.id);
    }
    teamsSeen.read = connector.requests.length;
    for (const card of dialogs.slice(teamsSeen.dialogsRead)) add(card);
    teamsSeen.dialogsRead = dialogs.length;
    return teamsSeen.actions;
  }

  function collectInputs(elements: any[]): SeenCardAction['inputs'] {
    return elements.flatMap((e: any) => [
      ...(typeof e?.type === 'string' && e.type.startsWith('Input.') ? [{ id: e.id, type: e.type, choices: (e.choices ?? []).map((c: any) => c.value) }] : []),
      ...collectInputs([...(e?.items ?? []), ...(e?.columns ?? []), ...(e?.body ?? [])]),
    ]);
  }

  /** A value for a Slack input of this kind: a real choice where it has some and the move says so, else mangled. */
  function slackValue(input: SeenForm['inputs'][number], raw: string, real: boolean): Record<string, unknown> {
    const option = real && input.options.length > 0 ? input.options[raw.length % input.options.length] : raw;
    switch (input.type) {
      case 'static_select':
      case 'radio_buttons':
        return { type: input.type, selected_option: { value: option } };
      case 'users_select':
        return { type: input.type, selected_user: real ? SLACK_USERS[raw.length % SLACK_USERS.length] : raw };
      case 'multi_users_select':
        return { type: input.type, selected_users: real ? SLACK_USERS.slice(0, (raw.length % 4) + 1) : [raw] };
      case 'datepicker':
        return { type: input.type, selected_date: real ? `2026-${String((raw.length % 12) + 1).padStart(2, '0')}-15` : raw };
      case 'channels_select':
        return { type: input.type, selected_channel: real ? 'C1' : raw };
      case 'file_input':
        return { type: input.type, files: [] };
      default:
        return { type: input.type, value: raw };
    }
  }

  const statuses: number[] = [];
  const dialogs: any[] = [];

  async function play(m: Move): Promise<void> {
    switch (m.kind) {
      case 'command': {
        const res = await postSigned(
          app.url,
          slashCommand({ command: m.command, text: m.text, userId: slackUser(m.user), responseUrl: slack.responseUrl('fuzz') }),
        );
        statuses.push(res.status);
        return;
      }
      case 'form': {
        const { forms } = slackSurfaces();
        const form = forms[m.pick % Math.max(forms.length, 1)];
        if (!form) return;
        const values: Record<string, Record<string, unknown>> = {};
        form.inputs.forEach((input, i) => {
          values[input.blockId] = { [input.actionId]: slackValue(input, m.values[i % 8]!, m.chooseReal[i % 8]!) };
        });
        const metadata: string = {
          keep: form.privateMetadata,
          garbage: String(m.garbage),
          json: JSON.stringify({ state: { id: m.garbage } }),
          empty: '',
        }[m.metadata];
        const res = await postSigned(
          app.url,
          interactionPayload({
            type: 'view_submission',
            team: { id: 'T1', domain: 'acme' },
            user: { id: slackUser(m.user), team_id: 'T1' },
            api_app_id: 'A1',
            trigger_id: `trigger-${Math.random()}`,
            view: {
              id: `VFUZZ${Math.random()}`,
              team_id: 'T1',
              type: 'modal',
              callback_id: form.callbackId,
              private_metadata: metadata,
              blocks: [],
              state: { values },
              hash: 'h',
            },
          }),
        );
        statuses.push(res.status);
        return;
      }
      case 'button': {
        const { buttons } = slackSurfaces();
        const button = buttons[m.pick % Math.max(buttons.length, 1)];
        if (!button) return;
        const value = m.mangle ? m.value : button.value;
        const res = await postSigned(
          app.url,
          buttonClick({ actionId: button.actionId, value, userId: slackUser(m.user), channelId: button.channel, responseUrl: slack.responseUrl('fuzz') }),
        );
        statuses.push(res.status);
        return;
      }
      case 'teams_message': {
        const res = await teams.say(TEAMS_CHAT, teamsUser(m.user), m.text);
        statuses.push(res.status);
        return;
      }
      case 'teams_card': {
        const actions = teamsSurfaces(dialogs);
        const seen = actions[m.pick % Math.max(actions.length, 1)];
        if (!seen) return;
        const inputs = Object.fromEntries(
          seen.inputs.map((input, i) => {
            const raw = m.values[i % 8]!;
            const real = m.mangle !== 'inputs' && input.choices.length > 0;
            return [input.id, real ? input.choices[raw.length % input.choices.length] : raw];
          }),
        );
        const base = m.mangle === 'data' ? { ...(seen.action.data ?? {}), id: m.garbage, verb: m.garbage } : (seen.action.data ?? {});
        const data = { ...base, ...inputs };
        const user = teamsUser(m.user);
        let answer;
        if (seen.action.type === 'Action.Execute') {
          answer = await teams.post(
            teams.invoke(
              TEAMS_CHAT,
              user,
              'adaptiveCard/action',
              { action: { type: 'Action.Execute', verb: m.mangle === 'data' ? m.garbage : seen.action.verb, data }, trigger: 'manual' },
              seen.replyToId,
            ),
          );
        } else if (seen.action.data?.msteams?.type === 'task/fetch') {
          answer = await teams.post(teams.invoke(TEAMS_CHAT, user, 'task/fetch', { data, context: { theme: 'default' } }, seen.replyToId));
          const dialog = answer.body?.task?.value?.card?.content;
          if (dialog && dialogs.length < 200) dialogs.push(dialog);
        } else if (seen.action.type === 'Action.Submit') {
          answer = await teams.post(
            seen.replyToId === undefined
              ? teams.invoke(TEAMS_CHAT, user, 'task/submit', { data, context: { theme: 'default' } })
              : teams.activity(TEAMS_CHAT, user, { type: 'message', value: data, replyToId: seen.replyToId }),
          );
        } else return;
        statuses.push(answer.status);
        const apology = JSON.stringify(answer.body ?? '');
        if (APOLOGY.test(apology)) throw new Error(`Teams answered with the apology: ${apology.slice(0, 300)}`);
      }
    }
  }

  it(
    `takes ${RUNS} generated inputs without a crash, a 5xx or a half-written record`,
    async () => {
      // Something to act on from the start: the home, the help and a kudos' buttons on both platforms.
      await postSigned(app.url, slashCommand({ command: '/hepo', text: 'help', userId: 'UADMIN', responseUrl: slack.responseUrl('seed') }));
      await postSigned(
        app.url,
        slashCommand({ command: '/kudos', text: '<@UANA> 5 #teamwork thanks', userId: 'UADMIN', responseUrl: slack.responseUrl('seed') }),
      );
      await teams.say(TEAMS_CHAT, '29:admin', 'help');

      await fc.assert(
        fc.asyncProperty(move, async (m) => {
          await play(m);
          const bad = statuses.filter((s) => s >= 500);
          if (bad.length > 0) throw new Error(`answered ${bad.join(', ')}`);
        }),
        { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
      );

      // Every interaction settles (acks come first; the work and its messages follow).
      const settled = async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from notifications where status = 'pending'`.execute(app.db);
        return rows[0]!.n === 0;
      };
      await until(settled, 60_000);

      // The inputs reached the features: most got an answer on their platform (a reply, a form, a post).
      const answered = slack.calls.filter((c) => c.method !== 'users.info').length + connector.requests.filter((r) => r.method === 'POST').length;
      expect(answered).toBeGreaterThan(RUNS / 2);
      // Slack's per-method tiers (views.open, users.info: 100 calls a minute per workspace) are met by
      // design at this rate from one workspace: pacing refuses a call it can't fit in 10 s. Counted, not errors.
      const paced = (l: { err?: unknown }) => /paced: the platform's rate limit/.test(JSON.stringify(l.err ?? ''));
      const errors = logged.filter((l) => l.level >= 50 && !paced(l));
      console.log(`fuzz: ${RUNS} inputs; ${answered} answers on the platforms; ${logged.filter(paced).length} calls refused by pacing`);
      expect(errors.map((e) => `${e.msg}: ${JSON.stringify(e.err ?? {}).slice(0, 400)}`)).toEqual([]);
      const apologies = [
        ...slack.calls.filter((c) => APOLOGY.test(JSON.stringify(c.body))),
        ...connector.requests.filter((r) => APOLOGY.test(JSON.stringify(r.body ?? ''))),
      ];
      expect(apologies.map((a) => JSON.stringify(a.body).slice(0, 300))).toEqual([]);

      // Nothing half-written: each kudos has its recipients, their points add up, and allowances spent match the kudos given.
      const { rows: kudosWithoutRecipients } = await sql`
      select k.id from kudos k left join kudos_recipients r on r.kudos_id = k.id
      group by k.id, k.points_each having count(r.person_id) = 0 or sum(r.points) <> k.points_each * count(r.person_id)`.execute(app.db);
      expect(kudosWithoutRecipients).toEqual([]);
      const { rows: allowancesOff } = await sql`
      select a.person_id, a.period, a.spent, coalesce(sum(r.points), 0) as given
      from point_allowances a
      left join kudos k on k.giver_id = a.person_id and k.allowance_period = a.period
      left join kudos_recipients r on r.kudos_id = k.id
      group by a.person_id, a.period, a.spent having a.spent <> coalesce(sum(r.points), 0)`.execute(app.db);
      expect(allowancesOff).toEqual([]);
      const { rows: peopleWithoutIdentity } = await sql`
      select p.id from people p where not exists (select 1 from identities i where i.person_id = p.id)`.execute(app.db);
      expect(peopleWithoutIdentity).toEqual([]);
    },
    120_000 + RUNS * 60,
  );
});
