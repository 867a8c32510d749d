import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Directory } from '../../chat/ports';
import type { Logger } from '../../logger';

/**
 * Looks people up in the roster of the conversation (or team) the turn came from. Teams' roster has
 * no time zone; the actor's own comes from the activity.
 */
export function turnDirectory(context: TurnContext, logger: Logger): Directory {
  return {
    async lookup(userId) {
      const { activity } = context;
      if (userId === activity.recipient?.id) {
        return { id: userId, displayName: activity.recipient.name || 'Bot', isBot: true, deleted: false };
      }
      try {
        const member = await TeamsInfo.getMember(context, userId);
        const name = member.name || [member.givenName, member.surname].filter(Boolean).join(' ');
        return {
          id: userId,
          displayName: name || member.userPrincipalName || userId,
          email: member.email || member.userPrincipalName || undefined,
          timezone: userId === activity.from?.id ? activity.localTimezone || undefined : undefined,
          isBot: false,
          deleted: false,
        };
      } catch (error) {
        logger.info({ err: error, userId, conversationId: activity.conversation?.id }, 'Teams member lookup failed');
        return undefined;
      }
    },
  };
}
