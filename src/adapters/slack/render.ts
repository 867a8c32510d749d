import type { KnownBlock, ModalView, Block as SlackBlock, View } from '@slack/types';
import {
  type Block,
  type Button,
  type Form,
  type FormField,
  MESSAGE_LIMITS,
  type Message,
  type People,
  withNames,
  writeChannels,
  writePeople,
  writeTyped,
} from '../../chat/ui';

/** Slack escapes only these three; anything else in neutral text is shown as typed. */
const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Escaped text with each person it names as a mention, or as `unknown` shows someone with no Slack account; each channel as its link. */
const mentioning = (escaped: string, people: People | undefined, unknown: (name: string) => string) =>
  writeChannels(
    writePeople(escaped, people, (p) => (p.userId ? `<@${p.userId}>` : unknown(escape(p.name)))),
    (channelId) => `<#${channelId}>`,
  );

/** Commands to type are Slack's slash commands. */
const slashed = (text: string, write = (command: string) => `/${command}`) => writeTyped(text, write);

/** Neutral markdown (`**bold**`, `_italic_`, people, commands) to Slack mrkdwn (`*bold*`, `_italic_`, `<@U…>`, `` `/kudos` ``). */
export function mrkdwn(text: string, people?: People): string {
  const code = (command: string) => `\`/${command}\``;
  return mentioning(escape(slashed(text, code)).replace(/\*\*(.+?)\*\*/gs, '*$1*'), people, (name) => `*${name}*`);
}

/** Neutral text as plain text (a header, an error at a form's field): people by name, commands as typed. */
export const plainText = (text: string, people: People | undefined) => withNames(slashed(text), people);

/** The message's `text`, which Slack shows in notifications: plain, but mentions work there too. */
const summaryText = (message: Message) =>
  cutMrkdwn(
    mentioning(escape(slashed(message.summary)), message.people, (name) => name),
    SLACK_LIMITS.summary,
  );

/**
 * Slack's limits on a message's parts (Block Kit reference): a message over any of them is refused
 * whole (`invalid_blocks`, `msg_too_long`), so what doesn't fit is cut here, with an ellipsis or a
 * closing line that says so. Fields and buttons past a block's share go on in another block.
 */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  section: 3000,
  /** A context element, a field. */
  small: 2000,
  header: 150,
  /** A button's label, an option's. */
  label: MESSAGE_LIMITS.label,
  fieldsPerSection: 10,
  elementsPerActions: 25,
  /** The notification text; Slack takes more, but nobody reads more in a notification. */
  summary: 3000,
} as const;

/** Text cut to `max` characters, ending in an ellipsis; never between the two halves of an emoji. */
function cutPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * Mrkdwn cut to `max` characters, ending in an ellipsis, never inside a mention or link (`<@U…>`)
 * or an escaped character (`&amp;`): half of one would show as garbage, or read as markup.
 */
function cutMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
  // Escaped text has `<` only where a mention or link opens, and `&` only where an escaped character does.
  if (text.lastIndexOf('<', end - 1) > text.lastIndexOf('>', end - 1)) end = text.lastIndexOf('<', end - 1);
  if (text.lastIndexOf('&', end - 1) > text.lastIndexOf(';', end - 1)) end = text.lastIndexOf('&', end - 1);
  return `${text.slice(0, end)}…`;
}

const plain = (text: string, max: number = SLACK_LIMITS.header) => ({ type: 'plain_text' as const, text: cutPlain(text, max), emoji: true });

/** `items` in runs of at most `size`. */
function runsOf<T>(items: T[], size: number): T[][] {
  if (items.length <= size) return [items];
  const runs: T[][] = [];
  for (let i = 0; i < items.length; i += size) runs.push(items.slice(i, i + size));
  return runs;
}

function button(b: Button) {
  return {
    type: 'button' as const,
    action_id: b.actionId,
    text: plain(b.label, SLACK_LIMITS.label),
    ...(b.value !== undefined ? { value: b.value } : {}),
    ...(b.style ? { style: b.style } : {}),
  };
}

function blocks(b: Block, people: People | undefined): KnownBlock[] {
  switch (b.type) {
    case 'header':
      // Plain text: no mentions in a header.
      return [{ type: 'header', text: plain(plainText(b.text, people)) }];
    case 'section':
      return [{ type: 'section', text: { type: 'mrkdwn', text: cutMrkdwn(mrkdwn(b.text, people), SLACK_LIMITS.section) } }];
    case 'fields':
      return runsOf(b.fields, SLACK_LIMITS.fieldsPerSection).map((run) => ({
        type: 'section',
        fields: run.map((f) => ({ type: 'mrkdwn' as const, text: cutMrkdwn(`*${mrkdwn(f.label, people)}*\n${mrkdwn(f.value, people)}`, SLACK_LIMITS.small) })),
      }));
    case 'context':
      return [{ type: 'context', elements: [{ type: 'mrkdwn', text: cutMrkdwn(mrkdwn(b.text, people), SLACK_LIMITS.small) }] }];
    case 'actions':
      return runsOf(b.buttons, SLACK_LIMITS.elementsPerActions).map((run) => ({ type: 'actions', elements: run.map(button) }));
    case 'form_entry':
      // Slack messages can't hold a submittable form: the button opens it as a modal.
      return [{ type: 'actions', elements: [button(b.open)] }];
  }
}

/** A message's blocks, at most `max`: past that, a last line says the rest didn't fit. */
function fitted(message: Message, max: number): KnownBlock[] {
  const all = message.blocks.flatMap((b) => blocks(b, message.people));
  if (all.length <= max) return all;
  const note = `…and more that doesn't fit in one message (${all.length - max + 1} more parts).`;
  return [...all.slice(0, max - 1), { type: 'context', elements: [{ type: 'mrkdwn', text: note }] }];
}

export function renderMessage(message: Message): { text: string; blocks: SlackBlock[] } {
  return { text: summaryText(message), blocks: fitted(message, SLACK_LIMITS.messageBlocks) };
}

/** A person's home as their App Home tab (views.publish); features keep their sections short, so the cut is the last guard. */
export function renderHome(home: Message): View {
  return { type: 'home', blocks: fitted(home, SLACK_LIMITS.viewBlocks) };
}

const option = (value: string, label: string) => ({ text: plain(label, SLACK_LIMITS.label), value });

function element(field: FormField) {
  const action_id = field.id;
  switch (field.kind) {
    case 'text':
    case 'multiline':
      return {
        type: 'plain_text_input' as const,
        action_id,
        multiline: field.kind === 'multiline',
        ...(field.maxLength ? { max_length: field.maxLength } : {}),
        ...(field.placeholder ? { placeholder: plain(field.placeholder) } : {}),
        ...(field.initial ? { initial_value: field.initial } : {}),
      };
    case 'number':
      return {
        type: 'number_input' as const,
        action_id,
        is_decimal_allowed: field.decimal === true,
        ...(field.min !== undefined ? { min_value: String(field.min) } : {}),
        ...(field.max !== undefined ? { max_value: String(field.max) } : {}),
        ...(field.initial !== undefined ? { initial_value: String(field.initial) } : {}),
      };
    case 'date':
      return { type: 'datepicker' as const, action_id, ...(field.initial ? { initial_date: field.initial } : {}) };
    case 'users':
      return field.multiple
        ? { type: 'multi_users_select' as const, action_id, ...(field.initial ? { initial_users: field.initial } : {}) }
        : { type: 'users_select' as const, action_id, ...(field.initial?.[0] ? { initial_user: field.initial[0] } : {}) };
    case 'choice': {
      const options = field.options.map((o) => option(o.value, o.label));
      const initial = options.find((o) => o.value === field.initial);
      return { type: 'static_select' as const, action_id, options, ...(initial ? { initial_option: initial } : {}) };
    }
    case 'rating': {
      const options = Array.from({ length: field.max - field.min + 1 }, (_, i) => String(field.min + i)).map((v) => option(v, v));
      const initial = options.find((o) => o.value === String(field.initial));
      return { type: 'radio_buttons' as const, action_id, options, ...(initial ? { initial_option: initial } : {}) };
    }
    case 'file':
      return { type: 'file_input' as const, action_id, filetypes: field.extensions, max_files: 1 };
    case 'search':
      // Slack asks for the options as the person types (a block_suggestion: listeners/options).
      return {
        type: 'external_select' as const,
        action_id,
        min_query_length: 0,
        ...(field.initial ? { initial_option: option(field.initial.value, field.initial.label) } : {}),
      };
    case 'channel':
      return { type: 'channels_select' as const, action_id, ...(field.initial ? { initial_channel: field.initial } : {}) };
  }
}

/** What a modal shows while its submission is still being worked on; the outcome comes as a message. */
export function workingView(title: ModalView['title']): ModalView {
  return {
    type: 'modal',
    title,
    close: plain('Close', 24),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: "⏳ Working on it. I'll send you a message with the outcome in a moment; you can close this." } },
    ],
  };
}

/** A neutral form as a modal; `privateMetadata` carries the form state and where it was opened. */
export function renderModal(form: Form, privateMetadata: string): View {
  return {
    type: 'modal',
    callback_id: form.formId,
    title: plain(form.title, 24),
    submit: plain(form.submitLabel, 24),
    // A form that keeps a draft saves it when closed: its close button says so.
    close: plain(form.draft?.label ?? 'Cancel', 24),
    ...(form.draft ? { notify_on_close: true } : {}),
    private_metadata: privateMetadata,
    blocks: [
      ...(form.intro ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: mrkdwn(form.intro) }] }] : []),
      ...form.fields.map(
        (field): KnownBlock => ({
          type: 'input',
          block_id: field.id,
          optional: !field.required,
          label: plain(field.label, 2000),
          ...(field.hint ? { hint: plain(field.hint, 2000) } : {}),
          element: element(field),
        }),
      ),
    ],
  };
}
