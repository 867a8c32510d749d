import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Db } from '../../db/connect';

const keyOf = (enterpriseInstall: boolean, enterpriseId?: string, teamId?: string) =>
  enterpriseInstall && enterpriseId ? `enterprise:${enterpriseId}` : `team:${teamId ?? ''}`;

/** OAuth installations in Postgres, keyed like Bolt asks for them (org-wide Grid installs by enterprise). */
export function postgresInstallationStore(db: Db): InstallationStore & {
  botTokenFor(workspaceId: string): Promise<string | undefined>;
} {
  async function fetchByKey(key: string): Promise<Installation | undefined> {
    const row = await db.selectFrom('slack_installations').select('installation').where('install_key', '=', key).executeTakeFirst();
    return row?.installation as Installation | undefined;
  }

  return {
    async storeInstallation(installation) {
      const isEnterpriseInstall = Boolean(installation.isEnterpriseInstall);
      const key = keyOf(isEnterpriseInstall, installation.enterprise?.id, installation.team?.id);
      const json = JSON.stringify(installation);
      await db
        .insertInto('slack_installations')
        .values({
          install_key: key,
          team_id: installation.team?.id ?? null,
          enterprise_id: installation.enterprise?.id ?? null,
          is_enterprise_install: isEnterpriseInstall,
          installation: json,
        })
        .onConflict((oc) => oc.column('install_key').doUpdateSet({ installation: json, updated_at: new Date() }))
        .execute();
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = await fetchByKey(keyOf(query.isEnterpriseInstall, query.enterpriseId, query.teamId));
      if (!found) throw new Error(`no Slack installation for ${query.enterpriseId ?? ''}/${query.teamId ?? ''}`);
      return found;
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      await db
        .deleteFrom('slack_installations')
        .where('install_key', '=', keyOf(query.isEnterpriseInstall, query.enterpriseId, query.teamId))
        .execute();
    },

    /** The bot token for a workspace id as interactions carry it (an enterprise for org-wide installs, else a team). */
    async botTokenFor(workspaceId) {
      const installation = (await fetchByKey(`enterprise:${workspaceId}`)) ?? (await fetchByKey(`team:${workspaceId}`));
      return installation?.bot?.token;
    },
  };
}

export type PostgresInstallationStore = ReturnType<typeof postgresInstallationStore>;
