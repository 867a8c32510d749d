import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Sender } from '../../chat/ports';
import type { Db } from '../../db/connect';
import { renderMessage } from './render';

/**
 * Sends notifications with chat.postMessage. A person's DM is addressed by their user id (Slack opens
 * the DM itself). The Web API client waits out 429 Retry-After on its own; other failures throw so the
 * job retries.
 */
export function slackSender(db: Db, clientFor: (workspaceId: string) => Promise<WebClient>): Sender {
  async function slackUserId(orgId: string, personId: string): Promise<string> {
    const identity = await db
      .selectFrom('identities')
      .select('platform_user_id')
      .where('org_id', '=', orgId)
      .where('person_id', '=', personId)
      .where('platform', '=', 'slack')
      .executeTakeFirst();
    if (!identity) throw new Error(`person ${personId} has no Slack identity`);
    return identity.platform_user_id;
  }

  return {
    platform: 'slack',
    async send(orgId, target, message) {
      const client = await clientFor(target.workspaceId);
      const channel = target.kind === 'person' ? await slackUserId(orgId, target.personId) : target.conversationId;
      const result = await client.chat.postMessage({ channel, ...renderMessage(message), unfurl_links: false });
      return { messageId: result.ts };
    },
  };
}

export function webClientOptions(apiUrl: string | undefined): WebClientOptions {
  return apiUrl ? { slackApiUrl: apiUrl } : {};
}
