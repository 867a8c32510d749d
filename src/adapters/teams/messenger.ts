import { setTimeout as sleep } from 'node:timers/promises';
import { type Activity, type CloudAdapter, type ConversationParameters, type ResourceResponse, type TeamsChannelAccount, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { MaybeDelivered, PLATFORM_CALL_TIMEOUT_MS, Undeliverable, withDeadline } from '../../chat/ports';
import type { ConversationStore, Reference } from './conversations.queries';

/**
 * Sends outside of a turn: into a stored conversation, or into a person's 1:1 chat with the bot,
 * starting that chat when the bot has never been in it.
 */
export interface Messenger {
  /** `signal`: the caller's own deadline (a delivery's), on top of the messenger's per call. */
  toConversation(conversationId: string, activity: Partial<Activity>, signal?: AbortSignal): Promise<ResourceResponse | undefined>;
  /** `via`: a conversation in the same tenant to take the service URL and the bot's id from. */
  toUser(
    tenantId: string,
    userId: string,
    activity: Partial<Activity>,
    options?: { via?: Reference; signal?: AbortSignal },
  ): Promise<ResourceResponse | undefined>;
  /** Replaces one of the bot's messages in a stored conversation (PUT …/activities/{id}). */
  update(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<void>;
  /**
   * Starts the user's 1:1 chat with the bot, or finds it (Teams answers with the one there is), by
   * their AAD object id or Teams user id, keeps it, and says who they are there. It fails where the
   * app is not installed for them.
   */
  openPersonalChat(tenantId: string, userId: string, options?: { via?: Reference }): Promise<TeamsChannelAccount>;
}

/** The HTTP status the connector answered a failed call with, if it answered. */
export const statusOf = (error: unknown) => (error as { statusCode?: unknown } | undefined)?.statusCode;

/**
 * Teams refuses to start a 1:1 chat with someone the app is not installed for (or who is not in the
 * tenant): no retry can change that until they install it.
 */
function chatRefused(error: unknown): Undeliverable | undefined {
  const status = statusOf(error);
  return status === 403 || status === 404
    ? new Undeliverable(`Teams: no 1:1 chat with this person (${status}): is the app installed for them?`, { code: 'no_personal_chat' })
    : undefined;
}

/** Tries of a send that Teams throttles or answers 412/502/504, and how long they may wait in all. */
const SEND_TRIES = 4;
const MAX_RETRY_WAIT_MS = 10_000;
const FIRST_BACKOFF_MS = 500;

/**
 * How long to wait before trying a failed send again, or undefined when a retry can't help: what
 * Retry-After says on a 429 or 503 (throttled), else exponential backoff with jitter (Microsoft's
 * advice for 429, 412, 502 and 504), so senders that failed together don't come back together.
 */
function retryWaitMs(error: unknown, tries: number): number | undefined {
  const status = statusOf(error);
  if (status !== 429 && status !== 503 && status !== 412 && status !== 502 && status !== 504) return undefined;
  const headers = (error as { response?: { headers?: { get?(name: string): string | undefined } } }).response?.headers;
  const retryAfter = Number(headers?.get?.('retry-after'));
  if ((status === 429 || status === 503) && retryAfter > 0) return retryAfter * 1000;
  return FIRST_BACKOFF_MS * 2 ** (tries - 1) * (0.5 + Math.random());
}

/**
 * Sends, trying again within the send while Teams asks to wait (up to SEND_TRIES tries and
 * MAX_RETRY_WAIT_MS of waiting, cut short by the caller's deadline); past that it fails, for the job
 * to retry later.
 */
async function withRetries<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let tries = 1, waitedMs = 0; ; tries++) {
    try {
      return await send();
    } catch (error) {
      const waitMs = retryWaitMs(error, tries);
      if (waitMs === undefined || tries >= SEND_TRIES || waitedMs + waitMs > MAX_RETRY_WAIT_MS) throw error;
      waitedMs += waitMs;
      await sleep(waitMs, undefined, { signal });
    }
  }
}

/**
 * The turn's connector client (new for each turn) without the Azure pipeline's own retry policy:
 * three more tries of any 5xx, and a 429's Retry-After however long, unseen by `withRetries`, which
 * keeps them within the send's deadline. The policy is reached by name, as the pipeline names it.
 */
function withoutOwnRetries(client: ConnectorClient): void {
  const { pipeline } = (client as unknown as { client: { pipeline: { removePolicy(policy: { name: string }): unknown } } }).client;
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
}

// createConversationAsync wants an audience; without one, the connector factory uses the scope it
// was configured with for this cloud (https://api.botframework.com in the public cloud).
const CONFIGURED_AUDIENCE = undefined as unknown as string;

export function createMessenger(adapter: CloudAdapter, store: ConversationStore, appId: string): Messenger {
  /**
   * Runs `send` as a proactive turn and hands back its result. An error inside a turn would go to
   * onTurnError and be swallowed there; the caller (a job that retries) must see it instead. A turn
   * the connector doesn't finish within `PLATFORM_CALL_TIMEOUT_MS`, or by the caller's `signal`,
   * fails (MaybeDelivered: the message may be in) and its call to the connector is aborted, so a send
   * that hangs frees its job inside the claim and can't land after it.
   */
  async function proactively<T>(
    start: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
    send: (context: TurnContext, signal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T | undefined> {
    const late = () => new MaybeDelivered(`Teams: the connector did not answer within ${PLATFORM_CALL_TIMEOUT_MS / 1000} s`);
    return withDeadline(PLATFORM_CALL_TIMEOUT_MS, late, async (deadline) => {
      const abort = signal ? AbortSignal.any([deadline, signal]) : deadline;
      let result: T | undefined;
      let failure: { error: unknown } | undefined;
      await start(async (context) => {
        try {
          result = await send(context, abort);
        } catch (error) {
          failure = { error };
        }
      });
      if (failure) throw failure.error;
      return result;
    });
  }

  /**
   * The turn's connector call, made as `context.sendActivity` / `updateActivity` make it (the
   * conversation's reference applied; a reply where it names an activity) but with an abort signal,
   * which the context's methods can't pass on. The context's send hooks (`onSendActivities`) are
   * skipped: the app registers none.
   */
  function connector(context: TurnContext, activity: Partial<Activity>) {
    const client = context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey);
    withoutOwnRetries(client);
    const reference = TurnContext.getConversationReference(context.activity);
    const outgoing = TurnContext.applyConversationReference({ type: 'message', ...activity }, reference);
    return { conversations: client.conversations, conversationId: outgoing.conversation!.id, outgoing };
  }

  async function sendInTurn(context: TurnContext, activity: Partial<Activity>, abortSignal: AbortSignal): Promise<ResourceResponse> {
    const { conversations, conversationId, outgoing } = connector(context, activity);
    const { id } = outgoing.replyToId
      ? await conversations.replyToActivity(conversationId, outgoing.replyToId, outgoing, { abortSignal })
      : await conversations.sendToConversation(conversationId, outgoing, { abortSignal });
    return { id };
  }

  const continueIn = (reference: Reference, activity: Partial<Activity>, signal?: AbortSignal) =>
    proactively(
      (logic) => adapter.continueConversationAsync(appId, reference, logic),
      (context, abort) => sendInTurn(context, activity, abort),
      signal,
    );

  /** Starts a turn in a new 1:1 chat with the user (Teams hands back the one there is, if any). */
  async function startPersonalChat(tenantId: string, userId: string, via: Reference | undefined) {
    const base = via ?? (await store.anyInTenant(tenantId));
    if (!base?.bot) throw new Error(`Teams: no conversation in tenant ${tenantId} to reach user ${userId} from`);
    const realTenant = tenantId === 'local' ? undefined : tenantId;
    const params: ConversationParameters = {
      isGroup: false,
      bot: { id: base.bot.id, name: base.bot.name },
      members: [{ id: userId, name: '' }],
      ...(realTenant ? { tenantId: realTenant } : {}),
      channelData: realTenant ? { tenant: { id: realTenant } } : {},
    };
    return (logic: (context: TurnContext) => Promise<void>) =>
      adapter.createConversationAsync(appId, base.channelId ?? 'msteams', base.serviceUrl, CONFIGURED_AUDIENCE, params, logic);
  }

  /** One try of `toUser`: into their 1:1 chat, started (and kept) if the bot has none yet. */
  async function sendToUser(tenantId: string, userId: string, activity: Partial<Activity>, via: Reference | undefined, signal: AbortSignal | undefined) {
    const personal = await store.personalChat(tenantId, userId);
    if (personal) return continueIn(personal, activity, signal);
    const start = await startPersonalChat(tenantId, userId, via);
    return proactively(
      (logic) => start(logic).catch((error: unknown) => Promise.reject(chatRefused(error) ?? error)),
      async (context, abort) => {
        const created = TurnContext.getConversationReference(context.activity) as Reference;
        await store.save(
          { ...created, user: { id: userId, name: '' }, conversation: { ...created.conversation, conversationType: 'personal' } },
          tenantId,
          userId,
        );
        return sendInTurn(context, activity, abort);
      },
      signal,
    );
  }

  return {
    async openPersonalChat(tenantId, userId, { via } = {}) {
      const start = await startPersonalChat(tenantId, userId, via);
      const member = await withRetries(() =>
        proactively(start, async (context, abortSignal) => {
          const { conversations, conversationId } = connector(context, {});
          // The chat's roster: the user, by their Teams id, with their name, email and AAD object id.
          const found = (await conversations.getConversationMember(conversationId, userId, { abortSignal })) as unknown as TeamsChannelAccount;
          const created = TurnContext.getConversationReference(context.activity) as Reference;
          const user = { id: found.id, name: found.name ?? '', ...(found.aadObjectId ? { aadObjectId: found.aadObjectId } : {}) };
          await store.save({ ...created, user, conversation: { ...created.conversation, conversationType: 'personal' } }, tenantId, found.id);
          return found;
        }),
      );
      if (!member?.id) throw new Error(`Teams: the 1:1 chat with ${userId} names nobody`);
      return member;
    },

    async toConversation(conversationId, activity, signal) {
      // A team channel (the org's recognition channel) the bot may know only by its threads.
      const reference = (await store.load(conversationId)) ?? (await store.channelFromThread(conversationId));
      if (!reference) throw new Error(`Teams: the bot has no record of conversation ${conversationId}`);
      return withRetries(() => continueIn(reference, activity, signal), signal);
    },

    async update(conversationId, activityId, activity) {
      const reference = await store.load(conversationId);
      if (!reference) throw new Error(`Teams: the bot has no record of conversation ${conversationId}`);
      await withRetries(() =>
        proactively(
          (logic) => adapter.continueConversationAsync(appId, reference, logic),
          async (context, abortSignal) => {
            const { conversations, conversationId: id, outgoing } = connector(context, { ...activity, id: activityId });
            await conversations.updateActivity(id, activityId, outgoing, { abortSignal });
            return undefined;
          },
        ),
      );
    },

    toUser(tenantId, userId, activity, { via, signal } = {}) {
      // Each try looks for the chat again: one that failed after starting it finds it.
      return withRetries(() => sendToUser(tenantId, userId, activity, via, signal), signal);
    },
  };
}
