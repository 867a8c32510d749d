import type { Db } from '../../db/connect';

/** A file to keep for a link, and who asked for it (their Teams user id, in their tenant). */
export interface Kept {
  tenantId: string;
  userId: string;
  at: Date;
  expiresAt: Date;
  files: Array<{ id: string; keySha256: string; name: string; mimeType: string; content: Buffer }>;
}

/** Files handed out through short-lived links (table download_links, migration 0026). */
export function downloadLinks(db: Db) {
  return {
    /** Keeps the files under the tenant's org, clearing those past their time; false when the tenant has no org yet. */
    async keep(k: Kept): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('download_links').where('expires_at', '<=', k.at).execute();
        const org = await trx
          .selectFrom('org_workspaces')
          .select('org_id')
          .where('platform', '=', 'teams')
          .where('external_id', '=', k.tenantId)
          .executeTakeFirst();
        if (!org) return false;
        await trx
          .insertInto('download_links')
          .values(
            k.files.map((f) => ({
              id: f.id,
              org_id: org.org_id,
              platform_user_id: k.userId,
              key_sha256: f.keySha256,
              name: f.name,
              mime_type: f.mimeType,
              content: f.content,
              expires_at: k.expiresAt,
            })),
          )
          .execute();
        return true;
      });
    },

    /** The file a link names, while its key matches and its time lasts. */
    async find(id: string, keySha256: string, at: Date) {
      return db
        .selectFrom('download_links')
        .select(['name', 'mime_type', 'content'])
        .where('id', '=', id)
        .where('key_sha256', '=', keySha256)
        .where('expires_at', '>', at)
        .executeTakeFirst();
    },
  };
}

export type DownloadLinks = ReturnType<typeof downloadLinks>;
