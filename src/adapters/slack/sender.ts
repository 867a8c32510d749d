import { type ChatPostMessageResponse, WebClient, type WebClientOptions } from '@slack/web-api';
import { type NotificationTarget, type Sender, Undeliverable } from '../../chat/ports';
import { callWithJson, slackFetch } from './transport';
import { renderMessage } from './render';

/** Message metadata tags each notification with its dedupe key (read back with the *:history scopes). */
const METADATA_TYPE = 'hepo_notification';

/** Slack errors that no retry can fix; the first three mean the person is gone, the last two the app (uninstalled, its token revoked). */
const PERSON_GONE = new Set(['user_not_found', 'account_inactive', 'user_disabled']);
const HOPELESS = new Set([...PERSON_GONE, 'channel_not_found', 'is_archived', 'not_in_channel', 'cannot_dm_bot', 'token_revoked', 'invalid_auth']);
/** Slack errors that refuse the bot a look at a conversation's history, where it may still post. */
const CANNOT_LOOK = new Set(['not_in_channel', 'missing_scope']);

const slackErrorCode = (error: unknown) => (error as { data?: { error?: string } }).data?.error;

/**
 * Sends notifications with chat.postMessage. A person's DM is addressed by their user id (Slack opens
 * the DM itself), with a JSON body straight to the Web API (`callWithJson`: a fraction of the Web API
 * client's CPU per call), which waits out 429 Retry-After; other failures throw so the job retries.
 * The workspace's Web API client supplies the token and the API's address, and makes the rarer calls.
 */
export function slackSender(clientFor: (workspaceId: string) => Promise<WebClient>): Sender {
  /**
   * A message the bot sent earlier with this key, if a previous attempt got through without hearing
   * so: read back from the conversation's recent history (a person's DM is found through
   * conversations.open). `undefined` also when Slack won't let the bot look (a public channel it
   * posts to without being a member, an install from before it asked for the history scopes): it
   * can't know, so it sends.
   */
  async function alreadySent(client: WebClient, target: NotificationTarget, channel: string, key: string): Promise<string | undefined> {
    try {
      const conversation = target.kind === 'person' ? (await client.conversations.open({ users: channel })).channel?.id : channel;
      if (!conversation) return undefined;
      const history = await client.conversations.history({ channel: conversation, limit: 50, include_all_metadata: true });
      // The response types leave event_payload untyped.
      const keyOf = (m: { metadata?: { event_type?: string; event_payload?: unknown } }) =>
        m.metadata?.event_type === METADATA_TYPE ? (m.metadata.event_payload as { key?: string } | undefined)?.key : undefined;
      return history.messages?.find((m) => keyOf(m) === key)?.ts;
    } catch (error) {
      if (CANNOT_LOOK.has(slackErrorCode(error) ?? '')) return undefined;
      throw error;
    }
  }

  return {
    platform: 'slack',
    async send(_orgId, target, message, delivery) {
      const client = await clientFor(target.workspaceId);
      const channel = target.kind === 'conversation' ? target.conversationId : target.platformUserId;
      if (!channel) throw new Undeliverable('Slack: this person has no Slack account the bot knows', false);
      try {
        if (delivery.uncertain) {
          const ts = await alreadySent(client, target, channel, delivery.key);
          if (ts) return { messageId: ts };
        }
        const { text, blocks } = renderMessage(message);
        if (!client.token) throw new Error(`no Slack token for workspace ${target.workspaceId}`);
        const post = {
          channel,
          text,
          blocks,
          unfurl_links: false,
          metadata: { event_type: METADATA_TYPE, event_payload: { key: delivery.key } },
        };
        // Aborted at the job's deadline: a post abandoned then must not reach Slack later.
        const result = await callWithJson<ChatPostMessageResponse>(client.slackApiUrl, client.token, 'chat.postMessage', post, delivery.signal);
        return { messageId: result.ts };
      } catch (error) {
        const code = slackErrorCode(error);
        if (code && HOPELESS.has(code)) throw new Undeliverable(`Slack: ${code}`, PERSON_GONE.has(code));
        throw error;
      }
    },
  };
}

/**
 * The client's own calls (a person's profile, a modal, a private reply, a conversation's history)
 * retry a failed call for at most 5 s, not the client's default of ten times over half an hour: a
 * person waiting for an answer is better told to try again, and a job holding a 30 s claim should
 * fail and retry later.
 */
const RETRY_BRIEFLY = { retries: 5, factor: 2, minTimeout: 250, maxTimeout: 2_000, randomize: true, maxRetryTime: 5_000 };

export function webClientOptions(apiUrl: string | undefined): WebClientOptions {
  return { fetch: slackFetch, retryConfig: RETRY_BRIEFLY, ...(apiUrl ? { slackApiUrl: apiUrl } : {}) };
}
