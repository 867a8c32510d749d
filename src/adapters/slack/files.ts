import type { WebClient } from '@slack/web-api';
import { MAX_FILE_BYTES, type SentFile } from '../../chat/interaction';
import { fetchSentFile } from '../download';

/**
 * A file uploaded through a modal's file input: files.info says how big it is and where it is, and
 * its private URL is read with the bot token (scope `files:read`).
 */
export async function sentFile(client: WebClient, fileId: string, onError: (error: unknown) => void): Promise<SentFile> {
  let info;
  try {
    ({ file: info } = await client.files.info({ file: fileId }));
  } catch (error) {
    onError(error);
    return { name: fileId, problem: 'unreadable' };
  }
  const name = info?.name ?? fileId;
  if ((info?.size ?? 0) > MAX_FILE_BYTES) return { name, problem: 'too_large' };
  if (!info?.url_private_download) {
    onError(new Error(`files.info gave no download URL for ${fileId}`));
    return { name, problem: 'unreadable' };
  }
  return fetchSentFile(name, info.url_private_download, { authorization: `Bearer ${client.token ?? ''}` }, onError);
}
