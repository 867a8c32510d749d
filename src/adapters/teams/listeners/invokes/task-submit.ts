import type { InvokeListener } from '../../bot';
import { readCardData } from '../../card-data';
import { cardSubmission } from '../../card-submission';
import { activityKey } from '../../interactions';
import { answerDialog } from '../../outcomes';

/** A dialog's form submitted: its inputs arrive merged into the submit action's data. */
export const taskSubmit: InvokeListener = async (context, kit) => {
  const value = context.activity.value as { data?: unknown } | undefined;
  const data = readCardData(value?.data);
  if (!data) return answerDialog([{ type: 'reply', message: kit.router.help() }], kit);
  const { interaction, submitted } = await cardSubmission(context, data, activityKey(context.activity), kit.members);
  return answerDialog(await kit.router.dispatch(interaction, kit.directory), kit, submitted);
};
