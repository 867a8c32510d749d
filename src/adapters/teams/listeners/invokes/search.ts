import type { Interaction } from '../../../../chat/interaction';
import type { InvokeListener } from '../../bot';
import { activityKey, interactionBase } from '../../interactions';

/** Options one search answers with: what a filtered ChoiceSet shows as the person types. */
const MAX_RESULTS = 50;

/**
 * A filtered ChoiceSet whose choices come from the bot (`choices.data` with a dataset: a form's
 * search field, `suggestKey`) asks for them as the person types: `application/search`.
 */
export const search: InvokeListener = async (context, kit) => {
  const value = context.activity.value as { queryText?: unknown; dataset?: unknown } | undefined;
  const [formId = '', fieldId = ''] = typeof value?.dataset === 'string' ? value.dataset.split('/') : [];
  const interaction: Interaction = {
    kind: 'suggest',
    formId,
    fieldId,
    query: typeof value?.queryText === 'string' ? value.queryText : '',
    ...interactionBase(context.activity),
    idempotencyKey: activityKey(context.activity),
  };
  const effects = await kit.router.dispatch(interaction, kit.directory);
  const results = effects.flatMap((e) => (e.type === 'suggestions' ? e.options : [])).slice(0, MAX_RESULTS);
  return {
    status: 200,
    body: { type: 'application/vnd.microsoft.search.searchResponse', value: { results: results.map((o) => ({ title: o.label, value: o.value })) } },
  };
};
