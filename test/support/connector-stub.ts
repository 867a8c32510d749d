import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Bot Framework connector on loopback: records what the bot sends and answers like the Teams service. */

export interface RecordedRequest {
  method: string;
  path: string;
  body: any;
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
  /** Activities the bot posted into this conversation (new posts and replies). */
  activitiesTo(conversationId: string): any[];
  /** Conversations the bot created (POST /v3/conversations), with their new ids. */
  createdConversations(): Array<{ id: string; body: any }>;
  waitFor<T>(predicate: (requests: RecordedRequest[]) => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Makes the next `count` requests answer with this status (e.g. 429), to try retries. */
  failNext(count: number, status: number): void;
  close(): Promise<void>;
}

const ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;
const MEMBER = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/;
const PAGED_MEMBERS = /^\/v3\/conversations\/([^/]+)\/pagedmembers$/;

export async function startConnectorStub(roster: RosterMember[] = []): Promise<ConnectorStub> {
  const requests: RecordedRequest[] = [];
  const created: Array<{ id: string; body: any }> = [];
  let activityCount = 0;
  let failures: { count: number; status: number } = { count: 0, status: 0 };

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
      requests.push({ method, path, body });
      const send = (status: number, payload?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      if (failures.count > 0) {
        failures.count -= 1;
        send(failures.status, { error: { code: 'Throttled', message: 'stubbed failure' } });
        return;
      }
      let match: RegExpExecArray | null;
      if (method === 'POST' && path === '/v3/conversations') {
        const id = `a:new-conv-${created.length + 1}`;
        created.push({ id, body });
        send(201, { id, activityId: '' });
      } else if (method === 'POST' && ACTIVITIES.test(path)) {
        activityCount += 1;
        send(200, { id: `activity-${activityCount}` });
      } else if (method === 'PUT' && ACTIVITIES.test(path)) {
        send(200, { id: ACTIVITIES.exec(path)![2] });
      } else if (method === 'GET' && (match = MEMBER.exec(path))) {
        const id = match[2]!;
        const member = stub.roster.find((m) => m.id === id || m.aadObjectId === id);
        if (member) send(200, member);
        else send(404, { error: { code: 'MemberNotFoundInConversation', message: 'The member could not be found.' } });
      } else if (method === 'GET' && PAGED_MEMBERS.test(path)) {
        send(200, { members: stub.roster });
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
    activitiesTo(conversationId) {
      return requests
        .filter((r) => r.method === 'POST' && ACTIVITIES.exec(r.path)?.[1] === conversationId)
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
    failNext(count, status) {
      failures = { count, status };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return stub;
}
