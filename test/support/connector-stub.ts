import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Bot Framework connector on loopback: records what the bot sends and answers like the Teams service. */

export interface RecordedRequest {
  method: string;
  path: string;
  body: any;
  /** What the stub answered. */
  status?: number;
}

export interface RosterMember {
  id: string;
  name: string;
  email?: string;
  userPrincipalName?: string;
  aadObjectId?: string;
}

export interface ConnectorStub {
  /** With a trailing slash, as activities carry it in `serviceUrl`. */
  serviceUrl: string;
  requests: RecordedRequest[];
  /** Members answered by GET …/members/{id} (by Teams id or AAD object id) and …/pagedmembers. */
  roster: RosterMember[];
  /** Conversations whose roster is not the whole `roster` (a 1:1 chat's is the user alone), by conversation id. */
  rosters: Record<string, RosterMember[]>;
  /** Activities the bot posted into this conversation (new posts and replies) that the stub accepted. */
  activitiesTo(conversationId: string): any[];
  /** Conversations the bot created (POST /v3/conversations), with their new ids. */
  createdConversations(): Array<{ id: string; body: any }>;
  waitFor<T>(predicate: (requests: RecordedRequest[]) => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Forgets what was recorded (ids keep counting up). */
  reset(): void;
  /** Makes the next `count` requests (to paths starting with `pathPrefix`) answer with this status, e.g. 429. */
  failNext(count: number, status: number, pathPrefix?: string): void;
  close(): Promise<void>;
}

const ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;
const MEMBER = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/;
const PAGED_MEMBERS = /^\/v3\/conversations\/([^/]+)\/pagedmembers$/;

export async function startConnectorStub(roster: RosterMember[] = []): Promise<ConnectorStub> {
  const requests: RecordedRequest[] = [];
  const created: Array<{ id: string; body: any }> = [];
  let activityCount = 0;
  let conversationCount = 0;
  let failures = { count: 0, status: 0, pathPrefix: '' };

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
      const recorded: RecordedRequest = { method, path, body };
      requests.push(recorded);
      const send = (status: number, payload?: unknown) => {
        recorded.status = status;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      if (failures.count > 0 && path.startsWith(failures.pathPrefix)) {
        failures.count -= 1;
        send(failures.status, { error: { code: 'Throttled', message: 'stubbed failure' } });
        return;
      }
      let match: RegExpExecArray | null;
      if (method === 'POST' && path === '/v3/conversations') {
        conversationCount += 1;
        const id = `a:new-conv-${conversationCount}`;
        created.push({ id, body });
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
    activitiesTo(conversationId) {
      return requests
        .filter((r) => r.method === 'POST' && r.status! < 400 && ACTIVITIES.exec(r.path)?.[1] === conversationId)
        .map((r) => r.body);
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
    },
    failNext(count, status, pathPrefix = '') {
      failures = { count, status, pathPrefix };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return stub;
}
