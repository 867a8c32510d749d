import { type Sender, Undeliverable } from '../../chat/ports';
import type { Messenger } from './messenger';
import { messageActivity } from './replies';

/**
 * The notification job's way into Teams. Failures throw, so the job retries with backoff; that
 * covers Teams throttling (429) and its transient 412/502/504 answers.
 */
export function teamsSender(messenger: Messenger): Sender {
  return {
    platform: 'teams',
    async send(_orgId, target, message, { signal }) {
      const activity = messageActivity(message);
      if (target.kind === 'conversation') {
        const sent = await messenger.toConversation(target.conversationId, activity, signal);
        return { messageId: sent?.id };
      }
      if (!target.platformUserId) throw new Undeliverable('Teams: this person has no Teams account the bot knows', false);
      const sent = await messenger.toUser(target.workspaceId, target.platformUserId, activity, { signal });
      return { messageId: sent?.id };
    },
  };
}
