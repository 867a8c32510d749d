import type { TurnContext } from 'botbuilder';
import type { Interaction } from '../../chat/interaction';
import type { Form, FormValues, Message } from '../../chat/ui';
import type { TurnKit } from './bot';
import { type CardData, type Carried, usersFieldIds } from './card-data';
import type { TeamsPeople } from './directory';
import { cardInteraction } from './interactions';

/** A submitted form: what it was and what was in it (to show it again), and what it carried, checked. */
export interface Submitted {
  form: Form | undefined;
  /** As entered: people pickers keep the ids the picker gave. */
  values: FormValues;
  /** The message the form was part of (a `form_entry`). */
  message?: Message;
  carried: Carried;
  /** Sent with the form's draft button: saved for later, the form stays open. */
  draft?: true;
}

/**
 * Teams' people picker answers with AAD object ids, while messages and mentions carry Teams user
 * ids (29:…). Wherever the bot finds the person, it learns their Teams id, so a person keeps one
 * identity; someone it can't find yet keeps the AAD object id the picker gave.
 */
async function withTeamsUserIds(people: TeamsPeople, form: Form | undefined, entered: FormValues): Promise<FormValues> {
  const values = { ...entered };
  const toTeamsId = async (id: string) => (id.startsWith('29:') ? id : ((await people.find(id))?.id ?? id));
  for (const field of usersFieldIds(form)) {
    const value = values[field];
    people.picked(Array.isArray(value) ? value : value ? [value] : []);
    if (Array.isArray(value)) values[field] = await Promise.all(value.map(toTeamsId));
    else if (value) values[field] = await toTeamsId(value);
  }
  return values;
}

/**
 * What a form carried back through the Teams client, kept only where the user may act: a conversation
 * they are in, and a message in this conversation or in that one.
 */
async function checked(context: TurnContext, kit: Pick<TurnKit, 'isMember'>, carried: Carried): Promise<Carried> {
  const here = context.activity.conversation?.id;
  const claimed = carried.origin?.conversationId;
  const origin = claimed && claimed !== here && (await kit.isMember(claimed)) ? carried.origin : undefined;
  const where = carried.source?.conversationId;
  const source = where && (where === here || where === origin?.conversationId) ? carried.source : undefined;
  return { ...(source ? { source } : {}), ...(origin ? { origin } : {}) };
}

/** A card's action as an interaction, and, for a form, what was submitted (to show it again). */
export async function cardSubmission(
  context: TurnContext,
  data: CardData,
  idempotencyKey: string,
  kit: Pick<TurnKit, 'people' | 'isMember'>,
): Promise<{ interaction: Interaction; submitted?: Submitted }> {
  if (data.kind === 'action') return { interaction: cardInteraction(context.activity, data, idempotencyKey) };
  const carried = await checked(context, kit, data.carried);
  const submitted: Submitted = {
    form: data.form,
    values: data.values,
    ...(data.message ? { message: data.message } : {}),
    carried,
    ...(data.draft ? { draft: true as const } : {}),
  };
  const values = await withTeamsUserIds(kit.people, data.form, data.values);
  const interaction = cardInteraction(context.activity, { ...data, values }, idempotencyKey);
  // Asked for in a channel, filled in privately: it counts where it was asked for.
  if (carried.origin) interaction.origin = { ...interaction.origin, conversationId: carried.origin.conversationId, isDirect: false };
  return { interaction, submitted };
}
