import type { InvokeListener } from '../../bot';
import { readInvokeData } from '../../card-data';
import { cardSubmission } from '../../card-submission';
import { activityKey, cardActionKey } from '../../interactions';
import { answerCardAction, answering } from '../../outcomes';

interface ExecuteValue {
  action?: { type?: string; verb?: string; data?: unknown };
}

/** Action.Execute (Universal Actions): a form's submit (verb `submit:<formId>`) or a button (verb = action id). */
export const cardAction: InvokeListener = async (context, kit) => {
  const { activity } = context;
  const action = (activity.value as ExecuteValue | undefined)?.action;
  const data = readInvokeData(action?.data ?? {}, action?.verb);
  const key = data.kind === 'form' ? cardActionKey(activity) : activityKey(activity);
  const { interaction, submitted } = await cardSubmission(context, data, key, kit);
  return answerCardAction(await kit.router.dispatch(interaction, kit.directory), answering(context, kit, true, submitted));
};
