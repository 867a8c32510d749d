import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

/** A Bot Framework connector on loopback: records what the bot sends and answers like the Teams service. */

export interface RecordedRequest {
  method: string;
  path: string;
  body: any;
  /** What the stub answered. */
  status?: number;
  /** The body the stub answered with (a posted activity's new id is in it). */
  answer?: any;
  /** The bot gave up on a request left unanswered and closed its connection. */
  abandoned?: boolean;
  /** When it arrived (ms, wall clock). */
  at: number;
}

/** An activity the bot posted, with the id the connector gave it (a card's `replyToId` when it is clicked). */
export interface PostedActivity {
  id: string;
  activity: any;
}

export interface RosterMember {
  id: string;
  name: string;
  email?: string;
  userPrincipalName?: string;
  aadObjectId?: string;
}

/** A Contoso person as the roster lists them: email and UPN from their first name, AAD id from their id. */
export function rosterMember(id: string, name: string): RosterMember {
  const email = `${name.split(' ')[0]!.toLowerCase()}@contoso.test`;
  return { id, name, email, userPrincipalName: email, aadObjectId: `aad-${id.replace(/^29:/, '')}` };
}

/** People by full name, each with the id `29:` and their first name in lower case. */
export const rosterOf = (...names: string[]): RosterMember[] => names.map((name) => rosterMember(`29:${name.split(' ')[0]!.toLowerCase()}`, name));

export interface StubTeam {
  name: string;
  channels: Array<{ id: string; name?: string }>;
}

export interface ConnectorStub {
  /** With a trailing slash, as activities carry it in `serviceUrl`. */
  serviceUrl: string;
  requests: RecordedRequest[];
  /** Members answered by GET …/members/{id} (by Teams id or AAD object id) and …/pagedmembers. */
  roster: RosterMember[];
  /** Conversations whose roster is not the whole `roster` (a 1:1 chat's is the user alone), by conversation id. */
  rosters: Record<string, RosterMember[]>;
  /** Files people sent the bot, by name: served at the download URL their message carries (`{serviceUrl}files/{name}`). */
  files: Record<string, string>;
  /** Teams by id, with their channels (the General channel has no name): GET /v3/teams/{id} and …/conversations. */
  teams: Record<string, StubTeam>;
  /**
   * People (by Teams id or AAD object id) the app is not installed for: Teams refuses to start a 1:1
   * chat with them (403). With anyone else it starts one, whose roster is that member alone.
   */
  withoutApp: Set<string>;
  /** Activities the bot posted into this conversation (new posts and replies) that the stub accepted. */
  activitiesTo(conversationId: string): any[];
  /** The same, with the ids the stub gave them. */
  postedTo(conversationId: string): PostedActivity[];
  /** Updates of the bot's messages in this conversation (PUT …/activities/{id}), in order. */
  updatesTo(conversationId: string): PostedActivity[];
  /** Conversations the bot created (POST /v3/conversations), with their new ids. */
  createdConversations(): Array<{ id: string; body: any }>;
  waitFor<T>(predicate: (requests: RecordedRequest[]) => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Forgets what was recorded (ids keep counting up). */
  reset(): void;
  /** Makes the next `count` requests (to paths starting with `pathPrefix`) answer with this status, e.g. 429, and these headers (`retry-after`). */
  failNext(count: number, status: number, pathPrefix?: string, headers?: Record<string, string>): void;
  /** Leaves the next `count` requests (to paths starting with `pathPrefix`) unanswered, recorded with no status. */
  hangNext(count: number, pathPrefix?: string): void;
  close(): Promise<void>;
}

const ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;
const MEMBER = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/;
const PAGED_MEMBERS = /^\/v3\/conversations\/([^/]+)\/pagedmembers$/;
const TEAM = /^\/v3\/teams\/([^/]+)$/;
const TEAM_CHANNELS = /^\/v3\/teams\/([^/]+)\/conversations$/;

export async function startConnectorStub(roster: RosterMember[] = []): Promise<ConnectorStub> {
  const requests: RecordedRequest[] = [];
  const created: Array<{ id: string; body: any }> = [];
  let activityCount = 0;
  let conversationCount = 0;
  let failures = { count: 0, status: 0, pathPrefix: '', headers: {} as Record<string, string> };
  let hangs = { count: 0, pathPrefix: '' };

  const membersOf = (conversationId: string) => stub.rosters[conversationId] ?? stub.roster;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      // The connector escapes ids (`a:1` → `a%3A1`); record them as the bot knows them.
      const path = new URL(req.url ?? '/', 'http://stub').pathname.split('/').map(decodeURIComponent).join('/');
      const method = req.method ?? 'GET';
      const recorded: RecordedRequest = { method, path, body, at: Date.now() };
      requests.push(recorded);
      const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
        recorded.status = status;
        recorded.answer = payload;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      if (hangs.count > 0 && path.startsWith(hangs.pathPrefix)) {
        hangs.count -= 1;
        res.on('close', () => (recorded.abandoned = true));
        return;
      }
      if (failures.count > 0 && path.startsWith(failures.pathPrefix)) {
        failures.count -= 1;
        send(failures.status, { error: { code: 'Throttled', message: 'stubbed failure' } }, failures.headers);
        return;
      }
      let match: RegExpExecArray | null;
      if (method === 'GET' && path.startsWith('/files/')) {
        const file = stub.files[path.slice('/files/'.length)];
        recorded.status = file === undefined ? 404 : 200;
        res.writeHead(recorded.status, { 'content-type': 'text/csv' });
        res.end(file ?? 'not found');
      } else if (method === 'POST' && path === '/v3/conversations') {
        const memberId: string | undefined = body?.members?.[0]?.id;
        const member = stub.roster.find((m) => m.id === memberId || m.aadObjectId === memberId);
        if (memberId && (stub.withoutApp.has(memberId) || (member && (stub.withoutApp.has(member.id) || stub.withoutApp.has(member.aadObjectId ?? ''))))) {
          send(403, { error: { code: 'Forbidden', message: 'The bot is not installed for this user.' } });
          return;
        }
        conversationCount += 1;
        const id = `a:new-conv-${conversationCount}`;
        created.push({ id, body });
        if (member && body?.isGroup === false) stub.rosters[id] ??= [member];
        send(201, { id, activityId: '' });
      } else if (method === 'POST' && ACTIVITIES.test(path)) {
        activityCount += 1;
        send(200, { id: `activity-${activityCount}` });
      } else if (method === 'PUT' && ACTIVITIES.test(path)) {
        send(200, { id: ACTIVITIES.exec(path)![2] });
      } else if (method === 'GET' && (match = MEMBER.exec(path))) {
        const id = match[2]!;
        const member = membersOf(match[1]!).find((m) => m.id === id || m.aadObjectId === id);
        if (member) send(200, member);
        else send(404, { error: { code: 'MemberNotFoundInConversation', message: 'The member could not be found.' } });
      } else if (method === 'GET' && (match = PAGED_MEMBERS.exec(path))) {
        send(200, { members: membersOf(match[1]!) });
      } else if (method === 'GET' && (match = TEAM.exec(path)) && stub.teams[match[1]!]) {
        send(200, { id: match[1], name: stub.teams[match[1]!]!.name });
      } else if (method === 'GET' && (match = TEAM_CHANNELS.exec(path)) && stub.teams[match[1]!]) {
        send(200, { conversations: stub.teams[match[1]!]!.channels });
      } else {
        send(404, { error: { code: 'NotFound', message: `stub: no route for ${method} ${path}` } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const stub: ConnectorStub = {
    serviceUrl: `http://127.0.0.1:${port}/`,
    requests,
    roster,
    rosters: {},
    files: {},
    teams: {},
    withoutApp: new Set(),
    activitiesTo(conversationId) {
      return requests.filter((r) => r.method === 'POST' && r.status! < 400 && ACTIVITIES.exec(r.path)?.[1] === conversationId).map((r) => r.body);
    },
    postedTo(conversationId) {
      return requests
        .filter((r) => r.method === 'POST' && r.status! < 400 && ACTIVITIES.exec(r.path)?.[1] === conversationId)
        .map((r) => ({ id: r.answer.id as string, activity: r.body }));
    },
    updatesTo(conversationId) {
      return requests
        .filter((r) => r.method === 'PUT' && r.status! < 400 && ACTIVITIES.exec(r.path)?.[1] === conversationId)
        .map((r) => ({ id: ACTIVITIES.exec(r.path)![2]!, activity: r.body }));
    },
    createdConversations: () => [...created],
    async waitFor(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const result = predicate(requests);
        if (result) return result;
        if (Date.now() > deadline) {
          const seen = requests.map((r) => `${r.method} ${r.path}`).join('\n  ');
          throw new Error(`connector stub: condition not met in ${timeoutMs} ms; requests so far:\n  ${seen}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    reset() {
      requests.length = 0;
      created.length = 0;
      stub.rosters = {};
      stub.files = {};
      stub.teams = {};
      stub.withoutApp.clear();
    },
    failNext(count, status, pathPrefix = '', headers = {}) {
      failures = { count, status, pathPrefix, headers };
    },
    hangNext(count, pathPrefix = '') {
      hangs = { count, pathPrefix };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return stub;
}

/** Where an activity happens: a user's 1:1 chat with the bot, or a team channel (thread). */
export interface TeamsWhere {
  conversationId: string;
  type: 'personal' | 'channel';
}

export interface TeamsClientOptions {
  tenant: string;
  bot: { id: string; name: string };
  roster: RosterMember[];
  /** IANA time zones by Teams user id, sent as `localTimezone` as the Teams client does. */
  timezones?: Record<string, string>;
  /** The team of channel conversations. */
  team?: string;
}

export interface InvokeAnswer {
  status: number;
  body: any;
}

/** A card's buttons: its actions and those of ActionSets in its body. */
export function cardActions(card: any): any[] {
  const inBody = (card?.body ?? []).flatMap((e: any) => (e.type === 'ActionSet' ? e.actions : []));
  return [...inBody, ...(card?.actions ?? [])];
}

/** Every input of a card with its value, what is given replacing it: what Teams submits. */
export function cardValues(card: any, given: Record<string, string>): Record<string, string> {
  const inputs: Record<string, string> = {};
  const walk = (node: any) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if (typeof node.type === 'string' && node.type.startsWith('Input.') && node.id) inputs[node.id] = node.value ?? '';
      Object.values(node).forEach(walk);
    }
  };
  walk(card.body);
  return { ...inputs, ...given };
}

export const cardOf = (activity: any) => activity?.attachments?.[0]?.content;

/** A person's 1:1 chat with the bot: the one the bot started (to message them first), or the one they started. */
export const personalChat = (stub: ConnectorStub, userId: string): TeamsWhere => ({
  conversationId: stub.createdConversations().find((c) => c.body.members?.[0]?.id === userId)?.id ?? `a:personal-${userId.slice(3)}`,
  type: 'personal',
});

/** Activities as the Teams service sends them to the bot, posted to the app's /api/messages. */
export function teamsClient(stub: ConnectorStub, appUrl: () => string, options: TeamsClientOptions) {
  const person = (id: string) => {
    const found = options.roster.find((m) => m.id === id);
    if (!found) throw new Error(`not in the roster: ${id}`);
    return found;
  };
  const mention = (m: { id: string; name: string }) => ({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } });

  function activity(where: TeamsWhere, fromId: string, fields: Record<string, unknown>) {
    const from = person(fromId);
    const channel = where.type === 'channel';
    const timezone = options.timezones?.[fromId];
    return {
      id: `act-${randomUUID()}`,
      channelId: 'msteams',
      serviceUrl: stub.serviceUrl,
      timestamp: new Date().toISOString(),
      ...(timezone ? { localTimezone: timezone } : {}),
      from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
      recipient: options.bot,
      conversation: { id: where.conversationId, conversationType: where.type, tenantId: options.tenant, ...(channel ? { isGroup: true } : {}) },
      channelData: {
        tenant: { id: options.tenant },
        ...(channel ? { team: { id: options.team ?? '19:team@thread.tacv2' }, channel: { id: where.conversationId.split(';')[0] } } : {}),
      },
      ...fields,
    };
  }

  async function post(body: unknown): Promise<InvokeAnswer> {
    const res = await fetch(`${appUrl()}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** A message as Teams delivers it; in a channel the bot is @mentioned first. */
  function message(where: TeamsWhere, fromId: string, text: string, mentioned: Array<{ id: string; name: string }> = []) {
    const botFirst = where.type === 'channel';
    return activity(where, fromId, {
      type: 'message',
      textFormat: 'plain',
      text: botFirst ? `<at>${options.bot.name}</at> ${text}` : text,
      entities: [...(botFirst ? [mention(options.bot)] : []), ...mentioned.map(mention)],
    });
  }

  function invoke(where: TeamsWhere, fromId: string, name: string, value: unknown, replyToId?: string) {
    return activity(where, fromId, { type: 'invoke', name, value, ...(replyToId ? { replyToId } : {}) });
  }

  function button(card: any, title: string): any {
    const found = cardActions(card).find((a) => a.title === title);
    if (!found) throw new Error(`no button "${title}" on ${JSON.stringify(card)}`);
    return found;
  }

  return {
    activity,
    message,
    invoke,
    post,
    say: (where: TeamsWhere, fromId: string, text: string, mentioned: Array<{ id: string; name: string }> = []) =>
      post(message(where, fromId, text, mentioned)),
    /** A file sent to the bot in a 1:1 chat, with a message, as Teams delivers it (the stub serves the download). */
    sendFile(where: TeamsWhere, fromId: string, text: string, file: { name: string; content: string }) {
      stub.files[file.name] = file.content;
      const attachment = {
        contentType: 'application/vnd.microsoft.teams.file.download.info',
        name: file.name,
        contentUrl: `https://contoso.sharepoint.test/${file.name}`,
        content: { downloadUrl: `${stub.serviceUrl}files/${file.name}`, uniqueId: randomUUID(), fileType: 'csv' },
      };
      return post({ ...message(where, fromId, text), attachments: [attachment] });
    },
    /** The app installed by this person, in the way Teams tells the bot. */
    install(where: TeamsWhere, fromId: string, how: 'installationUpdate' | 'conversationUpdate') {
      const fields = how === 'installationUpdate' ? { type: 'installationUpdate', action: 'add' } : { type: 'conversationUpdate', membersAdded: [options.bot] };
      return post(activity(where, fromId, fields));
    },
    /** Clicks an Action.Execute button of the card posted with id `cardId`, with these input values (Teams merges them into the data). */
    execute(where: TeamsWhere, fromId: string, posted: PostedActivity | { id: string; card: any }, title: string, inputs: Record<string, string> = {}) {
      const card = 'card' in posted ? posted.card : cardOf(posted.activity);
      const action = button(card, title);
      if (action.type !== 'Action.Execute') throw new Error(`"${title}" is ${action.type}`);
      const data = action.associatedInputs === 'none' ? action.data : { ...action.data, ...inputs };
      return post(invoke(where, fromId, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: action.verb, data }, trigger: 'manual' }, posted.id));
    },
    /** Clicks a dialog button (Action.Submit with `msteams.type: 'task/fetch'`): Teams asks for the dialog. */
    fetchTask(where: TeamsWhere, fromId: string, posted: PostedActivity, title: string) {
      const action = button(cardOf(posted.activity), title);
      if (action.data?.msteams?.type !== 'task/fetch') throw new Error(`"${title}" opens no dialog`);
      return post(invoke(where, fromId, 'task/fetch', { data: action.data, context: { theme: 'default' } }, posted.id));
    },
    /** Submits a dialog's card with its first Action.Submit, or the one titled so (task/submit carries no replyToId, as in Teams). */
    submitTask(where: TeamsWhere, fromId: string, dialogCard: any, inputs: Record<string, string>, title?: string) {
      const action = button(dialogCard, title ?? cardActions(dialogCard).find((a) => a.type === 'Action.Submit')?.title);
      return post(invoke(where, fromId, 'task/submit', { data: { ...action.data, ...inputs }, context: { theme: 'default' } }));
    },
    /** Clicks an Action.Submit the way Agents Playground does, with no dialogs: a message carrying the data. */
    submitAsMessage(where: TeamsWhere, fromId: string, posted: PostedActivity, title: string) {
      const action = button(cardOf(posted.activity), title);
      return post(activity(where, fromId, { type: 'message', value: action.data, replyToId: posted.id }));
    },
  };
}

// The package's main entry needs a DOM; its UMD bundle parses and validates in Node.
const AC = createRequire(__filename)('adaptivecards/dist/adaptivecards.js');
const NO_CHOICES = 'An Input.ChoiceSet must have at least one choice defined.';

/**
 * Everything the official Adaptive Cards library finds wrong with a card, empty when it is valid.
 * Teams' people picker fills its choices from `choices.data` and has `choices: []`, as Microsoft
 * documents it: that one complaint per picker is expected.
 */
export function cardProblems(json: any): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const parse = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message as string);
  const validation = (card.validateProperties().validationEvents as Array<{ message: string }>).map((e) => e.message);
  let pickers = (json.body as any[]).filter((e) => e['choices.data'] !== undefined && (e.choices as unknown[]).length === 0).length;
  return [...parse, ...validation].filter((problem) => !(problem === NO_CHOICES && pickers-- > 0));
}
