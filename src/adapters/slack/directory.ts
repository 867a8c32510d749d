import type { WebClient } from '@slack/web-api';
import type { Directory } from '../../chat/ports';

/** Slack's own users are bots to us: Slackbot is not a person you can recognise. */
const SLACKBOT = 'USLACKBOT';

export function slackDirectory(client: WebClient): Directory {
  return {
    async lookup(userId) {
      try {
        const { user } = await client.users.info({ user: userId });
        if (!user?.id) return undefined;
        const profile = user.profile ?? {};
        return {
          id: user.id,
          displayName: profile.display_name || profile.real_name || user.real_name || user.name || user.id,
          email: profile.email,
          timezone: user.tz,
          isBot: Boolean(user.is_bot) || user.id === SLACKBOT,
          deleted: Boolean(user.deleted),
          isAdmin: Boolean(user.is_admin || user.is_owner),
        };
      } catch (error) {
        if ((error as { data?: { error?: string } }).data?.error === 'user_not_found') return undefined;
        throw error;
      }
    },
  };
}
