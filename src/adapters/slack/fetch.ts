import { request } from 'undici';

/**
 * `fetch` for the Slack Web API client, over undici's `request()`. Node's own fetch costs about four
 * times the CPU per call and registers every response for finalization, which stretches garbage
 * collection pauses to several ms under load (see bench/README.md); the Web API answers with small
 * bodies, read whole here. Bodies this can't send (multipart uploads) go through Node's fetch.
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
