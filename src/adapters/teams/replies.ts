import { type Activity, TurnContext } from 'botbuilder';
import type { Form, Message } from '../../chat/ui';
import type { Logger } from '../../logger';
import type { SourceRef } from './card-data';
import { actorOf, isPersonal, tenantOf } from './interactions';
import type { Reference } from './conversations.queries';
import type { Messenger } from './messenger';
import { attachment, type FormRenderOptions, type MessageRenderOptions, renderForm, renderMessage, summaryOf } from './render';

export function messageActivity(message: Message, options?: MessageRenderOptions): Partial<Activity> {
  return { type: 'message', summary: summaryOf(message), attachments: [attachment(renderMessage(message, options))] };
}

/** A form as a card in the conversation, submitted with Action.Execute. */
export function formActivity(form: Form, options: Omit<FormRenderOptions, 'mode'> = {}): Partial<Activity> {
  return { type: 'message', summary: form.title, attachments: [attachment(renderForm(form, { ...options, mode: 'inline' }))] };
}

export interface TurnReplies {
  /** Into the conversation the turn came from, for everyone in it. */
  here(activity: Partial<Activity>): Promise<void>;
  /** For the actor's eyes: here in their 1:1 chat with the bot; from a channel or group chat, into that 1:1. */
  privately(activity: Partial<Activity>): Promise<void>;
  /** Replaces one of the bot's messages: in this conversation through the turn, elsewhere as a proactive update. */
  replace(source: SourceRef, activity: Partial<Activity>): Promise<void>;
}

export function turnReplies(context: TurnContext, messenger: Messenger, logger: Logger): TurnReplies {
  const here = async (activity: Partial<Activity>) => {
    await context.sendActivity(activity);
  };
  return {
    here,
    async privately(activity) {
      if (isPersonal(context.activity)) return here(activity);
      const via = TurnContext.getConversationReference(context.activity) as Reference;
      try {
        await messenger.toUser(tenantOf(context.activity), actorOf(context.activity).id, activity, { via });
      } catch (error) {
        // Falling back to the channel would show everyone what was meant for one person.
        logger.warn({ err: error, userId: context.activity.from?.id }, 'Teams: could not reach the user privately');
      }
    },
    async replace(source, activity) {
      try {
        // updateActivity always writes into the turn's own conversation, whatever the activity says.
        if (source.conversationId === context.activity.conversation?.id) {
          await context.updateActivity({ ...activity, id: source.activityId });
        } else {
          await messenger.update(source.conversationId, source.activityId, activity);
        }
      } catch (error) {
        // What was done is done; only the old message stays as it was (deleted, or too old to edit).
        logger.warn({ err: error, source }, 'Teams: could not update the message the interaction started from');
      }
    },
  };
}
