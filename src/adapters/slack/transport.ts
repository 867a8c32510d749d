import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { MaybeDelivered, PLATFORM_CALL_TIMEOUT_MS } from '../../chat/ports';
import { MAX_PACED_WAIT_MS, type Pacer } from '../../pacing/pacer';

// HTTP to Slack over undici's `request()`: every kudos makes a few calls, and Node's fetch and
// axios each cost about four times the CPU per call.

/**
 * Every call to Slack (Web API, response_url) goes through this agent: at most 100 calls in flight to
 * one Slack host at once (the Web API client's own limit), and none left hanging (`PLATFORM_CALL_TIMEOUT_MS`),
 * even after waiting out a Retry-After (below).
 */
const slackApi = new Agent({ connections: 100, headersTimeout: PLATFORM_CALL_TIMEOUT_MS, bodyTimeout: PLATFORM_CALL_TIMEOUT_MS });

/**
 * `fetch` for the Slack Web API client. Node's own fetch also registers every response for
 * finalization, which stretches garbage collection pauses to several ms under load; the Web API
 * answers with small bodies, read whole here. Bodies this can't send (multipart uploads) go through Node's fetch.
 */
const slackFetch: typeof fetch = async (input, init = {}) => {
  const { body } = init;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) return fetch(input, init);
  const response = await request(input instanceof Request ? input.url : input.toString(), {
    method: (init.method ?? 'GET') as 'GET',
    headers: init.headers instanceof Headers ? Object.fromEntries(init.headers) : (init.headers as Record<string, string> | undefined),
    body: body ?? undefined,
    signal: init.signal ?? undefined,
    dispatcher: slackApi,
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
  }
  if (response.statusCode === 204 || response.statusCode === 304) {
    await response.body.dump(); // a Response of these may not carry a body
    return new Response(null, { status: response.statusCode, headers });
  }
  return new Response(await response.body.arrayBuffer(), { status: response.statusCode, headers });
};

/**
 * Slack's tiers of the Web API methods the app calls through the client: calls a minute, per method
 * and workspace. Tier 2: 20, Tier 3: 50, Tier 4: 100. Others (chat.postMessage, paced by its sender;
 * apps.connections.open, oauth.v2.access) are not paced here.
 */
const CALLS_PER_MINUTE: Record<string, number> = {
  'users.list': 20,
  'conversations.open': 50,
  'conversations.history': 50,
  'users.lookupByEmail': 50,
  'chat.update': 50,
  'users.info': 100,
  'views.open': 100,
  'views.publish': 100,
  'chat.postEphemeral': 100,
  'files.info': 100,
};

/**
 * `slackFetch` paced to each method's tier, per workspace (by a hash of its token: no token goes to
 * Redis). A minute's calls may go at once, as Slack counts them per minute and welcomes bursts; past
 * that, one every 60 s / tier.
 */
export function pacedSlackFetch(pacer: Pacer): typeof fetch {
  return async (input, init = {}) => {
    const url = input instanceof Request ? input.url : input.toString();
    const method = new URL(url).pathname.split('/').pop() ?? '';
    const perMinute = CALLS_PER_MINUTE[method];
    const token = perMinute ? new Headers(init.headers).get('authorization') : null;
    if (perMinute && token) {
      const workspace = createHash('sha256').update(token).digest('hex').slice(0, 16);
      const pace = { key: `slack:${workspace}:${method}`, everyMs: 60_000 / perMinute, burst: perMinute };
      await pacer.turn([pace], { signal: init.signal ?? undefined, maxWaitMs: MAX_PACED_WAIT_MS });
    }
    return slackFetch(input, init);
  };
}

/**
 * Posts a message to an interaction's response_url. Bolt's `respond()` does the same through axios,
 * at about four times the CPU per call; a kudos makes one.
 */
export async function postToResponseUrl(url: string, message: object): Promise<void> {
  const { statusCode, body } = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    dispatcher: slackApi,
  });
  await body.dump();
  if (statusCode >= 300) throw new Error(`Slack answered ${statusCode} to a response_url post`);
}

/** A Web API answer with `ok: false`; Slack's error code is in `data.error`, where the Web API client puts it. */
export class SlackApiError extends Error {
  constructor(
    method: string,
    readonly data: { error: string },
  ) {
    super(`Slack ${method}: ${data.error}`);
  }
}

/** How long one call may wait out Slack's Retry-After in all before it fails, for its job to retry later. */
const MAX_RATE_LIMIT_WAIT_MS = 10_000;

/** Until when Slack asked each token (a workspace) to hold its calls: one 429 pauses them all, not just the call that got it. */
const heldUntil = new Map<string, number>();

/** Failures before a call leaves this process: Slack got nothing. */
const NOT_SENT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** A call that failed once it may have reached Slack (no answer in time, a dropped connection) may have taken effect. */
function failedAfterSending(method: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NOT_SENT.has(code)) return error;
  return new MaybeDelivered(`Slack ${method}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/**
 * Calls a Web API method that takes JSON (chat.postMessage): every kudos, check-in and reply posts
 * messages, and the Web API client costs about 2.5 times the CPU per call (a queue, a retry wrapper,
 * form-encoding, a WHATWG Response, a redacted copy of the arguments for its debug log). Like the
 * client, it waits out a 429's Retry-After; any other failure throws, for the job to retry: as
 * MaybeDelivered when Slack may have acted on the call all the same (a timeout, a 5xx).
 */
export async function callWithJson<Result extends { ok?: boolean; error?: string }>(
  apiUrl: string,
  token: string,
  method: string,
  args: object,
  signal?: AbortSignal,
): Promise<Result> {
  const body = JSON.stringify(args);
  for (let waitedMs = 0; ; ) {
    const holdMs = (heldUntil.get(token) ?? 0) - Date.now();
    if (holdMs <= 0)
      heldUntil.delete(token); // over: the map keeps only workspaces on hold now
    else {
      waitedMs += holdMs;
      if (waitedMs > MAX_RATE_LIMIT_WAIT_MS) throw new Error(`Slack ${method}: rate limited for over ${MAX_RATE_LIMIT_WAIT_MS / 1000} s`);
      await sleep(holdMs, undefined, { signal });
    }
    const response = await request(`${apiUrl}${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
      body,
      signal,
      dispatcher: slackApi,
    }).catch((error: unknown) => {
      throw failedAfterSending(method, error);
    });
    if (response.statusCode === 429) {
      await response.body.dump();
      const retryAfterMs = (Number(response.headers['retry-after']) || 1) * 1000;
      heldUntil.set(token, Math.max(heldUntil.get(token) ?? 0, Date.now() + retryAfterMs));
      continue;
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      const failure = `Slack ${method}: HTTP ${response.statusCode}`;
      throw response.statusCode >= 500 ? new MaybeDelivered(failure) : new Error(failure);
    }
    const data = (await response.body.json().catch((error: unknown) => {
      throw failedAfterSending(method, error);
    })) as Result;
    if (!data.ok) throw new SlackApiError(method, { error: data.error ?? 'unknown_error' });
    return data;
  }
}
