import type { ActivityListener } from '../../bot';
import { readCardData } from '../../card-data';
import { cardSubmission } from '../../card-submission';
import { activityKey } from '../../interactions';
import { answerMessage, answering } from '../../outcomes';

/**
 * A card's Action.Submit outside a dialog arrives as a message whose `value` is the action's data:
 * in Agents Playground, which has no dialogs, that is also how a dialog button arrives.
 */
export const cardSubmit: ActivityListener = {
  matches: (activity) => readCardData(activity.value) !== undefined,
  async handle(context, kit) {
    const data = readCardData(context.activity.value)!;
    const { interaction, submitted } = await cardSubmission(context, data, activityKey(context.activity), kit);
    await answerMessage(await kit.router.dispatch(interaction, kit.directory), answering(context, kit, true, submitted));
  },
};
