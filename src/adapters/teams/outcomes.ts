import type { InvokeResponse } from 'botbuilder';
import type { Effect } from '../../chat/effects';
import type { Form, FormValues, Message } from '../../chat/ui';
import type { TurnKit } from './bot';
import {
  type AdaptiveCard,
  ADAPTIVE_CARD_CONTENT_TYPE,
  attachment,
  type FormRenderOptions,
  renderForm,
  renderMessage,
} from './render';
import { formActivity, messageActivity } from './replies';

/**
 * Effects as Teams answers them, per way of asking: a message in the conversation, a dialog
 * (task/fetch, task/submit) or a card's Action.Execute (adaptiveCard/action).
 */

/** The form a card submitted and what was in it, to show it again with errors. */
export interface Submitted {
  form: Form | undefined;
  values: FormValues;
}

const errorsText = (errors: Record<string, string>) => Object.values(errors).join('\n');

/** A message's words without its layout, for places that show one block of text. */
function plainText(message: Message): string {
  const parts = message.blocks.flatMap((b) =>
    b.type === 'section' || b.type === 'header' || b.type === 'context' ? [b.text] : [],
  );
  return parts.length > 0 ? parts.join('\n') : message.summary;
}

/** After a message (text or a card's Action.Submit): forms in the conversation, everything else privately. */
export async function answerMessage(effects: Effect[], kit: TurnKit, submitted?: Submitted): Promise<void> {
  for (const effect of effects) {
    switch (effect.type) {
      case 'reply':
      case 'done':
        await kit.replies.privately(messageActivity(effect.message));
        break;
      case 'open_form':
        await kit.replies.here(formActivity(effect.form, { people: await kit.formPeople() }));
        break;
      case 'form_errors':
        await kit.replies.privately(
          submitted?.form
            ? formActivity(submitted.form, { values: submitted.values, errors: effect.errors, people: await kit.formPeople() })
            : { type: 'message', text: errorsText(effect.errors) },
        );
        break;
    }
  }
}

const taskMessage = (text: string): InvokeResponse => ({ status: 200, body: { task: { type: 'message', value: text } } });

const taskContinue = (form: Form, options: Omit<FormRenderOptions, 'mode'>): InvokeResponse => ({
  status: 200,
  body: {
    task: {
      type: 'continue',
      value: { title: form.title, height: 'medium', width: 'medium', card: attachment(renderForm(form, { ...options, mode: 'dialog' })) },
    },
  },
});

/** Dialogs: a form opens (or stays open with errors); anything else closes it with a short message. */
export async function answerDialog(effects: Effect[], kit: TurnKit, submitted?: Submitted): Promise<InvokeResponse> {
  let response: InvokeResponse | undefined;
  for (const effect of effects) {
    switch (effect.type) {
      case 'open_form':
        response ??= taskContinue(effect.form, { people: await kit.formPeople() });
        break;
      case 'form_errors':
        response ??= submitted?.form
          ? taskContinue(submitted.form, { values: submitted.values, errors: effect.errors, people: await kit.formPeople() })
          : taskMessage(errorsText(effect.errors));
        break;
      case 'done':
        // The dialog closes with the summary; the full confirmation stays in the person's chat.
        await kit.replies.privately(messageActivity(effect.message));
        response ??= taskMessage(effect.message.summary);
        break;
      case 'reply':
        response ??= taskMessage(effect.message.summary);
        break;
    }
  }
  return response ?? { status: 200, body: {} };
}

const cardResponse = (card: AdaptiveCard): InvokeResponse => ({
  status: 200,
  body: { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card },
});

/** Leaves the card as it is and shows the clicker a short message. */
const toast = (text: string): InvokeResponse => ({
  status: 200,
  body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text },
});

/**
 * Action.Execute: the answer replaces the card for everyone who sees it. In the person's 1:1 chat
 * the confirmation replaces a submitted form (so it can't be sent twice); in a channel or group
 * chat, what is private goes to their 1:1 chat and the clicker alone sees a short message.
 */
export async function answerCardAction(
  effects: Effect[],
  kit: TurnKit,
  personal: boolean,
  submitted?: Submitted,
): Promise<InvokeResponse> {
  let response: InvokeResponse | undefined;
  for (const effect of effects) {
    switch (effect.type) {
      case 'open_form':
        response ??= cardResponse(renderForm(effect.form, { mode: 'inline', people: await kit.formPeople() }));
        break;
      case 'form_errors':
        response ??= submitted?.form
          ? cardResponse(
              renderForm(submitted.form, { mode: 'inline', values: submitted.values, errors: effect.errors, people: await kit.formPeople() }),
            )
          : toast(errorsText(effect.errors));
        break;
      case 'done':
        if (personal) {
          response ??= cardResponse(renderMessage(effect.message));
        } else {
          await kit.replies.privately(messageActivity(effect.message));
          response ??= toast(effect.message.summary);
        }
        break;
      case 'reply':
        if (submitted?.form) {
          response ??= cardResponse(
            renderForm(submitted.form, {
              mode: 'inline',
              values: submitted.values,
              notice: plainText(effect.message),
              people: await kit.formPeople(),
            }),
          );
        } else {
          await kit.replies.privately(messageActivity(effect.message));
          response ??= toast(effect.message.summary);
        }
        break;
    }
  }
  return response ?? toast('Done.');
}
