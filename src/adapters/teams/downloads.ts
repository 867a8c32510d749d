import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { RequestHandler } from 'express';
import type { FileToSend } from '../../chat/effects';
import { isRowId } from '../../chat/input';
import type { Clock } from '../../chat/ports';
import type { Message } from '../../chat/ui';
import type { DownloadLinks } from './downloads.queries';
import { attachment, renderMessage } from './render';

/**
 * Files for the person who asked (a review's export). A bot can't attach a file in a Teams 1:1 chat
 * without the file consent flow (a card they accept, then an upload to their OneDrive), so each file
 * is kept for a few minutes and the card in their chat opens a link to it on this app: its row id and
 * a random key, of which the database keeps only the hash. Whoever holds the link can open it while it
 * lasts, so it goes only to the asker's own chat, and the card says how long it works.
 */

/** How long a link works. */
export const LINK_MINUTES = 10;
export const DOWNLOADS_PATH = '/downloads';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function teamsDownloads(links: DownloadLinks, clock: Clock) {
  return {
    /**
     * The card to send the asker: the message, then a button per file. `baseUrl`: where people reach this
     * app; undefined when the operator hasn't said (PUBLIC_URL), and the card says so instead.
     */
    async card(o: { tenantId: string; userId: string; baseUrl: string | undefined; message: Message; files: FileToSend[] }): Promise<Partial<Activity>> {
      const card = renderMessage(o.message);
      const at = clock.now();
      const files = o.files.map((f) => ({ ...f, id: randomUUID(), key: randomBytes(24).toString('base64url') }));
      const kept =
        o.baseUrl !== undefined &&
        (await links.keep({
          tenantId: o.tenantId,
          userId: o.userId,
          at,
          expiresAt: new Date(at.getTime() + LINK_MINUTES * 60_000),
          files: files.map((f) => ({ id: f.id, keySha256: sha256(f.key), name: f.name, mimeType: f.mimeType, content: f.content })),
        }));
      if (kept) {
        card.body.push({
          type: 'TextBlock',
          text: `The links work for ${LINK_MINUTES} minutes, for you alone: please don't pass them on.`,
          wrap: true,
          isSubtle: true,
          size: 'Small',
        });
        card.actions = files.map((f) => ({ type: 'Action.OpenUrl', title: `Download ${f.name}`, url: `${o.baseUrl}${DOWNLOADS_PATH}/${f.id}?key=${f.key}` }));
      } else {
        card.body.push({
          type: 'TextBlock',
          text: 'I can’t hand out files here yet: this app has no public address set (PUBLIC_URL). Please tell your admin.',
          wrap: true,
        });
      }
      return { type: 'message', summary: o.message.summary, attachments: [attachment(card)] };
    },

    /** GET /downloads/:id?key=…: the file while its link lasts, else 404 (one answer for unknown, wrong key and expired). */
    serve: (async (req, res) => {
      const id = String(req.params.id ?? '');
      const key = typeof req.query.key === 'string' ? req.query.key : '';
      const file = isRowId(id) && key ? await links.find(id, sha256(key), clock.now()) : undefined;
      if (!file) {
        res.status(404).type('text/plain').send('This link has expired or does not exist. Ask the bot again for a new one.');
        return;
      }
      res
        .status(200)
        .type(file.mime_type)
        .set({ 'content-disposition': `attachment; filename="${file.name.replace(/[^\w.-]/g, '_')}"`, 'cache-control': 'no-store' })
        .send(file.content);
    }) satisfies RequestHandler<{ id: string }>,
  };
}

export type TeamsDownloads = ReturnType<typeof teamsDownloads>;
