import { request } from 'undici';

// HTTP to Slack over undici's `request()`: every kudos makes a few calls, and Node's fetch and
// axios each cost about four times the CPU per call.

/**
 * `fetch` for the Slack Web API client. Node's own fetch also registers every response for
 * finalization, which stretches garbage collection pauses to several ms under load; the Web API
 * answers with small bodies, read whole here. Bodies this can't send (multipart uploads) go through Node's fetch.
 */
export const slackFetch: typeof fetch = async (input, init = {}) => {
  const { body } = init;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) return fetch(input, init);
  const response = await request(input instanceof Request ? input.url : input.toString(), {
    method: (init.method ?? 'GET') as 'GET',
    headers: init.headers instanceof Headers ? Object.fromEntries(init.headers) : (init.headers as Record<string, string> | undefined),
    body: body ?? undefined,
    signal: init.signal ?? undefined,
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
 * Posts a message to an interaction's response_url. Bolt's `respond()` does the same through axios,
 * at about four times the CPU per call; a kudos makes one.
 */
export async function postToResponseUrl(url: string, message: object): Promise<void> {
  const { statusCode, body } = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
  });
  await body.dump();
  if (statusCode >= 300) throw new Error(`Slack answered ${statusCode} to a response_url post`);
}
