import type { ViewResponseAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Effect } from '../../chat/effects';
import type { Origin } from '../../chat/interaction';
import type { Message } from '../../chat/ui';
import { modalMetadata, type SourceMessage } from './interactions';
import { plainText, renderHome, renderMessage, renderModal } from './render';
import { postToResponseUrl } from './transport';

export interface Answerer {
  client: WebClient;
  userId: string;
  origin: Origin;
  triggerId?: string;
  /** Where private answers go, when the payload has one (commands, message buttons). */
  responseUrl?: string;
  /** The bot's message the interaction started from. */
  source?: SourceMessage;
  /** The open modal a next form replaces (a submission answered after its acknowledgement). */
  modalId?: string;
}

const textOf = (errors: Record<string, string>) => ({
  summary: Object.values(errors).join(' '),
  blocks: Object.values(errors).map((text) => ({ type: 'section' as const, text })),
});

/** Shows a message to this one person only: ephemeral where possible, else a DM from the bot. */
async function replyPrivately(to: Answerer, message: Message): Promise<void> {
  const rendered = renderMessage(message);
  if (to.responseUrl) {
    await postToResponseUrl(to.responseUrl, { response_type: 'ephemeral', replace_original: false, ...rendered });
    return;
  }
  try {
    await to.client.chat.postEphemeral({ channel: to.origin.conversationId, user: to.userId, ...rendered });
  } catch {
    // Not a channel the bot is in (e.g. a DM between two people): the bot's own DM always works.
    await to.client.chat.postMessage({ channel: to.userId, ...rendered });
  }
}

/** Carries out effects after the interaction was acknowledged (commands and button clicks). */
export async function applyEffects(effects: Effect[], to: Answerer): Promise<void> {
  for (const effect of effects) {
    switch (effect.type) {
      case 'reply':
      case 'done':
        await replyPrivately(to, effect.message);
        break;
      case 'form_errors':
        await replyPrivately(to, textOf(effect.errors));
        break;
      case 'open_form': {
        const view = renderModal(effect.form, modalMetadata(effect.form.state, to.origin, to.source));
        if (to.modalId) await to.client.views.update({ view_id: to.modalId, view });
        else if (to.triggerId) await to.client.views.open({ trigger_id: to.triggerId, view });
        else throw new Error('a form can only open in answer to a click, a command or a submission');
        break;
      }
      case 'update_source':
        if (to.source?.ephemeral && to.responseUrl) {
          await postToResponseUrl(to.responseUrl, { replace_original: true, ...renderMessage(effect.message) });
        } else if (to.source) {
          await to.client.chat.update({ channel: to.source.channel, ts: to.source.ts, ...renderMessage(effect.message) });
        }
        break;
      case 'show_home':
        // Replaces the whole tab: publishing the same home twice shows it once.
        await to.client.views.publish({ user_id: to.userId, view: renderHome(effect.message) });
        break;
      case 'files': {
        // Into the person's DM with the bot, wherever they asked: files shared there are theirs alone.
        const dm = await to.client.conversations.open({ users: to.userId });
        await to.client.filesUploadV2({
          channel_id: dm.channel!.id!,
          initial_comment: plainText(effect.message.summary, effect.message.people),
          file_uploads: effect.files.map((f) => ({ file: f.content, filename: f.name, title: f.name })),
        });
        break;
      }
    }
  }
}

/**
 * A view submission's answer goes in its acknowledgement: errors keep the modal open at the fields,
 * anything else closes it (and confirmations follow as private messages).
 */
export function viewAcknowledgement(
  effects: Effect[],
  firstInputBlockId: string | undefined,
  origin: Origin,
): { ack: ViewResponseAction | undefined; after: Effect[] } {
  const errors: Record<string, string> = {};
  const after: Effect[] = [];
  let update: ViewResponseAction | undefined;
  for (const effect of effects) {
    if (effect.type === 'form_errors') for (const [field, error] of Object.entries(effect.errors)) errors[field] = plainText(error, undefined);
    else if (effect.type === 'reply' && firstInputBlockId) errors[firstInputBlockId] = plainText(effect.message.summary, effect.message.people);
    else if (effect.type === 'open_form') {
      update = { response_action: 'update', view: renderModal(effect.form, modalMetadata(effect.form.state, origin)) };
    } else after.push(effect);
  }
  if (Object.keys(errors).length > 0) return { ack: { response_action: 'errors', errors }, after: [] };
  return { ack: update, after };
}
