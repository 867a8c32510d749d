import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { sql } from 'kysely';
import type { Clock } from '../../chat/ports';
import type { Db } from '../../db/connect';
import { workspaceBack, workspaceRemoved } from '../../retention/retention.queries';
import type { TokenCipher } from './token-cipher';

/** A rotating token is refreshed when less than this is left of it. */
export const REFRESH_WHEN_LEFT_MS = 10 * 60_000;

/** What oauth.v2.access answers to a refresh_token grant. */
export interface RefreshedToken {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
}

export interface InstallationStoreDeps {
  cipher: TokenCipher;
  clock: Clock;
  /** Trades a refresh token for a new pair (oauth.v2.access, grant_type=refresh_token). */
  refresh(refreshToken: string): Promise<RefreshedToken>;
}

/** How a workspace is named in events and interactions: an enterprise for org-wide installs, else a team. */
export interface InstalledWorkspace {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
}

const keyOf = (enterpriseInstall: boolean, enterpriseId?: string, teamId?: string) =>
  enterpriseInstall && enterpriseId ? `enterprise:${enterpriseId}` : `team:${teamId ?? ''}`;
const keyOfWorkspace = (w: InstalledWorkspace) => keyOf(w.isEnterpriseInstall, w.enterpriseId, w.teamId);
/** The workspace id `org_workspaces` knows the install by (`workspaceIdOf` in interactions.ts). */
const workspaceIdOfKey = (key: string) => key.slice(key.indexOf(':') + 1);

type Tokens = Pick<NonNullable<Installation['bot']>, 'token' | 'refreshToken'>;

/** The installation with each of its tokens (bot and user, access and refresh) passed through `change`. */
function withTokens(installation: Installation, change: (token: string) => string): Installation {
  const each = <T extends Partial<Tokens> | undefined>(holder: T): T =>
    holder && {
      ...holder,
      ...(holder.token ? { token: change(holder.token) } : {}),
      ...(holder.refreshToken ? { refreshToken: change(holder.refreshToken) } : {}),
    };
  return { ...installation, bot: each(installation.bot), user: each(installation.user) };
}

/**
 * OAuth installations in Postgres, keyed like Bolt asks for them (org-wide Grid installs by
 * enterprise), their tokens sealed (`token-cipher.ts`): a row never holds one in clear. A row
 * sealed with an older key is sealed again with the first when read, and at start (`sealAll`).
 * With token rotation, a bot token is refreshed here, under a lock, when less than
 * REFRESH_WHEN_LEFT_MS is left of it; Bolt is handed installations without their refresh tokens,
 * so it never refreshes on its own (it would, unlocked, two hours ahead, by the machine's clock).
 */
export function postgresInstallationStore(db: Db, { cipher, clock, refresh }: InstallationStoreDeps) {
  const seal = (installation: Installation) => JSON.stringify(withTokens(installation, cipher.seal));

  /** The row's installation, opened; sealed again with the first key when it wasn't (only if nobody changed it meanwhile). */
  async function open(executor: Db, key: string, stored: unknown): Promise<Installation> {
    let stale = false;
    const installation = withTokens(stored as Installation, (token) => {
      const opened = cipher.open(token);
      stale ||= opened.stale;
      return opened.plain;
    });
    if (stale) {
      await executor
        .updateTable('slack_installations')
        .set({ installation: seal(installation) })
        .where('install_key', '=', key)
        .where(sql<boolean>`installation = ${JSON.stringify(stored)}::jsonb`)
        .execute();
    }
    return installation;
  }

  async function read(executor: Db, key: string, lock = false): Promise<Installation | undefined> {
    const query = executor.selectFrom('slack_installations').select('installation').where('install_key', '=', key);
    const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
    return row ? open(executor, key, row.installation) : undefined;
  }

  const expiring = (installation: Installation) => {
    const { refreshToken, expiresAt } = installation.bot ?? {};
    return Boolean(refreshToken) && expiresAt !== undefined && expiresAt * 1000 - clock.now().getTime() < REFRESH_WHEN_LEFT_MS;
  };

  /**
   * The installation with a bot token that has time left; refreshed under the row's lock, so two
   * workers refresh once. None when the app was uninstalled meanwhile.
   */
  async function fresh(key: string, installation: Installation): Promise<Installation | undefined> {
    if (!expiring(installation)) return installation;
    return db.transaction().execute(async (trx) => {
      const current = await read(trx, key, true);
      if (!current?.bot?.refreshToken || !expiring(current)) return current;
      const next = await refresh(current.bot.refreshToken);
      if (!next.access_token || !next.refresh_token || !next.expires_in) throw new Error('Slack oauth.v2.access: a refresh without a new token pair');
      const refreshed: Installation = {
        ...current,
        bot: {
          ...current.bot,
          token: next.access_token,
          refreshToken: next.refresh_token,
          expiresAt: Math.floor(clock.now().getTime() / 1000) + next.expires_in,
        },
      };
      await trx
        .updateTable('slack_installations')
        .set({ installation: seal(refreshed), updated_at: new Date() })
        .where('install_key', '=', key)
        .execute();
      return refreshed;
    });
  }

  async function fetchByKey(key: string): Promise<Installation | undefined> {
    const installation = await read(db, key);
    return installation && fresh(key, installation);
  }

  /** Bolt's view of an installation: no refresh tokens, so that it leaves refreshing to `fresh`. */
  const withoutRefreshTokens = (installation: Installation): Installation => ({
    ...installation,
    bot: installation.bot && { ...installation.bot, refreshToken: undefined, expiresAt: undefined },
    user: { ...installation.user, refreshToken: undefined, expiresAt: undefined },
  });

  /** Bolt stamps a rotating token's expiry by the machine's clock as it stores the install; the app reckons by its own. */
  const onAppClock = (expiresAt: number | undefined) =>
    expiresAt === undefined ? undefined : Math.floor(clock.now().getTime() / 1000) + (expiresAt - Math.floor(Date.now() / 1000));

  const store = {
    async storeInstallation(installation: Installation) {
      const isEnterpriseInstall = Boolean(installation.isEnterpriseInstall);
      const key = keyOf(isEnterpriseInstall, installation.enterprise?.id, installation.team?.id);
      const onClock: Installation = {
        ...installation,
        bot: installation.bot && { ...installation.bot, expiresAt: onAppClock(installation.bot.expiresAt) },
        user: { ...installation.user, expiresAt: onAppClock(installation.user.expiresAt) },
      };
      const json = seal(onClock);
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
      // A reinstall within the grace period keeps the org's data.
      await workspaceBack(db, 'slack', workspaceIdOfKey(key));
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = await fetchByKey(keyOf(query.isEnterpriseInstall, query.enterpriseId, query.teamId));
      if (!found) throw new Error(`no Slack installation for ${query.enterpriseId ?? ''}/${query.teamId ?? ''}`);
      return withoutRefreshTokens(found);
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      await db
        .deleteFrom('slack_installations')
        .where('install_key', '=', keyOf(query.isEnterpriseInstall, query.enterpriseId, query.teamId))
        .execute();
    },

    /** The bot token for a workspace id as interactions carry it (an enterprise for org-wide installs, else a team). */
    async botTokenFor(workspaceId: string): Promise<string | undefined> {
      const installation = (await fetchByKey(`enterprise:${workspaceId}`)) ?? (await fetchByKey(`team:${workspaceId}`));
      return installation?.bot?.token;
    },

    /**
     * The app left the workspace (or lost its bot token): its tokens go at once, and its org's data
     * after the grace period unless it is installed again (`retention/retention.queries.ts`).
     */
    async uninstalled(workspace: InstalledWorkspace): Promise<void> {
      const key = keyOfWorkspace(workspace);
      await db.deleteFrom('slack_installations').where('install_key', '=', key).execute();
      await workspaceRemoved(db, 'slack', workspaceIdOfKey(key), clock.now());
    },

    /** Slack revoked these people's user tokens: they go, the bot's stays. */
    async userTokensRevoked(workspace: InstalledWorkspace, userIds: string[]): Promise<void> {
      const key = keyOfWorkspace(workspace);
      await db.transaction().execute(async (trx) => {
        const installation = await read(trx, key, true);
        if (!installation?.user.token || !userIds.includes(installation.user.id)) return;
        const { id } = installation.user;
        await trx
          .updateTable('slack_installations')
          .set({ installation: seal({ ...installation, user: { id, token: undefined, scopes: undefined } }), updated_at: new Date() })
          .where('install_key', '=', key)
          .execute();
      });
    },

    /** Seals every row in clear (from before encryption) or under an older key; a second run finds nothing to do. */
    async sealAll(): Promise<void> {
      const rows = await db.selectFrom('slack_installations').select(['install_key', 'installation']).execute();
      for (const row of rows) await open(db, row.install_key, row.installation);
    },
  } satisfies InstallationStore & Record<string, unknown>;
  return store;
}

export type PostgresInstallationStore = ReturnType<typeof postgresInstallationStore>;
