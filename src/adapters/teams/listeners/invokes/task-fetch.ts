import type { InvokeListener } from '../../bot';
import { readInvokeData } from '../../card-data';
import { cardSubmission } from '../../card-submission';
import { activityKey } from '../../interactions';
import { answerDialog, answering } from '../../outcomes';

/**
 * A button with `msteams.type: 'task/fetch'` asks for a dialog: its action's handler returns the form.
 * The fetch names the card the button is on (`replyToId`); the form carries it to the submit.
 */
export const taskFetch: InvokeListener = async (context, kit) => {
  const value = context.activity.value as { data?: unknown } | undefined;
  const data = readInvokeData(value?.data);
  const { interaction, submitted } = await cardSubmission(context, data, activityKey(context.activity), kit);
  return answerDialog(await kit.router.dispatch(interaction, kit.directory), answering(context, kit, true, submitted));
};
