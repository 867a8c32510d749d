import type { KnownBlock, ModalView, Block as SlackBlock, View } from '@slack/types';
import {
  type Block,
  type Button,
  type Form,
  type FormField,
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
const summaryText = (message: Message) => mentioning(escape(slashed(message.summary)), message.people, (name) => name);

const plain = (text: string, max = 150) => ({ type: 'plain_text' as const, text: text.slice(0, max), emoji: true });

function button(b: Button) {
  return {
    type: 'button' as const,
    action_id: b.actionId,
    text: plain(b.label, 75),
    ...(b.value !== undefined ? { value: b.value } : {}),
    ...(b.style ? { style: b.style } : {}),
  };
}

function block(b: Block, people: People | undefined): KnownBlock {
  switch (b.type) {
    case 'header':
      // Plain text: no mentions in a header.
      return { type: 'header', text: plain(plainText(b.text, people)) };
    case 'section':
      return { type: 'section', text: { type: 'mrkdwn', text: mrkdwn(b.text, people).slice(0, 3000) } };
    case 'fields':
      return {
        type: 'section',
        fields: b.fields.slice(0, 10).map((f) => ({ type: 'mrkdwn' as const, text: `*${mrkdwn(f.label, people)}*\n${mrkdwn(f.value, people)}` })),
      };
    case 'context':
      return { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(b.text, people) }] };
    case 'actions':
      return { type: 'actions', elements: b.buttons.map(button) };
    case 'form_entry':
      // Slack messages can't hold a submittable form: the button opens it as a modal.
      return { type: 'actions', elements: [button(b.open)] };
  }
}

export function renderMessage(message: Message): { text: string; blocks: SlackBlock[] } {
  return { text: summaryText(message), blocks: message.blocks.map((b) => block(b, message.people)) };
}

/** Slack refuses a Home tab of more blocks (`invalid_blocks`); features keep their sections short, this is the last guard. */
const HOME_MAX_BLOCKS = 100;

/** A person's home as their App Home tab (views.publish). */
export function renderHome(home: Message): View {
  return { type: 'home', blocks: home.blocks.slice(0, HOME_MAX_BLOCKS).map((b) => block(b, home.people)) };
}

const option = (value: string, label: string) => ({ text: plain(label, 75), value });

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
