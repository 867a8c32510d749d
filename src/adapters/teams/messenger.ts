import {
  type Activity,
  type CloudAdapter,
  type ConversationParameters,
  type ResourceResponse,
  TurnContext,
} from 'botbuilder';
import { MaybeDelivered, PLATFORM_CALL_TIMEOUT_MS, withDeadline } from '../../chat/ports';
import type { ConversationStore, Reference } from './conversations';

/**
 * Sends outside of a turn: into a stored conversation, or into a person's 1:1 chat with the bot,
 * starting that chat when the bot has never been in it.
 */
export interface Messenger {
  toConversation(conversationId: string, activity: Partial<Activity>): Promise<ResourceResponse | undefined>;
  /** `via`: a conversation in the same tenant to take the service URL and the bot's id from. */
  toUser(tenantId: string, userId: string, activity: Partial<Activity>, via?: Reference): Promise<ResourceResponse | undefined>;
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
   * the connector doesn't finish within `PLATFORM_CALL_TIMEOUT_MS` fails (its client has no timeout of
   * its own, and its options can't add one), so a send that hangs frees its job inside the claim; the
   * message may still arrive (MaybeDelivered).
   */
  async function proactively(
    start: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
    send: (context: TurnContext) => Promise<ResourceResponse | undefined>,
  ): Promise<ResourceResponse | undefined> {
    let result: ResourceResponse | undefined;
    let failure: { error: unknown } | undefined;
    const turn = start(async (context) => {
      try {
        result = await send(context);
      } catch (error) {
        failure = { error };
      }
    });
    const late = () => new MaybeDelivered(`Teams: the connector did not answer within ${PLATFORM_CALL_TIMEOUT_MS / 1000} s`);
    await withDeadline(PLATFORM_CALL_TIMEOUT_MS, late, () => turn);
    if (failure) throw failure.error;
    return result;
  }

  const continueIn = (reference: Reference, activity: Partial<Activity>) =>
    proactively(
      (logic) => adapter.continueConversationAsync(appId, reference, logic),
      (context) => context.sendActivity(activity),
    );

  return {
    async toConversation(conversationId, activity) {
      const reference = await store.load(conversationId);
      if (!reference) throw new Error(`Teams: the bot has no record of conversation ${conversationId}`);
      return continueIn(reference, activity);
    },

    async update(conversationId, activityId, activity) {
      const reference = await store.load(conversationId);
      if (!reference) throw new Error(`Teams: the bot has no record of conversation ${conversationId}`);
      await proactively(
        (logic) => adapter.continueConversationAsync(appId, reference, logic),
        async (context) => {
          await context.updateActivity({ ...activity, id: activityId });
          return undefined;
        },
      );
    },

    async toUser(tenantId, userId, activity, via) {
      const personal = await store.personalChat(tenantId, userId);
      if (personal) return continueIn(personal, activity);
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
        (logic) =>
          adapter.createConversationAsync(appId, base.channelId ?? 'msteams', base.serviceUrl, CONFIGURED_AUDIENCE, params, logic),
        async (context) => {
          const created = TurnContext.getConversationReference(context.activity) as Reference;
          await store.save(
            { ...created, user: { id: userId, name: '' }, conversation: { ...created.conversation, conversationType: 'personal' } },
            tenantId,
            userId,
          );
          return context.sendActivity(activity);
        },
      );
    },
  };
}
