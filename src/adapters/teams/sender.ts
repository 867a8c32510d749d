import { type NotificationTarget, type Sender, Undeliverable } from '../../chat/ports';
import { MAX_PACED_WAIT_MS, type Pace, type Pacer } from '../../pacing/pacer';
import { type Messenger, statusOf } from './messenger';
import { messageActivity } from './replies';

/**
 * Teams' limits for a bot: per conversation 7 sends a second, 8 in 2 s, 60 in 30 s and 1,800 an
 * hour; per tenant 50 requests a second. One pace per conversation keeps all four: bursts of 7, then
 * one every 2.01 s (7 + 1 in 2 s, 7 + 14 in 30 s, 7 + 1,791 in an hour); the tenant's, bursts of 5
 * then one every 25 ms (at most 45 in a second).
 */
function sendPaces(target: NotificationTarget): Pace[] {
  const tenant = target.workspaceId;
  const conversation = target.kind === 'conversation' ? target.conversationId : `chat:${target.platformUserId}`;
  return [
    { key: `teams:${tenant}:${conversation}`, everyMs: 2_010, burst: 7 },
    { key: `teams:${tenant}`, everyMs: 25, burst: 5 },
  ];
}

/**
 * The notification job's way into Teams, paced to Teams' limits. The messenger waits out Teams'
 * throttling (429) and its transient 412/502/504 answers for a few tries; past them the send fails,
 * and the job retries with backoff. A message over Teams' size limit (413) can never go.
 */
export function teamsSender(messenger: Messenger, pacer: Pacer): Sender {
  return {
    platform: 'teams',
    async send(_orgId, target, message, { signal }) {
      const activity = messageActivity(message);
      if (target.kind === 'person' && !target.platformUserId) {
        throw new Undeliverable('Teams: this person has no Teams account the bot knows', { code: 'no_account' });
      }
      await pacer.turn(sendPaces(target), { signal, maxWaitMs: MAX_PACED_WAIT_MS });
      try {
        const sent =
          target.kind === 'conversation'
            ? await messenger.toConversation(target.conversationId, activity, signal)
            : await messenger.toUser(target.workspaceId, target.platformUserId!, activity, { signal });
        return { messageId: sent?.id };
      } catch (error) {
        if (statusOf(error) === 413) throw new Undeliverable("Teams: the message is over Teams' size limit (413)", { code: 'too_large' });
        throw error;
      }
    },
  };
}
