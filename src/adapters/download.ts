import type { Dispatcher } from 'undici';
import { MAX_FILE_BYTES, type SentFile } from '../chat/interaction';
import { PLATFORM_CALL_TIMEOUT_MS } from '../chat/ports';

/**
 * File downloads follow a few redirects (storage behind the platform's URL) and never hang. undici
 * is loaded at the first one: an embedded start (Teams only) has no other use for it.
 */
let downloads: Promise<{ dispatcher: Dispatcher; request: typeof import('undici').request }> | undefined;
function downloader() {
  downloads ??= import('undici').then(({ Agent, interceptors, request }) => ({
    dispatcher: new Agent({ headersTimeout: PLATFORM_CALL_TIMEOUT_MS, bodyTimeout: PLATFORM_CALL_TIMEOUT_MS }).compose(
      interceptors.redirect({ maxRedirections: 3 }),
    ),
    request,
  }));
  return downloads;
}

/**
 * Fetches a file a person sent, as text, reading no more than MAX_FILE_BYTES. A failure is handed to
 * `onError` (to log) and comes back as `unreadable`, so the feature can tell the person kindly.
 */
export async function fetchSentFile(name: string, url: string, headers: Record<string, string>, onError: (error: unknown) => void): Promise<SentFile> {
  try {
    const { dispatcher, request } = await downloader();
    const { statusCode, body } = await request(url, { headers, dispatcher });
    if (statusCode >= 300) {
      await body.dump();
      throw new Error(`download answered ${statusCode}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > MAX_FILE_BYTES) {
        body.destroy();
        return { name, problem: 'too_large' };
      }
      chunks.push(chunk as Buffer);
    }
    return { name, text: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    onError(error);
    return { name, problem: 'unreadable' };
  }
}
