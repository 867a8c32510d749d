import type { InvokeListener } from '../../bot';
import { readCardData } from '../../card-data';
import { cardSubmission } from '../../card-submission';
import { activityKey } from '../../interactions';
import { answerDialog } from '../../outcomes';

/** A button with `msteams.type: 'task/fetch'` asks for a dialog: its action's handler returns the form. */
export const taskFetch: InvokeListener = async (context, kit) => {
  const value = context.activity.value as { data?: unknown } | undefined;
  const data = readCardData(value?.data);
  if (!data) return answerDialog([{ type: 'reply', message: kit.router.help() }], kit);
  const { interaction, submitted } = await cardSubmission(context, data, activityKey(context.activity), kit.members);
  return answerDialog(await kit.router.dispatch(interaction, kit.directory), kit, submitted);
};
