import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackUser {
  id: string;
  name: string;
  email?: string;
  tz?: string;
  is_bot?: boolean;
  deleted?: boolean;
  is_admin?: boolean;
}

export interface SlackCall {
  /** Web API method (`chat.postMessage`), or `response_url` for posts to a command's response URL. */
  method: string;
  /** For `response_url` posts: whose response URL (the id given to `responseUrl`). */
  responseTo?: string;
  token?: string;
  body: Record<string, unknown>;
  at: number;
  /** The message timestamp Slack would give a post. */
  ts: string;
}

export interface SlackStubOptions {
  users?: SlackUser[];
  /** Channels where chat.postEphemeral fails as it does where the bot is not a member. */
  ephemeralFailsIn?: string[];
  /** Enforce a Slack-like limit: at most this many chat.postMessage a second, then 429 Retry-After: 1. */
  postMessagePerSecond?: number;
  /**
   * A slow Slack: take chat.postMessage at once but answer only after `afterMs` — only the next `times`
   * (default: every one), and only those to `channel` (a user id for a DM) when given.
   */
  answerLate?: { afterMs: number; times?: number; channel?: string };
  /** chat.postMessage to these channels fails with this Slack error code. */
  postMessageErrors?: Record<string, string>;
  /** conversations.history of these channels fails with this Slack error code. */
  historyErrors?: Record<string, string>;
  /** Methods Slack answers with HTTP 503, as in an outage. */
  unavailable?: string[];
  /** Answer this many chat.postMessage calls with 429 and this Retry-After (seconds) first. */
  rateLimited?: { times: number; retryAfter: number };
  /** The WebSocket URL apps.connections.open hands out (Socket Mode). */
  socketModeUrl?: string;
  /** What oauth.v2.access answers for an install (keyed by the code in the request). */
  oauthAccess?: Record<string, Record<string, unknown>>;
  /**
   * Token rotation: oauth.v2.access with grant_type=refresh_token trades the latest refresh token
   * (or `firstRefreshToken`) for a new pair that lasts `expiresIn` seconds; an older one is refused.
   */
  tokenRotation?: { firstRefreshToken: string; expiresIn: number };
}

/** A file uploaded to Slack: files.info describes it, GET /files/{id} serves it to the bot token. */
export interface SlackFile {
  name: string;
  content: string;
}

/** A file the bot uploaded (files.uploadV2: getUploadURLExternal, the bytes to its URL, completeUploadExternal). */
export interface UploadedFile {
  id: string;
  name: string;
  content: Buffer;
  /** Where completeUploadExternal shared it, with what comment. */
  channel?: string;
  comment?: string;
}

/** Form fields the Web API client JSON-encodes (blocks, view); plain text that merely starts like JSON stays text. */
function jsonOrText(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = /^[[{]/.test(value) ? jsonOrText(value) : value;
  }
  return body;
}

/** A loopback Slack Web API that records every call and answers like Slack would. */
export async function startSlackStub(options: SlackStubOptions = {}) {
  const calls: SlackCall[] = [];
  const users = new Map((options.users ?? []).map((u) => [u.id, u]));
  const files = new Map<string, SlackFile>();
  const uploads = new Map<string, UploadedFile>();
  let url = '';
  const slackUser = (user: SlackUser) => ({
    id: user.id,
    name: user.name.toLowerCase(),
    real_name: user.name,
    tz: user.tz ?? 'Europe/Lisbon',
    is_bot: user.is_bot ?? false,
    deleted: user.deleted ?? false,
    is_admin: user.is_admin ?? false,
    profile: { real_name: user.name, display_name: user.name, email: user.email },
  });
  let ts = 1_700_000_000;
  let rotations = 0;
  let latestRefreshToken = options.tokenRotation?.firstRefreshToken;
  let refused = 0;
  const window = { second: 0, count: 0 };
  const listeners = new Set<() => void>();

  function answer(call: SlackCall): Record<string, unknown> {
    const { method, body } = call;
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UHEPOBOT', bot_id: 'BHEPOBOT', team_id: 'T1', user: 'hepo' };
      case 'users.info': {
        const user = users.get(String(body.user));
        return user ? { ok: true, user: slackUser(user) } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const user = [...users.values()].find((u) => u.email?.toLowerCase() === String(body.email).toLowerCase());
        return user ? { ok: true, user: slackUser(user) } : { ok: false, error: 'users_not_found' };
      }
      case 'users.list': {
        // Pages of `limit`, the cursor being where the next page starts.
        const all = [...users.values()];
        const from = Number(body.cursor ?? 0);
        const to = from + Number(body.limit ?? 200);
        return { ok: true, members: all.slice(from, to).map(slackUser), response_metadata: { next_cursor: to < all.length ? String(to) : '' } };
      }
      case 'files.info': {
        const file = files.get(String(body.file));
        if (!file) return { ok: false, error: 'file_not_found' };
        const size = Buffer.byteLength(file.content);
        return { ok: true, file: { id: body.file, name: file.name, filetype: 'csv', size, url_private_download: `${url}/files/${String(body.file)}` } };
      }
      case 'files.getUploadURLExternal': {
        const id = `F${ts++}`;
        uploads.set(id, { id, name: String(body.filename), content: Buffer.alloc(0) });
        return { ok: true, upload_url: `${url}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const shared = (body.files as Array<{ id: string }>).map((f) => uploads.get(f.id));
        if (shared.some((f) => f === undefined || f.content.length === 0)) return { ok: false, error: 'file_not_found' };
        for (const f of shared) Object.assign(f!, { channel: String(body.channel_id), comment: body.initial_comment });
        return { ok: true, files: shared.map((f) => ({ id: f!.id, name: f!.name })) };
      }
      case 'apps.connections.open':
        return options.socketModeUrl ? { ok: true, url: options.socketModeUrl } : { ok: false, error: 'not_allowed' };
      case 'oauth.v2.access': {
        if (body.grant_type !== 'refresh_token') return options.oauthAccess?.[String(body.code)] ?? { ok: false, error: 'invalid_code' };
        if (!options.tokenRotation || body.refresh_token !== latestRefreshToken) return { ok: false, error: 'invalid_refresh_token' };
        rotations++;
        latestRefreshToken = `xoxe-1-refresh-${rotations}`;
        return {
          ok: true,
          token_type: 'bot',
          access_token: `xoxe.xoxb-rotated-${rotations}`,
          refresh_token: latestRefreshToken,
          expires_in: options.tokenRotation.expiresIn,
        };
      }
      case 'chat.postMessage': {
        const error = options.postMessageErrors?.[String(body.channel)];
        return error ? { ok: false, error } : { ok: true, channel: body.channel, ts: call.ts };
      }
      case 'chat.postEphemeral':
        if (options.ephemeralFailsIn?.includes(String(body.channel))) return { ok: false, error: 'channel_not_found' };
        return { ok: true, message_ts: `${ts++}.000200` };
      case 'views.open':
        return { ok: true, view: { id: `V${ts++}` } };
      case 'views.publish':
        return { ok: true, view: { id: `V${ts++}`, type: 'home' } };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(body.users)}` } };
      case 'conversations.history': {
        // DMs are posted to a user id and read back through the D… channel conversations.open gave.
        const channel = String(body.channel);
        const error = options.historyErrors?.[channel];
        if (error) return { ok: false, error };
        const messages = calls
          .filter((c) => c.method === 'chat.postMessage' && (c.body.channel === channel || `D${String(c.body.channel)}` === channel))
          .map((c) => ({ ts: c.ts, text: c.body.text, metadata: c.body.metadata }))
          .reverse();
        return { ok: true, messages };
      }
      default:
        return { ok: true };
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      if (path.startsWith('/upload/')) {
        // The Web API client posts the bytes as the one part of a multipart form.
        const upload = uploads.get(path.slice('/upload/'.length));
        void new Response(Buffer.concat(chunks), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData().then(async (form) => {
          const [part] = [...form.values()];
          if (upload && part !== undefined && typeof part !== 'string') upload.content = Buffer.from(await part.arrayBuffer());
          res.writeHead(upload ? 200 : 404, { 'content-type': 'text/plain' });
          res.end(upload ? `OK - ${upload.content.length}` : 'not found');
        });
        return;
      }
      const body = parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
      if (path.startsWith('/files/')) {
        const file = files.get(path.slice('/files/'.length));
        const allowed = req.headers.authorization === 'Bearer xoxb-test-token';
        calls.push({ method: 'file_download', token: req.headers.authorization, body: {}, at: Date.now(), ts: '' });
        res.writeHead(file && allowed ? 200 : 404, { 'content-type': 'text/csv' });
        res.end(file && allowed ? file.content : 'not found');
        return;
      }
      const method = path.startsWith('/response/') ? 'response_url' : path.replace(/^\/api\//, '').split('?')[0]!;
      const token = req.headers.authorization?.replace(/^Bearer /, '');
      const second = Math.floor(Date.now() / 1000);
      if (method === 'chat.postMessage' && options.postMessagePerSecond) {
        if (second !== window.second) Object.assign(window, { second, count: 0 });
        window.count++;
      }
      const overLimit = options.postMessagePerSecond !== undefined && method === 'chat.postMessage' && window.count > options.postMessagePerSecond;
      if (method === 'chat.postMessage' && (overLimit || (options.rateLimited && options.rateLimited.times > 0))) {
        if (!overLimit) options.rateLimited!.times--;
        refused++;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(overLimit ? 1 : options.rateLimited!.retryAfter) });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      if (options.unavailable?.includes(method)) {
        refused++;
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('service unavailable');
        return;
      }
      const responseTo = method === 'response_url' ? path.slice('/response/'.length) : undefined;
      const call: SlackCall = { method, responseTo, token, body, at: Date.now(), ts: `${ts++}.000100` };
      calls.push(call);
      for (const listener of listeners) listener();
      const reply = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(method === 'response_url' ? { ok: true } : answer(call)));
        // What the answer changed (an upload shared) is looked at again.
        if (method === 'files.completeUploadExternal') for (const listener of listeners) listener();
      };
      // A slow Slack: the message is in (recorded, and in the history) before the sender hears back.
      const late = options.answerLate;
      const answersLate = method === 'chat.postMessage' && late !== undefined && (late.times ?? 1) > 0 && (late.channel ?? body.channel) === body.channel;
      if (!answersLate) return reply();
      if (late.times !== undefined) late.times--;
      setTimeout(reply, late.afterMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const callsFor = (userId: string) => calls.filter((c) => c.body.user === userId || c.body.channel === userId || c.responseTo === userId);

  return {
    apiUrl: `${url}/api/`,
    responseUrl: (id: string) => `${url}/response/${id}`,
    calls,
    /** Uploads a file, as a person would through a modal's file input. */
    upload: (id: string, file: SlackFile) => void files.set(id, file),
    /** Files the bot uploaded and shared (files.uploadV2), in order. */
    uploaded: () => [...uploads.values()].filter((f) => f.channel !== undefined),
    /** Calls answered with 429 or 503 (not in `calls`). */
    refusedCalls: () => refused,
    callsTo: (method: string) => calls.filter((c) => c.method === method),
    /** The calls that spoke to this user: DMs, ephemeral messages, answers to their commands. */
    callsFor,
    /** Everything the bot said to this user, as JSON to search. */
    saidTo: (userId: string) => JSON.stringify(callsFor(userId).map((c) => c.body)),
    reset: () => calls.splice(0, calls.length),
    /** Resolves when `predicate` holds for the recorded calls; rejects after `timeoutMs`. */
    waitFor(predicate: (calls: SlackCall[]) => boolean, timeoutMs = 5_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(calls)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Slack stub: condition not met in ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(', ')}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SlackStub = Awaited<ReturnType<typeof startSlackStub>>;

/** The modal `act` opens, as the app sent it to views.open. */
export async function viewOpenedBy<View>(stub: SlackStub, act: () => Promise<unknown>): Promise<View> {
  const before = stub.callsTo('views.open').length;
  await act();
  await stub.waitFor(() => stub.callsTo('views.open').length > before);
  return stub.callsTo('views.open').at(-1)!.body.view as View;
}
