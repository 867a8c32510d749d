import { limitHint } from '../../chat/input';
import type { Platform } from '../../chat/interaction';
import { type Block, channelRef, type Form, type Message, personRef, typed } from '../../chat/ui';
import type { Org } from '../../db/database';
import { MAX_MESSAGE_LENGTH } from './kudos.rules';

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

/** What each recipient gets, as a card's small print: "+20 points", "+20 points each". */
const pointsLine = (points: number, each: boolean) => `+${points} point${points === 1 ? '' : 's'}${each ? ' each' : ''}`;

const forValue = (k: KudosView) => (k.value ? ` for #${k.value}` : '');

const pointsContext = (k: KudosView, each: boolean): Block[] => (k.pointsEach > 0 ? [{ type: 'context', text: pointsLine(k.pointsEach, each) }] : []);

export const giveKudosButton = { actionId: OPEN_KUDOS_FORM, label: 'Give kudos', opensForm: true } as const;

export interface Balance {
  left: number;
  allowance: number;
}

const balanceLine = (b: Balance) => ({ type: 'context' as const, text: `${b.left} of ${b.allowance} points left this month.` });

/** The recognition as everyone sees it where it is posted: who, whom and the value in the headline, then the words, then the points. */
export function recognitionMessage(k: KudosView): Message {
  const headline = `${personRef(k.giverId)} recognised ${recipientRefs(k)}${forValue(k)}`;
  return {
    summary: headline,
    blocks: [
      { type: 'section', text: `🎉 ${headline}` },
      { type: 'section', text: `“${k.message}”` },
      ...pointsContext(k, k.recipients.length > 1),
      { type: 'actions', buttons: [giveKudosButton] },
    ],
  };
}

/** The private note each recipient gets, laid out like the post. */
export function recipientMessage(k: KudosView): Message {
  const headline = `${personRef(k.giverId)} recognised you${forValue(k)}`;
  return {
    summary: headline,
    blocks: [{ type: 'section', text: `🎉 ${headline}` }, { type: 'section', text: `“${k.message}”` }, ...pointsContext(k, false)],
  };
}

/**
 * What the giver is told, once, when a recipient's note can't reach them. In Teams that is someone
 * the app isn't added for yet; in Slack, someone gone from the workspace or whom the bot can't DM.
 */
export function unreachedMessage(personId: string, platform: Platform): Message {
  const who = personRef(personId);
  const text =
    platform === 'teams'
      ? `I couldn't reach ${who} directly: HEPO isn't added for them yet, so they'll see your kudos when they add it. Tell them, or @mention them in a chat or channel.`
      : `I couldn't reach ${who} directly, so they haven't seen your kudos yet. Tell them, or @mention them in a channel.`;
  return { summary: `I couldn't reach ${who} directly`, blocks: [{ type: 'section', text }] };
}

/** Where a kudos was shown to everyone, as its giver's confirmation tells them. */
export type ShownTo =
  /** Posted in the channel or group chat it was given in. */
  | { in: 'conversation' }
  /** Given in private and posted in the org's recognition channel, as `recognitionChannelShown` writes it. */
  | { in: 'recognition_channel'; channel: string }
  /** Given in private with no recognition channel set: only the recipients got it. `choose`: how the giver, an HR admin, sets one. */
  | { in: 'nowhere'; choose?: string };

function shownText(shown: ShownTo, names: string[]): string {
  switch (shown.in) {
    case 'conversation':
      return 'Posted where you gave it, for everyone there to see.';
    case 'recognition_channel':
      return `📣 Posted in ${shown.channel} for everyone to see.`;
    case 'nowhere': {
      const why = `🔒 Only ${listOf(['you', ...names.map((n) => `**${n}**`)])} see this: kudos given in private aren't posted anywhere`;
      return shown.choose
        ? `${why} until a recognition channel is chosen. To choose one, ${shown.choose}.`
        : `${why} until an HR admin chooses a recognition channel.`;
    }
  }
}

/** The giver's own confirmation: whom, for what and with how many points, once each; where everyone sees it; what they have left. */
export function confirmationMessage(k: KudosView, balance: Balance, shown: ShownTo): Message {
  const names = k.recipients.map((r) => r.name);
  const each = names.length > 1 ? ' each' : '';
  const points = k.pointsEach > 0 ? ` with ${k.pointsEach} point${k.pointsEach === 1 ? '' : 's'}${each}` : '';
  return {
    summary: `You recognised ${listOf(names)}`,
    blocks: [
      { type: 'section', text: `✅ You recognised ${bold(names)}${forValue(k)}${points}.` },
      { type: 'section', text: shownText(shown, names) },
      balanceLine(balance),
    ],
  };
}

/** How an HR admin chooses the recognition channel on each platform (Teams messages can't name a channel, so it's typed there). */
export const HOW_TO_CHOOSE_CHANNEL: Record<Platform, string> = {
  slack: `type ${typed('kudos channel #recognition')}`,
  teams: `@mention me in the team channel you want, with ${typed('kudos channel here')}`,
};

/** How an HR admin sets none again, on either platform. */
export const NO_CHANNEL = typed('kudos channel off');

/** The org's recognition channel on this platform as a message names it; undefined when none is set. */
export function recognitionChannelShown(org: Org, platform: Platform): string | undefined {
  if (platform === 'slack') return org.slack_recognition_channel ? channelRef(org.slack_recognition_channel) : undefined;
  if (!org.teams_recognition_channel) return undefined;
  return org.teams_recognition_channel_name ? `**${org.teams_recognition_channel_name}**` : 'the recognition channel';
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
        maxLength: MAX_MESSAGE_LENGTH,
        placeholder: 'Thanks for carrying the launch demo…',
        hint: limitHint(MAX_MESSAGE_LENGTH),
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
