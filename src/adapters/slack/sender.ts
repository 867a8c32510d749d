import { type ChatPostMessageResponse, WebClient, type WebClientOptions } from '@slack/web-api';
import { type NotificationTarget, type Sender, Undeliverable } from '../../chat/ports';
import { MAX_PACED_WAIT_MS, type Pace, type Pacer } from '../../pacing/pacer';
import { callWithJson, pacedSlackFetch } from './transport';
import { renderMessage } from './render';

/** Message metadata tags each notification with its dedupe key (read back with the *:history scopes). */
const METADATA_TYPE = 'hepo_notification';

/**
 * Slack errors that no retry can fix: the person is gone (the first three), the channel is, the app is
 * (uninstalled, its token revoked), or the message is over Slack's limits.
 */
const PERSON_GONE = new Set(['user_not_found', 'account_inactive', 'user_disabled']);
const HOPELESS = new Set([
  ...PERSON_GONE,
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'cannot_dm_bot',
  'token_revoked',
  'invalid_auth',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
]);
/** Slack errors that refuse the bot a look at a conversation's history, where it may still post. */
const CANNOT_LOOK = new Set(['not_in_channel', 'missing_scope']);

const slackErrorCode = (error: unknown) => (error as { data?: { error?: string } }).data?.error;

/** How fast the bot posts to a workspace (chat.postMessage): in all, and to one channel or person. */
export interface PostPacing {
  pacer: Pacer;
  postsPerSecond: number;
  channelPostsPerSecond: number;
}

/**
 * chat.postMessage's limits, per workspace: about one message a second to a channel, short bursts
 * allowed (a few kudos in a row), and a workspace-wide limit Slack doesn't publish (configured), in
 * bursts of two at most (a kudos' post and DM together): a burst over a limit counted per second
 * would be refused at its edges.
 */
const CHANNEL_BURST = 5;
const WORKSPACE_BURST = 2;
/**
 * Posts paced exactly at a limit Slack counts per second are refused whenever one arrives a few ms
 * late into the next second (the fan-out bench: 0.3 % of posts, each 429 holding every post for a
 * second); 2 % under it leaves room for that jitter.
 */
const HEADROOM = 0.98;

function postPaces({ postsPerSecond, channelPostsPerSecond }: PostPacing, workspaceId: string, channel: string): Pace[] {
  const everyMs = (perSecond: number) => 1000 / (perSecond * HEADROOM);
  return [
    { key: `slack:${workspaceId}:chat.postMessage`, everyMs: everyMs(postsPerSecond), burst: WORKSPACE_BURST },
    { key: `slack:${workspaceId}:chat.postMessage:${channel}`, everyMs: everyMs(channelPostsPerSecond), burst: CHANNEL_BURST },
  ];
}

/**
 * Sends notifications with chat.postMessage. A person's DM is addressed by their user id (Slack opens
 * the DM itself), with a JSON body straight to the Web API (`callWithJson`: a fraction of the Web API
 * client's CPU per call), paced to chat.postMessage's limits (`pacing`), which waits out a 429's
 * Retry-After all the same; other failures throw so the job retries.
 * The workspace's Web API client supplies the token and the API's address, and makes the rarer calls.
 */
export function slackSender(clientFor: (workspaceId: string) => Promise<WebClient>, pacing: PostPacing): Sender {
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
      if (!channel) throw new Undeliverable('Slack: this person has no Slack account the bot knows', { code: 'no_account' });
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
        await pacing.pacer.turn(postPaces(pacing, target.workspaceId, channel), { signal: delivery.signal, maxWaitMs: MAX_PACED_WAIT_MS });
        // Aborted at the job's deadline: a post abandoned then must not reach Slack later.
        const result = await callWithJson<ChatPostMessageResponse>(client.slackApiUrl, client.token, 'chat.postMessage', post, delivery.signal);
        return { messageId: result.ts };
      } catch (error) {
        const code = slackErrorCode(error);
        if (code && HOPELESS.has(code)) throw new Undeliverable(`Slack: ${code}`, { code, personGone: PERSON_GONE.has(code) });
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

export function webClientOptions(apiUrl: string | undefined, pacer: Pacer): WebClientOptions {
  return { fetch: pacedSlackFetch(pacer), retryConfig: RETRY_BRIEFLY, ...(apiUrl ? { slackApiUrl: apiUrl } : {}) };
}
