import type { MessageListener } from '../../bot';
import { readCardData } from '../../card-data';
import { cardSubmission } from '../../card-submission';
import { activityKey } from '../../interactions';
import { answerMessage } from '../../outcomes';

/** A card's Action.Submit outside a dialog arrives as a message whose `value` is the action's data. */
export const cardSubmit: MessageListener = {
  matches: (activity) => readCardData(activity.value) !== undefined,
  async handle(context, kit) {
    const data = readCardData(context.activity.value)!;
    const { interaction, submitted } = await cardSubmission(context, data, activityKey(context.activity), kit.members);
    await answerMessage(await kit.router.dispatch(interaction, kit.directory), kit, submitted);
  },
};
