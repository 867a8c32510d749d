import { type Activity, type CloudAdapter, type ConversationParameters, type ResourceResponse, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { MaybeDelivered, PLATFORM_CALL_TIMEOUT_MS, withDeadline } from '../../chat/ports';
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
  async function proactively(
    start: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
    send: (context: TurnContext, signal: AbortSignal) => Promise<ResourceResponse | undefined>,
    signal?: AbortSignal,
  ): Promise<ResourceResponse | undefined> {
    const late = () => new MaybeDelivered(`Teams: the connector did not answer within ${PLATFORM_CALL_TIMEOUT_MS / 1000} s`);
    return withDeadline(PLATFORM_CALL_TIMEOUT_MS, late, async (deadline) => {
      const abort = signal ? AbortSignal.any([deadline, signal]) : deadline;
      let result: ResourceResponse | undefined;
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

  return {
    async toConversation(conversationId, activity, signal) {
      // A team channel (the org's recognition channel) the bot may know only by its threads.
      const reference = (await store.load(conversationId)) ?? (await store.channelFromThread(conversationId));
      if (!reference) throw new Error(`Teams: the bot has no record of conversation ${conversationId}`);
      return continueIn(reference, activity, signal);
    },

    async update(conversationId, activityId, activity) {
      const reference = await store.load(conversationId);
      if (!reference) throw new Error(`Teams: the bot has no record of conversation ${conversationId}`);
      await proactively(
        (logic) => adapter.continueConversationAsync(appId, reference, logic),
        async (context, abortSignal) => {
          const { conversations, conversationId: id, outgoing } = connector(context, { ...activity, id: activityId });
          await conversations.updateActivity(id, activityId, outgoing, { abortSignal });
          return undefined;
        },
      );
    },

    async toUser(tenantId, userId, activity, { via, signal } = {}) {
      const personal = await store.personalChat(tenantId, userId);
      if (personal) return continueIn(personal, activity, signal);
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
      return proactively(
        (logic) => adapter.createConversationAsync(appId, base.channelId ?? 'msteams', base.serviceUrl, CONFIGURED_AUDIENCE, params, logic),
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
    },
  };
}
