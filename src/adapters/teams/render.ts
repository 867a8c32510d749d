import type { Block, Button, Form, FormField, FormValues, Message } from '../../chat/ui';
import { type ButtonData, type FormSubmitData, SUBMIT_VERB_PREFIX } from './card-data';

/** Neutral messages and forms as Adaptive Cards 1.5 (Action.Execute needs 1.4+). Pure. */

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

export type CardElement = { type: string } & Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
}

export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: AdaptiveCard;
}

const card = (body: CardElement[], actions: CardElement[]): AdaptiveCard => ({
  type: 'AdaptiveCard',
  $schema: SCHEMA,
  version: '1.5',
  body,
  ...(actions.length > 0 ? { actions } : {}),
});

export const attachment = (content: AdaptiveCard): CardAttachment => ({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content });

const text = (value: string, extra: Record<string, unknown> = {}): CardElement => ({ type: 'TextBlock', text: value, wrap: true, ...extra });

const ACTION_STYLE = { primary: 'positive', danger: 'destructive' } as const;

/** A button that opens a form opens a dialog (task/fetch); any other one is an Action.Execute keyed by its action id. */
export function renderButton(button: Button): CardElement {
  const style = button.style ? { style: ACTION_STYLE[button.style] } : {};
  if (button.opensForm) {
    const data: ButtonData = { msteams: { type: 'task/fetch' }, actionId: button.actionId };
    return { type: 'Action.Submit', title: button.label, data, ...style };
  }
  const data: ButtonData = { actionId: button.actionId, ...(button.value !== undefined ? { value: button.value } : {}) };
  return { type: 'Action.Execute', title: button.label, verb: button.actionId, data, ...style };
}

function renderBlock(block: Block): CardElement | undefined {
  switch (block.type) {
    case 'header':
      return text(block.text, { size: 'Large', weight: 'Bolder' });
    case 'section':
      // The neutral markdown subset (**bold**, _italic_) is Adaptive Card markdown already.
      return text(block.text);
    case 'fields':
      return { type: 'FactSet', facts: block.fields.map((f) => ({ title: f.label, value: f.value })) };
    case 'context':
      return text(block.text, { size: 'Small', isSubtle: true });
    case 'actions':
      return undefined;
  }
}

export function renderMessage(message: Message): AdaptiveCard {
  const body = message.blocks.map(renderBlock).filter((b): b is CardElement => b !== undefined);
  const actions = message.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons.map(renderButton) : []));
  return card(body.length > 0 ? body : [text(message.summary)], actions);
}

export interface PersonChoice {
  id: string;
  name: string;
}

export interface FormRenderOptions {
  /**
   * `inline`: a card in the conversation, submitted with Action.Execute (Teams and Agents Playground);
   * `dialog`: the card inside a Teams dialog, submitted with Action.Submit (task/submit).
   */
  mode: 'inline' | 'dialog';
  /** What the person entered last time, shown again instead of the initial values. */
  values?: FormValues;
  /** Messages shown under their fields. */
  errors?: Record<string, string>;
  /** A message about the whole form, shown at the top (e.g. a refusal that names no field). */
  notice?: string;
  /** People listed in people pickers, for clients without Teams' directory search (Agents Playground). */
  people?: PersonChoice[];
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(',') : v);

function numberOrUndefined(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function renderInput(field: FormField, entered: string | string[] | undefined, hasEntered: boolean, people: PersonChoice[]): CardElement {
  const base = {
    id: field.id,
    label: field.label,
    ...(field.required ? { isRequired: true, errorMessage: 'Please fill this in.' } : {}),
  };
  switch (field.kind) {
    case 'text':
    case 'multiline': {
      const value = hasEntered ? first(entered) : field.initial;
      return {
        type: 'Input.Text',
        ...base,
        ...(field.kind === 'multiline' ? { isMultiline: true } : {}),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
        ...(value !== undefined ? { value } : {}),
      };
    }
    case 'number': {
      const value = hasEntered ? numberOrUndefined(first(entered)) : field.initial;
      return {
        type: 'Input.Number',
        ...base,
        ...(field.min !== undefined ? { min: field.min } : {}),
        ...(field.max !== undefined ? { max: field.max } : {}),
        ...(value !== undefined ? { value } : {}),
      };
    }
    case 'date': {
      const value = hasEntered ? first(entered) : field.initial;
      return { type: 'Input.Date', ...base, ...(value ? { value } : {}) };
    }
    case 'users': {
      // Teams' people picker: a ChoiceSet filled from the tenant's directory as the person types.
      const value = hasEntered ? first(entered) : field.initial?.join(',');
      return {
        type: 'Input.ChoiceSet',
        ...base,
        choices: people.map((p) => ({ title: p.name, value: p.id })),
        'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
        isMultiSelect: field.multiple,
        ...(value ? { value } : {}),
      };
    }
    case 'choice': {
      const value = hasEntered ? first(entered) : field.initial;
      return {
        type: 'Input.ChoiceSet',
        ...base,
        style: 'compact',
        choices: field.options.map((o) => ({ title: o.label, value: o.value })),
        ...(value ? { value } : {}),
      };
    }
    case 'rating': {
      const value = hasEntered ? first(entered) : field.initial?.toString();
      const choices = [];
      for (let n = field.min; n <= field.max; n++) choices.push({ title: String(n), value: String(n) });
      return { type: 'Input.ChoiceSet', ...base, style: 'expanded', choices, ...(value ? { value } : {}) };
    }
  }
}

export function renderForm(form: Form, options: FormRenderOptions): AdaptiveCard {
  const body: CardElement[] = [];
  if (options.mode === 'inline') body.push(text(form.title, { size: 'Large', weight: 'Bolder' }));
  // An error for a field the form doesn't show still reaches the person, at the top.
  const stray = Object.entries(options.errors ?? {}).filter(([id]) => !form.fields.some((f) => f.id === id));
  for (const message of [options.notice, ...stray.map(([, m]) => m)]) {
    if (message) body.push(text(message, { color: 'Attention' }));
  }
  if (form.intro) body.push(text(form.intro));
  const entered = options.values;
  for (const field of form.fields) {
    body.push(renderInput(field, entered?.[field.id], entered !== undefined, options.people ?? []));
    const error = options.errors?.[field.id];
    if (error) body.push(text(error, { color: 'Attention', size: 'Small', spacing: 'None' }));
    if (field.hint) body.push(text(field.hint, { size: 'Small', isSubtle: true, spacing: 'None' }));
  }

  const data: FormSubmitData = { formId: form.formId, hepoForm: form };
  const submit =
    options.mode === 'inline'
      ? { type: 'Action.Execute', title: form.submitLabel, verb: `${SUBMIT_VERB_PREFIX}${form.formId}`, data, style: 'positive' }
      : { type: 'Action.Submit', title: form.submitLabel, data, style: 'positive' };
  return card(body, [submit]);
}
