import {
  type Block,
  type Button,
  type Form,
  type FormField,
  type FormValues,
  MESSAGE_LIMITS,
  type Message,
  type People,
  SOME_CHANNEL,
  withNames,
  writeChannels,
  writePeople,
  writeTyped,
  suggestKey,
} from '../../chat/ui';
import { type ButtonData, type Carried, type FormSubmitData, SUBMIT_VERB_PREFIX } from './card-data';

/** Neutral messages and forms as Adaptive Cards 1.5 (Action.Execute needs 1.4+). Pure. */

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

export type CardElement = { type: string } & Record<string, unknown>;

/** Teams' entity for an `<at>Name</at>` in a card's text: it makes the tag a mention of that user. */
export interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  msteams?: { entities: MentionEntity[] };
}

export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: AdaptiveCard;
}

const card = (body: CardElement[], actions: CardElement[], mentions: MentionEntity[] = []): AdaptiveCard => ({
  type: 'AdaptiveCard',
  $schema: SCHEMA,
  version: '1.5',
  body,
  ...(actions.length > 0 ? { actions } : {}),
  ...(mentions.length > 0 ? { msteams: { entities: mentions } } : {}),
});

export const attachment = (content: AdaptiveCard): CardAttachment => ({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content });

/**
 * Neutral text as Adaptive Card markdown: a command to type, or words in backticks, in bold (Teams has
 * no slash commands, people type the words to the bot; cards have no code spans), a markdown link as its
 * words and address (no disguised links), a list's items (`• `) separated by \r, and every other line
 * break a blank line, the only one a TextBlock shows.
 */
function cardMarkdown(value: string): string {
  const isItem = (line: string) => line.startsWith('• ');
  const lines = writeTyped(value, (command) => `**${command}**`)
    .replace(/`([^`\n]+)`/g, '**$1**')
    // The bot writes no links in markdown: one in the text came from a person, and shows its address.
    .replace(/\[([^\]\n]*)\]\(([^)\s]*)\)/g, '$1 ($2)')
    .split(/\n+/);
  return lines
    .map((line, i) => {
      const written = isItem(line) ? `- ${line.slice(2)}` : line;
      if (i === 0) return written;
      return (isItem(line) && isItem(lines[i - 1]!) ? '\r' : '\n\n') + written;
    })
    .join('');
}

/**
 * What Teams takes in a card: the store allows 6 actions a card, in its action sets and its own
 * actions together; a message is refused over 100 KB (counted in UTF-16, 2 bytes a character) and a
 * card is kept well under, at 28 KB. Text past 3,000 characters a block is cut as Slack cuts it.
 */
export const TEAMS_LIMITS = { actions: MESSAGE_LIMITS.buttons, cardBytes: 28 * 1024, text: MESSAGE_LIMITS.text } as const;

/** A card's size as Teams counts it. */
export const cardBytes = (card: AdaptiveCard) => JSON.stringify(card).length * 2;

/** Text of at most `max` characters, the cut marked with an ellipsis, never between the halves of an emoji. */
function cut(value: string, max: number): string {
  if (value.length <= max) return value;
  const code = value.charCodeAt(max - 2);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 2 : max - 1;
  return `${value.slice(0, end)}…`;
}

const text = (value: string, extra: Record<string, unknown> = {}): CardElement => ({
  type: 'TextBlock',
  text: cut(cardMarkdown(value), TEAMS_LIMITS.text),
  wrap: true,
  ...extra,
});

/** Neutral text as plain text (a notification's summary, a toast): people by name, commands as typed. */
export const plainText = (value: string, people: People | undefined) =>
  withNames(
    writeTyped(value, (command) => command),
    people,
  );

const ACTION_STYLE = { primary: 'positive', danger: 'destructive' } as const;

/**
 * Writes the people a message names as `<at>Name</at>` (their current name) and keeps the entity
 * each needs, one per person; someone with no Teams account is their name in bold.
 */
function mentioner(people: People | undefined) {
  const entities = new Map<string, MentionEntity>();
  return {
    write: (value: string) =>
      writeChannels(
        writePeople(value, people, ({ name, userId }) => {
          if (!userId) return `**${name}**`;
          const tag = `<at>${name}</at>`;
          entities.set(userId, { type: 'mention', text: tag, mentioned: { id: userId, name } });
          return tag;
        }),
        () => SOME_CHANNEL,
      ),
    entities: () => [...entities.values()],
  };
}

/** The summary Teams shows in notifications: plain text, people by name. */
export const summaryOf = (message: Message) => plainText(message.summary, message.people);

function unreachable(value: never): never {
  throw new Error(`Teams renderer: unknown ${JSON.stringify(value)}`);
}

export interface ButtonRenderOptions {
  /**
   * The card has inputs this button doesn't need: without this, Teams would send them along and,
   * worse, refuse the click while a required input is empty (e.g. "Snooze" under an unanswered rating).
   */
  ignoreInputs?: boolean;
}

/** A button that opens a form opens a dialog (task/fetch); any other one is an Action.Execute keyed by its action id. */
export function renderButton(button: Button, options: ButtonRenderOptions = {}): CardElement {
  const style = button.style ? { style: ACTION_STYLE[button.style] } : {};
  const inputs = options.ignoreInputs ? { associatedInputs: 'none' } : {};
  const value = button.value !== undefined ? { value: button.value } : {};
  const title = cut(button.label, MESSAGE_LIMITS.label);
  if (button.opensForm) {
    const data: ButtonData = { msteams: { type: 'task/fetch' }, actionId: button.actionId, ...value };
    return { type: 'Action.Submit', title, data, ...style, ...inputs };
  }
  const data: ButtonData = { actionId: button.actionId, ...value };
  return { type: 'Action.Execute', title, verb: button.actionId, data, ...style, ...inputs };
}

export interface PersonChoice {
  id: string;
  name: string;
}

/** What was entered in a form last time, and what to say about it. */
export interface Entered {
  /** What the person entered last time, shown again instead of the initial values. */
  values?: FormValues;
  /** Messages shown under their fields. */
  errors?: Record<string, string>;
  /** A message about the whole form, shown at the top (e.g. a refusal that names no field). */
  notice?: string;
}

interface InputsOptions extends Entered {
  /** People listed in people pickers, for clients without Teams' directory search (Agents Playground). */
  people?: PersonChoice[];
}

export interface MessageRenderOptions extends InputsOptions {
  /** Carried by the submit button of the message's form (`form_entry`). */
  carry?: Carried;
}

const ENTRY_SUBMIT_STYLE = 'positive';

/**
 * The form as a card's actions carry it, to show it again with what was entered: without the text
 * its fields start with (a draft's), which the submission brings back anyway. Each action carries a
 * copy, so a long draft carried whole would triple the card past Teams' 28 KB.
 */
function carriedForm(form: Form): Form {
  if (!form.fields.some((f) => (f.kind === 'text' || f.kind === 'multiline') && f.initial !== undefined)) return form;
  const fields = form.fields.map((f): FormField => {
    if (f.kind !== 'text' && f.kind !== 'multiline') return f;
    const { initial: _draft, ...rest } = f;
    return rest;
  });
  return { ...form, fields };
}

function submitData(form: Form, carry: Carried | undefined, message?: Message): FormSubmitData {
  return {
    formId: form.formId,
    hepoForm: carriedForm(form),
    ...(message ? { hepoMessage: message } : {}),
    ...(carry?.source ? { hepoSource: carry.source } : {}),
    ...(carry?.origin ? { hepoOrigin: carry.origin } : {}),
  };
}

const executeSubmit = (form: Form, data: FormSubmitData): CardElement => ({
  type: 'Action.Execute',
  title: form.submitLabel,
  verb: `${SUBMIT_VERB_PREFIX}${form.formId}`,
  data,
  style: ENTRY_SUBMIT_STYLE,
});

/** The form's "Save draft": its submit action, marked as a draft and not the primary one. */
function saveDraft(submit: CardElement, label: string): CardElement {
  const { style: _primary, ...action } = submit;
  return { ...action, title: label, data: { ...(submit.data as FormSubmitData), hepoDraft: true } };
}

/**
 * A message as a card. A `form_entry` shows its inputs in the card, submitted with Action.Execute
 * (the `open` button is Slack's way, not needed here). Buttons of the last actions block (with the
 * form's submit, when the form comes right before it) go to the card's actions; an actions block
 * followed by more content is shown in place, so each "Done" stays next to its line. Past the limits
 * (`TEAMS_LIMITS`), the card says what it leaves out.
 */
export function renderMessage(message: Message, options: MessageRenderOptions = {}): AdaptiveCard {
  const people = mentioner(message.people);
  const ignoreInputs = message.blocks.some((b) => b.type === 'form_entry' && b.form.fields.length > 0);
  // A form's submit comes first: a form that can't be sent is worse than a missing button.
  let actionsLeft = TEAMS_LIMITS.actions - message.blocks.filter((b) => b.type === 'form_entry').length;
  let buttonsLeftOut = 0;
  const body: CardElement[] = [];
  let row: CardElement[] | undefined;
  let rowTakesButtons = false;
  const placeRow = () => {
    if (row) body.push({ type: 'ActionSet', actions: row });
    row = undefined;
    rowTakesButtons = false;
  };
  const content = (element: CardElement) => {
    placeRow();
    body.push(element);
  };
  const fact = (value: string) => cut(people.write(value), MESSAGE_LIMITS.smallText);
  for (const block of message.blocks) {
    switch (block.type) {
      case 'header':
        content(text(people.write(block.text), { size: 'Large', weight: 'Bolder' }));
        break;
      case 'section':
        // The neutral markdown subset (**bold**, _italic_) is Adaptive Card markdown already.
        content(text(people.write(block.text)));
        break;
      case 'fields':
        content({ type: 'FactSet', facts: block.fields.map((f) => ({ title: fact(f.label), value: fact(f.value) })) });
        break;
      case 'context':
        content(text(people.write(block.text), { size: 'Small', isSubtle: true }));
        break;
      case 'actions': {
        const shown = block.buttons.slice(0, Math.max(actionsLeft, 0));
        buttonsLeftOut += block.buttons.length - shown.length;
        actionsLeft -= shown.length;
        if (shown.length === 0) break;
        const buttons = shown.map((b) => renderButton(b, { ignoreInputs }));
        if (row && rowTakesButtons) {
          row.push(...buttons);
          rowTakesButtons = false;
        } else {
          placeRow();
          row = buttons;
        }
        break;
      }
      case 'form_entry': {
        placeRow();
        const [notices, inputs] = splitNotices(formInputs(block.form, options));
        body.push(...notices);
        if (block.form.intro) body.push(text(block.form.intro, { size: 'Small', isSubtle: true }));
        body.push(...inputs);
        row = [executeSubmit(block.form, submitData(block.form, options.carry, message))];
        rowTakesButtons = true;
        break;
      }
      default:
        unreachable(block);
    }
  }
  if (body.length === 0) body.push(text(people.write(message.summary)));
  if (buttonsLeftOut > 0) body.push(leftOutNote(`${buttonsLeftOut} more button${buttonsLeftOut === 1 ? '' : 's'} than a Teams card holds`));
  const built = card(body, row ?? [], people.entities());
  return mayOutgrow(built) && cardBytes(built) > TEAMS_LIMITS.cardBytes ? shrunk(built) : built;
}

const leftOutNote = (what: string) => text(`✂️ Not shown: ${what}. Say **help** to me for all I can do.`, { size: 'Small', isSubtle: true });

const isForm = (action: CardElement) => (action.data as FormSubmitData | undefined)?.hepoForm !== undefined;

/**
 * Whether the card might be over Teams' budget, without measuring it (every kudos renders a card):
 * each character of its text escaped at worst (6 for 1), room for the keys of each element, action
 * and mention. A card that carries a form (and with it the whole message) is measured.
 */
function mayOutgrow(built: AdaptiveCard): boolean {
  const sets = built.body.flatMap((e) => (e.type === 'ActionSet' ? (e.actions as CardElement[]) : []));
  const actions = [...sets, ...(built.actions ?? [])];
  if (actions.some(isForm)) return true;
  let chars = 0;
  let parts = built.body.length + actions.length;
  for (const element of built.body) {
    if (typeof element.text === 'string') chars += element.text.length;
    for (const f of (element.facts as Array<{ title: string; value: string }> | undefined) ?? []) {
      chars += f.title.length + f.value.length;
      parts++;
    }
  }
  for (const a of actions) {
    const data = a.data as ButtonData;
    chars += String(a.title).length + 2 * data.actionId.length + (data.value?.length ?? 0);
  }
  for (const m of built.msteams?.entities ?? []) {
    chars += 2 * m.mentioned.name.length + m.mentioned.id.length;
    parts++;
  }
  return 2 * (6 * chars + 250 * parts + 500) > TEAMS_LIMITS.cardBytes;
}

/** The form's submit without the copy of its message: shown again with errors, the form stands alone. */
const withoutMessageCopy = (action: CardElement): CardElement => {
  if (!isForm(action)) return action;
  const { hepoMessage: _, ...data } = action.data as FormSubmitData;
  return { ...action, data };
};

/**
 * A card over the budget, made to fit: a form's submit stops carrying its message, then the
 * content from the end goes, as much as needed, and a last line says so.
 */
function shrunk(built: AdaptiveCard): AdaptiveCard {
  const lighter = (e: CardElement): CardElement => (e.type === 'ActionSet' ? { ...e, actions: (e.actions as CardElement[]).map(withoutMessageCopy) } : e);
  const light: AdaptiveCard = { ...built, body: built.body.map(lighter), ...(built.actions ? { actions: built.actions.map(withoutMessageCopy) } : {}) };
  if (cardBytes(light) <= TEAMS_LIMITS.cardBytes) return light;
  const note = leftOutNote('the rest of this message, longer than a Teams card holds');
  let room = TEAMS_LIMITS.cardBytes - cardBytes({ ...light, body: [note] });
  const kept: CardElement[] = [];
  for (const element of light.body) {
    // The element and the comma before it.
    const size = (JSON.stringify(element).length + 1) * 2;
    if (size > room) break;
    kept.push(element);
    room -= size;
  }
  // Mentions only of the people still named, which makes the card smaller still.
  const shown = JSON.stringify(kept);
  const entities = (light.msteams?.entities ?? []).filter((m) => shown.includes(JSON.stringify(m.text).slice(1, -1)));
  const { msteams: _, ...rest } = light;
  return { ...rest, body: [...kept, note], ...(entities.length > 0 ? { msteams: { entities } } : {}) };
}

export interface FormRenderOptions extends InputsOptions {
  /**
   * `inline`: a card in the conversation, submitted with Action.Execute (Teams and Agents Playground);
   * `dialog`: the card inside a Teams dialog, submitted with Action.Submit (task/submit).
   */
  mode: 'inline' | 'dialog';
  /** Where the form was opened from, carried by its submit button. */
  carry?: Carried;
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(',') : v);

function numberOrUndefined(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function renderInput(formId: string, field: FormField, entered: string | string[] | undefined, hasEntered: boolean, people: PersonChoice[]): CardElement {
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
    // Cards have no file input, and a bot gets files only in its 1:1 chat: the feature asks for the file there.
    case 'file':
      return text(`${field.label}: send it to me as a file in our 1:1 chat.`);
    // Teams has no workspace channel to pick for the org: kudos show where they are given.
    case 'channel':
      return text(`${field.label}: a Slack setting.`);
    case 'search': {
      // Filled as the person types: Teams invokes application/search with this dataset (listeners/invokes/search.ts).
      const value = hasEntered ? first(entered) : field.initial?.value;
      return {
        type: 'Input.ChoiceSet',
        ...base,
        style: 'filtered',
        choices: field.initial ? [{ title: field.initial.label, value: field.initial.value }] : [],
        'choices.data': { type: 'Data.Query', dataset: suggestKey(formId, field.id) },
        ...(value ? { value } : {}),
      };
    }
    default:
      return unreachable(field);
  }
}

/** The form's notices and inputs, each field followed by its error and hint. */
function formInputs(form: Form, options: InputsOptions): CardElement[] {
  const body: CardElement[] = [];
  // An error for a field the form doesn't show still reaches the person, at the top.
  const stray = Object.entries(options.errors ?? {}).filter(([id]) => !form.fields.some((f) => f.id === id));
  for (const message of [options.notice, ...stray.map(([, m]) => m)]) {
    if (message) body.push(text(message, { color: 'Attention' }));
  }
  const entered = options.values;
  for (const field of form.fields) {
    body.push(renderInput(form.formId, field, entered?.[field.id], entered !== undefined, options.people ?? []));
    const error = options.errors?.[field.id];
    if (error) body.push(text(error, { color: 'Attention', size: 'Small', spacing: 'None' }));
    if (field.hint) body.push(text(field.hint, { size: 'Small', isSubtle: true, spacing: 'None' }));
  }
  return body;
}

export function renderForm(form: Form, options: FormRenderOptions): AdaptiveCard {
  const body: CardElement[] = [];
  if (options.mode === 'inline') body.push(text(form.title, { size: 'Large', weight: 'Bolder' }));
  const [notices, inputs] = splitNotices(formInputs(form, options));
  body.push(...notices);
  if (form.intro) body.push(text(form.intro));
  body.push(...inputs);

  const data = submitData(form, options.carry);
  const submit = options.mode === 'inline' ? executeSubmit(form, data) : { type: 'Action.Submit', title: form.submitLabel, data, style: ENTRY_SUBMIT_STYLE };
  return card(body, [submit, ...(form.draft ? [saveDraft(submit, form.draft.label)] : [])]);
}

/** The notices at the top of a form's inputs, and the rest. */
function splitNotices(elements: CardElement[]): [CardElement[], CardElement[]] {
  const at = elements.findIndex((e) => e.type !== 'TextBlock');
  return at < 0 ? [elements, []] : [elements.slice(0, at), elements.slice(at)];
}
