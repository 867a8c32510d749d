import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { Effect } from '../../chat/effects';
import type { Interaction } from '../../chat/interaction';
import type { Form, Message } from '../../chat/ui';
import type { ActivityListener, TurnKit } from './bot';
import type { Carried, SourceRef } from './card-data';
import type { Submitted } from './card-submission';
import { type AdaptiveCard, ADAPTIVE_CARD_CONTENT_TYPE, attachment, type Entered, plainText, renderForm, renderMessage, summaryOf } from './render';
import { formActivity, messageActivity } from './replies';
import { isPersonal } from './interactions';

/**
 * Effects as Teams answers them, per way of asking: a message in the conversation (text, or a card's
 * Action.Submit), a dialog (task/fetch, task/submit) or a card's Action.Execute (adaptiveCard/action).
 */

/** The turn an answer is for. */
export interface Answering {
  kit: TurnKit;
  /** The turn is in the user's 1:1 chat with the bot. */
  personal: boolean;
  /** The turn's conversation. */
  conversationId: string;
  /** The bot's card whose button started the turn (Action.Submit, task/fetch), when Teams names it. */
  card?: SourceRef;
  submitted?: Submitted;
}

/** The turn as `answer*` needs it; `fromCard`: the activity is a click on one of the bot's cards. */
export function answering(context: TurnContext, kit: TurnKit, fromCard: boolean, submitted?: Submitted): Answering {
  const { activity } = context;
  const conversationId = activity.conversation?.id ?? '';
  return {
    kit,
    personal: isPersonal(activity),
    conversationId,
    ...(fromCard && activity.replyToId ? { card: { activityId: activity.replyToId, conversationId } } : {}),
    ...(submitted ? { submitted } : {}),
  };
}

type Note = Extract<Effect, { type: 'reply' | 'done' }>;

/** The effects, sorted by what they ask of the answer. */
interface Plan {
  form?: Form;
  errors?: Record<string, string>;
  update?: Message;
  notes: Note[];
  files: Array<Extract<Effect, { type: 'files' }>>;
}

function unreachable(value: never): never {
  throw new Error(`Teams: unknown effect ${JSON.stringify(value)}`);
}

function planOf(effects: Effect[]): Plan {
  const plan: Plan = { notes: [], files: [] };
  for (const effect of effects) {
    switch (effect.type) {
      case 'open_form':
        plan.form ??= effect.form;
        break;
      case 'form_errors':
        plan.errors = { ...plan.errors, ...effect.errors };
        break;
      case 'update_source':
        plan.update = effect.message;
        break;
      case 'reply':
      case 'done':
        plan.notes.push(effect);
        break;
      case 'suggestions':
        // Only a search invoke asks for these, and it answers with them itself (listeners/invokes/search.ts).
        break;
      case 'show_home':
        // Teams has no home tab for a bot: the home is a card for the person alone, like a reply.
        plan.notes.push({ type: 'reply', message: effect.message });
        break;
      case 'files':
        plan.files.push(effect);
        break;
      default:
        unreachable(effect);
    }
  }
  return plan;
}

/** Files go to the person's 1:1 chat, wherever they asked: links only they should open. */
async function sendFiles(plan: Plan, kit: TurnKit): Promise<void> {
  for (const f of plan.files) await kit.replies.privately(await kit.filesFor(f.message, f.files));
}

const errorsText = (errors: Record<string, string>) =>
  Object.values(errors)
    .map((error) => plainText(error, undefined))
    .join('\n');

/** Several messages as one card, e.g. "✅ Submitted" with the thanks under it. */
const merged = (messages: Message[]): Message => ({
  summary: messages[0]?.summary ?? '',
  blocks: messages.flatMap((m) => m.blocks),
  people: Object.fromEntries(messages.flatMap((m) => Object.entries(m.people ?? {}))),
});

/** A message's words without its layout, for places that show one block of text. */
function wordsOf(message: Message): string {
  const parts = message.blocks.flatMap((b) => (b.type === 'section' || b.type === 'header' || b.type === 'context' ? [b.text] : []));
  return plainText(parts.length > 0 ? parts.join('\n') : message.summary, message.people);
}

/** The submitted form again, with what was entered: the message it was part of, or the form on its own. */
async function submittedAgain(submitted: Submitted & { form: Form }, entered: Omit<Entered, 'values'>, kit: TurnKit): Promise<AdaptiveCard> {
  const options = { ...entered, values: submitted.values, carry: submitted.carried, people: await kit.formPeople() };
  return submitted.message ? renderMessage(submitted.message, options) : renderForm(submitted.form, { ...options, mode: 'inline' });
}

const hasForm = (submitted: Submitted | undefined): submitted is Submitted & { form: Form } => submitted?.form !== undefined;

/**
 * A draft saved keeps its form open, saying so: Teams tells the bot nothing when a dialog is closed,
 * so the person goes on from what is saved. The words to say, when that is the answer.
 */
function draftKept(plan: Plan, submitted: Submitted | undefined): string | undefined {
  const done = plan.notes.find((n) => n.type === 'done');
  if (!submitted?.draft || !hasForm(submitted) || !done || plan.errors || plan.form || plan.update) return undefined;
  return wordsOf(done.message);
}

const cardActivity = (card: AdaptiveCard, summary: string): Partial<Activity> => ({ type: 'message', summary, attachments: [attachment(card)] });

/**
 * Replaces the message the interaction started from with the update. Where that message is in the
 * person's 1:1 chat, the notes (the "done" and any reply) are folded into it instead of following
 * as messages of their own. Returns the notes still to show.
 */
async function replaceSource(turn: Answering, source: SourceRef | undefined, update: Message, notes: Note[]): Promise<Note[]> {
  if (!source) return notes;
  const fold = turn.personal && source.conversationId === turn.conversationId;
  await turn.kit.replies.replace(source, messageActivity(fold ? merged([update, ...notes.map((n) => n.message)]) : update));
  return fold ? [] : notes;
}

/**
 * Where a form opened from this turn goes, and what it carries: in a 1:1 chat, here; from a channel
 * or group chat, to the person's 1:1 chat (the others would see what they type), naming the
 * conversation it belongs to and the card it was opened from.
 */
function carryFor(turn: Answering): Carried {
  const source = turn.card ?? turn.submitted?.carried.source;
  const origin = turn.personal ? turn.submitted?.carried.origin : { conversationId: turn.conversationId };
  return { ...(source ? { source } : {}), ...(origin ? { origin } : {}) };
}

/** After a message (text or a card's Action.Submit): forms as cards in the 1:1 chat, everything else privately. */
export async function answerMessage(effects: Effect[], turn: Answering): Promise<void> {
  const { kit, submitted } = turn;
  const plan = planOf(effects);
  if (plan.errors) {
    await kit.replies.privately(
      hasForm(submitted)
        ? cardActivity(await submittedAgain(submitted, { errors: plan.errors }, kit), submitted.form.title)
        : { type: 'message', text: errorsText(plan.errors) },
    );
  }
  if (plan.form) {
    const form = formActivity(plan.form, { carry: carryFor(turn), people: await kit.formPeople() });
    await (turn.personal ? kit.replies.here(form) : kit.replies.privately(form));
  }
  let notes = plan.notes;
  if (plan.update) notes = await replaceSource(turn, submitted?.carried.source ?? turn.card, plan.update, notes);
  for (const note of notes) await kit.replies.privately(messageActivity(note.message));
  await sendFiles(plan, kit);
}

/** A listener for activities that are each one interaction (`interactionOf` says which), answered like a message. */
export function answeredLikeMessages(interactionOf: (activity: Partial<Activity>) => Interaction | undefined): ActivityListener {
  return {
    matches: (activity) => interactionOf(activity) !== undefined,
    async handle(context, kit) {
      await answerMessage(await kit.router.dispatch(interactionOf(context.activity)!, kit.directory), answering(context, kit, false));
    },
  };
}

const taskMessage = (text: string): InvokeResponse => ({ status: 200, body: { task: { type: 'message', value: text } } });

const taskContinue = (card: AdaptiveCard, title: string): InvokeResponse => ({
  status: 200,
  body: { task: { type: 'continue', value: { title, height: 'medium', width: 'medium', card: attachment(card) } } },
});

/**
 * Dialogs: a form opens (or stays open with errors); anything else closes it with a short message.
 * The card the dialog was opened from is updated in place once the dialog's form is submitted.
 */
export async function answerDialog(effects: Effect[], turn: Answering): Promise<InvokeResponse> {
  const { kit, submitted } = turn;
  const plan = planOf(effects);
  await sendFiles(plan, kit);
  const saved = draftKept(plan, submitted);
  if (saved && hasForm(submitted)) {
    const { form, values, carried } = submitted;
    return taskContinue(renderForm(form, { mode: 'dialog', values, saved, carry: carried, people: await kit.formPeople() }), form.title);
  }
  let shown = plan.notes;
  if (plan.update) shown = await replaceSource(turn, submitted?.carried.source ?? turn.card, plan.update, plan.notes);
  // The full confirmation stays in the person's chat, unless it went into the updated card.
  for (const note of shown) if (note.type === 'done') await kit.replies.privately(messageActivity(note.message));

  if (plan.errors) {
    if (!hasForm(submitted)) return taskMessage(errorsText(plan.errors));
    const { form, values, carried } = submitted;
    const people = await kit.formPeople();
    return taskContinue(renderForm(form, { mode: 'dialog', values, errors: plan.errors, carry: carried, people }), form.title);
  }
  if (plan.form) {
    const carry = { ...submitted?.carried, ...(turn.card ? { source: turn.card } : {}) };
    return taskContinue(renderForm(plan.form, { mode: 'dialog', carry, people: await kit.formPeople() }), plan.form.title);
  }
  const [first] = plan.notes;
  return first ? taskMessage(summaryOf(first.message)) : { status: 200, body: {} };
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
 * Action.Execute: the answer replaces the card for everyone who sees it. So the card itself becomes
 * the update a feature asks for (a prompt turns into "✅ Submitted"), and in the person's 1:1 chat a
 * confirmation replaces a submitted form (so it can't be sent twice); in a channel or group chat,
 * what is private goes to their 1:1 chat and the clicker alone sees a short message.
 */
export async function answerCardAction(effects: Effect[], turn: Answering): Promise<InvokeResponse> {
  const { kit, submitted, personal } = turn;
  const plan = planOf(effects);
  await sendFiles(plan, kit);
  const privately = async (notes: Note[]) => {
    for (const note of notes) await kit.replies.privately(messageActivity(note.message));
  };

  if (plan.errors) {
    return hasForm(submitted) ? cardResponse(await submittedAgain(submitted, { errors: plan.errors }, kit)) : toast(errorsText(plan.errors));
  }
  if (plan.form) {
    // Agents Playground has no dialogs: a form asked for through a card takes the card's place.
    return cardResponse(renderForm(plan.form, { mode: 'inline', carry: submitted?.carried, people: await kit.formPeople() }));
  }

  const saved = draftKept(plan, submitted);
  if (saved && hasForm(submitted)) return cardResponse(await submittedAgain(submitted, { saved }, kit));

  const notes = plan.notes;
  if (plan.update) {
    const carried = submitted?.carried.source;
    if (carried) {
      // A form opened from another card: that card gets the update, this one (the form) the notes.
      await kit.replies.replace(carried, messageActivity(plan.update));
      if (personal) return cardResponse(renderMessage(notes.length > 0 ? merged(notes.map((n) => n.message)) : plan.update));
      await privately(notes);
      return toast(summaryOf(notes[0]?.message ?? plan.update));
    }
    if (personal) return cardResponse(renderMessage(merged([plan.update, ...notes.map((n) => n.message)])));
    await privately(notes);
    return cardResponse(renderMessage(plan.update));
  }

  const [first] = notes;
  if (!first) return toast('Done.');
  const done = notes.some((n) => n.type === 'done');
  if (done && personal) return cardResponse(renderMessage(merged(notes.map((n) => n.message))));
  if (!done && hasForm(submitted)) {
    // A refusal: the form stays, with what was entered and why it didn't go through.
    return cardResponse(await submittedAgain(submitted, { notice: notes.map((n) => wordsOf(n.message)).join('\n') }, kit));
  }
  await privately(notes);
  return toast(summaryOf(first.message));
}
