import { limitHint } from '../../chat/input';
import { type Block, type Button, type Form, type Message, personRef } from '../../chat/ui';

export const GIVE_FORM = 'feedback.give';
export const GIVE = 'feedback.give';
export const THANKS = 'feedback.thanks';
export const OPEN_FORM = 'feedback.open_form';

export const giveFeedbackButton: Button = { actionId: OPEN_FORM, label: 'Give feedback', opensForm: true };

/** The longest feedback, and the longest topic a request for feedback may have. */
export const MAX_FEEDBACK = 2_000;
export const MAX_TOPIC = 300;

/** How many requests waiting for the person the home lists. */
export const HOME_REQUESTS = 5;

const KIND_LABEL = { praise: 'praise', suggestion: 'a suggestion' } as const;

export function feedbackForm(o: { recipient?: string; text?: string; requestId?: string; topic?: string }): Form {
  return {
    formId: GIVE_FORM,
    title: 'Give feedback',
    submitLabel: 'Send privately',
    intro: o.topic ? `About: ${o.topic}. Only the person you choose will see it.` : 'Only the person you choose will see it.',
    fields: [
      { id: 'recipient', kind: 'users', multiple: false, label: 'For', required: true, initial: o.recipient ? [o.recipient] : undefined },
      {
        id: 'kind',
        kind: 'choice',
        label: 'Kind',
        required: true,
        initial: 'praise',
        options: [
          { value: 'praise', label: 'Praise: something to keep doing' },
          { value: 'suggestion', label: 'Suggestion: something to try' },
        ],
      },
      {
        id: 'text',
        kind: 'multiline',
        label: 'Your feedback',
        required: true,
        maxLength: MAX_FEEDBACK,
        initial: o.text,
        placeholder: 'Be specific: what happened, and what it changed.',
        hint: limitHint(MAX_FEEDBACK),
      },
    ],
    state: o.requestId ? { requestId: o.requestId } : {},
  };
}

export function feedbackMessage(o: { fromId: string; kind: 'praise' | 'suggestion'; text: string; feedbackId: string; topic?: string }): Message {
  return {
    summary: `${personRef(o.fromId)} sent you ${KIND_LABEL[o.kind]}`,
    blocks: [
      { type: 'section', text: `💬 ${personRef(o.fromId)} sent you ${KIND_LABEL[o.kind]}${o.topic ? ` about ${o.topic}` : ''}:` },
      { type: 'section', text: o.text },
      { type: 'context', text: 'Only you can see this.' },
      { type: 'actions', buttons: [{ actionId: THANKS, label: '🙏 Thanks', value: o.feedbackId }] },
    ],
  };
}

export const thankedMessage = (from: string): Message => ({
  summary: 'You said thanks',
  blocks: [{ type: 'section', text: `🙏 You thanked ${from} for their feedback.` }],
});

export const thanksNotice = (fromId: string): Message => ({
  summary: `${personRef(fromId)} said thanks`,
  blocks: [{ type: 'section', text: `🙏 ${personRef(fromId)} said thanks for your feedback.` }],
});

export function requestMessage(o: { fromId: string; topic: string; requestId: string }): Message {
  return {
    summary: `${personRef(o.fromId)} asked for your feedback`,
    blocks: [
      { type: 'section', text: `🙋 ${personRef(o.fromId)} asked for your feedback about: ${o.topic}` },
      { type: 'actions', buttons: [{ actionId: GIVE, label: 'Give feedback', value: o.requestId, style: 'primary', opensForm: true }] },
    ],
  };
}

/** Feedback in the person's home: the requests waiting for their answer, each with its button. */
export function homeSection(waiting: Array<{ id: string; topic: string; requester_id: string }>): Block[] {
  return [
    { type: 'header', text: '💬 Feedback' },
    ...(waiting.length === 0
      ? [{ type: 'context' as const, text: 'Nobody is waiting for your feedback. Ask for some with {typed:feedback request @name about …}.' }]
      : waiting.flatMap((r) => requestMessage({ fromId: r.requester_id, topic: r.topic, requestId: r.id }).blocks)),
  ];
}
