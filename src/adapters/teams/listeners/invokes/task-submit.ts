import type { InvokeListener } from '../../bot';
import { readInvokeData } from '../../card-data';
import { cardSubmission } from '../../card-submission';
import { activityKey } from '../../interactions';
import { answerDialog, answering } from '../../outcomes';

/** A dialog's form submitted: its inputs arrive merged into the submit action's data (Teams sends no `replyToId`). */
export const taskSubmit: InvokeListener = async (context, kit) => {
  const value = context.activity.value as { data?: unknown } | undefined;
  const data = readInvokeData(value?.data);
  const { interaction, submitted } = await cardSubmission(context, data, activityKey(context.activity), kit);
  return answerDialog(await kit.router.dispatch(interaction, kit.directory), answering(context, kit, false, submitted));
};
