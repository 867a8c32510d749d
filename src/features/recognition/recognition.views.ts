import { type Block, type Form, type Message, personRef } from '../../chat/ui';

export const KUDOS_FORM = 'kudos';
export const OPEN_KUDOS_FORM = 'kudos.open_form';

export interface KudosView {
  giverId: string;
  /** `name` is for the giver's own confirmation, which mentions nobody. */
  recipients: Array<{ id: string; name: string }>;
  pointsEach: number;
  value: string | undefined;
  message: string;
}

const listOf = (names: string[]) => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

const bold = (names: string[]) => listOf(names.map((n) => `**${n}**`));

const recipientRefs = (k: KudosView) => listOf(k.recipients.map((r) => personRef(r.id)));

const pointsLine = (points: number, each: boolean) => (points > 0 ? ` +${points} point${points === 1 ? '' : 's'}${each ? ' each' : ''}` : '');

export const giveKudosButton = { actionId: OPEN_KUDOS_FORM, label: 'Give kudos', opensForm: true } as const;

export interface Balance {
  left: number;
  allowance: number;
}

const balanceLine = (b: Balance) => ({ type: 'context' as const, text: `${b.left} of ${b.allowance} points left this month.` });

/**
 * The recognition as everyone sees it in the channel; given a balance, it is the giver's own copy
 * (used where there is no channel to post in).
 */
export function recognitionMessage(k: KudosView, balance?: Balance): Message {
  const value = k.value ? ` for #${k.value}` : '';
  const headline = `${personRef(k.giverId)} recognised ${recipientRefs(k)}${value}`;
  return {
    summary: headline,
    blocks: [
      { type: 'section', text: `🎉 ${headline}` },
      { type: 'section', text: `“${k.message}”` },
      ...(k.pointsEach > 0 || k.value
        ? [
            {
              type: 'context' as const,
              text: [pointsLine(k.pointsEach, k.recipients.length > 1).trim(), k.value ? `#${k.value}` : ''].filter(Boolean).join(' · '),
            },
          ]
        : []),
      balance ? balanceLine(balance) : { type: 'actions', buttons: [giveKudosButton] },
    ],
  };
}

/** The private note each recipient gets. */
export function recipientMessage(k: KudosView): Message {
  const value = k.value ? ` for #${k.value}` : '';
  return {
    summary: `${personRef(k.giverId)} recognised you${value}`,
    blocks: [
      { type: 'section', text: `🎉 ${personRef(k.giverId)} recognised you${value}${pointsLine(k.pointsEach, false)}` },
      { type: 'section', text: `“${k.message}”` },
    ],
  };
}

export function confirmationMessage(k: KudosView, balance: Balance, where: string): Message {
  const names = k.recipients.map((r) => r.name);
  const sent = `You recognised ${bold(names)}${pointsLine(k.pointsEach, names.length > 1)}. ${where}`;
  return {
    summary: `You recognised ${listOf(names)}`,
    blocks: [{ type: 'section', text: `✅ ${sent}` }, balanceLine(balance)],
  };
}

export function kudosForm(values: string[], pointsLeft: number, allowance: number): Form {
  return {
    formId: KUDOS_FORM,
    title: 'Give kudos',
    submitLabel: 'Send kudos',
    intro: `You have ${pointsLeft} of ${allowance} points left this month.`,
    fields: [
      { id: 'recipients', kind: 'users', multiple: true, label: 'Who do you want to recognise?', required: true },
      {
        id: 'points',
        kind: 'number',
        label: 'Points for each person',
        min: 1,
        max: Math.max(pointsLeft, 1),
        hint: 'Optional. Comes from your monthly allowance.',
      },
      {
        id: 'value',
        kind: 'choice',
        label: 'Company value',
        options: values.map((v) => ({ value: v, label: `#${v}` })),
        hint: 'Optional',
      },
      {
        id: 'message',
        kind: 'multiline',
        label: 'What did they do?',
        required: true,
        maxLength: 1000,
        placeholder: 'Thanks for carrying the launch demo…',
      },
    ],
  };
}

/** A kudos message as the home quotes it: the start of it. */
const QUOTE_LENGTH = 140;
const quote = (text: string) => (text.length > QUOTE_LENGTH ? `${text.slice(0, QUOTE_LENGTH - 1)}…` : text);

export interface RecognitionHome {
  balance: Balance;
  received: { count: number; points: number; latest: Array<{ giver: string; message: string; company_value: string | null }> };
  given: number;
}

/** The person's month in kudos, for their home: what they can still give, what they got and gave. */
export function homeSection(h: RecognitionHome): Block[] {
  return [
    { type: 'header', text: '🎉 Recognition' },
    {
      type: 'fields',
      fields: [
        { label: 'Points to give', value: `${h.balance.left} of ${h.balance.allowance} left this month` },
        { label: 'Received this month', value: `${h.received.count} kudos · ${h.received.points} points` },
        { label: 'Given this month', value: `${h.given} kudos` },
      ],
    },
    ...(h.received.latest.length > 0
      ? [
          {
            type: 'section' as const,
            text: h.received.latest.map((k) => `• **${k.giver}**${k.company_value ? ` for #${k.company_value}` : ''}: “${quote(k.message)}”`).join('\n'),
          },
        ]
      : []),
  ];
}
