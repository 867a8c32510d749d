import type { TurnContext } from 'botbuilder';
import type { Interaction } from '../../chat/interaction';
import type { FormValues } from '../../chat/ui';
import { type CardData, usersFieldIds } from './card-data';
import type { MemberLookup } from './directory';
import { cardInteraction } from './interactions';
import type { Submitted } from './outcomes';

/**
 * Teams' people picker answers with AAD object ids, while messages and mentions carry Teams user
 * ids (29:…). The roster accepts either and answers with the Teams id, so a person keeps one identity.
 */
async function withTeamsUserIds(members: MemberLookup, submitted: Submitted): Promise<FormValues> {
  const values = { ...submitted.values };
  const toTeamsId = async (id: string) => (id.startsWith('29:') ? id : ((await members(id))?.id ?? id));
  for (const field of usersFieldIds(submitted.form)) {
    const value = values[field];
    if (Array.isArray(value)) values[field] = await Promise.all(value.map(toTeamsId));
    else if (value) values[field] = await toTeamsId(value);
  }
  return values;
}

/** A card's action as an interaction, and, for a form, what was submitted (to show it again). */
export async function cardSubmission(
  context: TurnContext,
  data: CardData,
  idempotencyKey: string,
  members: MemberLookup,
): Promise<{ interaction: Interaction; submitted?: Submitted }> {
  if (data.kind === 'action') return { interaction: cardInteraction(context.activity, data, idempotencyKey) };
  const submitted = { form: data.form, values: data.values };
  const values = await withTeamsUserIds(members, submitted);
  return { interaction: cardInteraction(context.activity, { ...data, values }, idempotencyKey), submitted };
}
