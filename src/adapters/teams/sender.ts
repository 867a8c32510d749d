import type { Sender } from '../../chat/ports';
import type { ConversationStore } from './conversations';
import type { Messenger } from './messenger';
import { messageActivity } from './replies';

/**
 * The notification job's way into Teams. Failures throw, so the job retries with backoff; that
 * covers Teams throttling (429) and its transient 412/502/504 answers.
 */
export function teamsSender(messenger: Messenger, store: ConversationStore): Sender {
  return {
    platform: 'teams',
    async send(orgId, target, message, { signal }) {
      const activity = messageActivity(message);
      if (target.kind === 'conversation') {
        const sent = await messenger.toConversation(target.conversationId, activity, signal);
        return { messageId: sent?.id };
      }
      const userId = await store.teamsUserOf(orgId, target.personId);
      if (!userId) throw new Error(`Teams: person ${target.personId} has no Teams identity in org ${orgId}`);
      const sent = await messenger.toUser(target.workspaceId, userId, activity, { signal });
      return { messageId: sent?.id };
    },
  };
}
