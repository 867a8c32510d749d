import dayjs from 'dayjs';
import { limitHint } from '../../chat/input';
import {
  type Block,
  type Button,
  type Form,
  type FormField,
  MESSAGE_LIMITS,
  type Message,
  PAGE_CHARS,
  type PageCost,
  pageOf,
  pageStart,
  personRef,
  showMoreButton,
} from '../../chat/ui';
import type { QuestionKind } from '../../db/database';
import { WEEKDAYS } from '../../schedule/cadence.rules';

export const ANSWER_FORM = 'checkin.answer';
export const SKIP_FORM = 'checkin.skip';
export const REPLY_FORM = 'checkin.reply';
export const SETUP_FORM = 'checkin.setup';
export const START = 'checkin.start';
export const SKIP = 'checkin.skip';
export const SNOOZE = 'checkin.snooze';
export const REPLY = 'checkin.reply';
export const SETUP = 'checkin.setup';
export const VIEW_ANSWERS = 'checkin.view_answers';
export const HISTORY = 'checkin.history';
export const DIGEST_MORE = 'checkin.digest_more';
export const ANSWERS_MORE = 'checkin.answers_more';

/** The longest answer to a check-in question, reason to skip one, reply in its thread, and list of questions. */
export const MAX_ANSWER = 2_000;
export const MAX_SKIP_REASON = 300;
export const MAX_REPLY = 2_000;
export const MAX_QUESTIONS_TEXT = 3_000;

/** A calendar date, `YYYY-MM-DD`, as people read it: `Fri, Nov 27`. */
export const dayLabel = (date: string) => dayjs(date).format('ddd, MMM D');

export const periodLabel = (period: string, every: 'week' | 'two_weeks' = 'week') => `${every === 'week' ? 'week' : 'fortnight'} of ${dayLabel(period)}`;

const shortPeriod = (period: string) => dayjs(period).format('MMM D');

export interface QuestionView {
  id: string;
  kind: QuestionKind;
  prompt: string;
  options: string[] | null;
}

function questionField(q: QuestionView): FormField {
  if (q.kind === 'rating') return { id: q.id, kind: 'rating', label: q.prompt, min: 1, max: Number(q.options?.[0] ?? 5), required: true };
  if (q.kind === 'choice') {
    return { id: q.id, kind: 'choice', label: q.prompt, options: (q.options ?? []).map((o) => ({ value: o, label: o })) };
  }
  return { id: q.id, kind: 'multiline', label: q.prompt, maxLength: MAX_ANSWER, hint: limitHint(MAX_ANSWER) };
}

export function answerForm(promptId: string, period: string, questions: QuestionView[]): Form {
  return {
    formId: ANSWER_FORM,
    title: 'Check-in',
    submitLabel: 'Submit',
    intro: `Your check-in for the ${periodLabel(period)}. Only you and your manager see your answers.`,
    fields: questions.map(questionField),
    state: { promptId },
  };
}

export function skipForm(promptId: string): Form {
  return {
    formId: SKIP_FORM,
    title: 'Skip this check-in',
    submitLabel: 'Skip',
    fields: [
      {
        id: 'reason',
        kind: 'text',
        label: 'Why are you skipping? (your manager sees this)',
        required: true,
        maxLength: MAX_SKIP_REASON,
        placeholder: 'On holiday, sick, nothing new…',
        hint: limitHint(MAX_SKIP_REASON),
      },
    ],
    state: { promptId },
  };
}

export function promptMessage(o: { name: string; period: string; form: Form; promptId: string; reminder: boolean }): Message {
  const opening = o.reminder
    ? `A gentle reminder, ${o.name}: your check-in for the ${periodLabel(o.period)} is still open.`
    : `👋 Hi ${o.name}, time for your check-in for the ${periodLabel(o.period)}. It takes two minutes.`;
  return {
    summary: o.reminder ? 'Reminder: your check-in is open' : 'Time for your check-in',
    blocks: [
      { type: 'section', text: opening },
      { type: 'form_entry', form: o.form, open: { actionId: START, label: 'Start check-in', value: o.promptId, style: 'primary', opensForm: true } },
      {
        type: 'actions',
        buttons: [
          { actionId: SKIP, label: 'Skip this time', value: o.promptId, opensForm: true },
          { actionId: SNOOZE, label: 'Snooze 2 hours', value: o.promptId },
        ],
      },
    ],
  };
}

export const closedPromptMessage = (period: string, what: string): Message => ({
  summary: what,
  blocks: [{ type: 'section', text: `${what} (${periodLabel(period)})` }],
});

export const streakLine = (count: number) => (count >= 2 ? ` 🔥 ${count} in a row.` : '');

export interface DigestRow {
  promptId: string | undefined;
  personId: string;
  /** For the reply button's label, which can't mention. */
  name: string;
  state: 'answered' | 'skipped' | 'missing' | 'away';
  mood?: { value: number; max: number };
  blockers?: string;
  skipReason?: string | null;
}

/** A digest's page holds its header, its counts, the list of those away or missing and its "Show more" besides the rows. */
const DIGEST_PAGE: PageCost = { blocks: MESSAGE_LIMITS.blocks - 4, buttons: MESSAGE_LIMITS.buttons - 1, chars: PAGE_CHARS };

/** The button under a row of the digest: their answers (which have the reply), or a reply to why they skipped. */
function digestButton(r: DigestRow): Button | undefined {
  if (!r.promptId) return undefined;
  if (r.state === 'answered') return viewAnswersButton(r.promptId, `${r.name}'s answers`);
  if (r.state === 'skipped') return { actionId: REPLY, label: `Reply to ${r.name}`, value: r.promptId, opensForm: true };
  return undefined;
}

function digestLine(r: DigestRow): string {
  const who = personRef(r.personId);
  if (r.state === 'away') return `${who}: away`;
  if (r.state === 'missing') return `${who}: no check-in`;
  if (r.state === 'skipped') return `${who}: skipped (${r.skipReason ?? 'no reason'})`;
  return `${who}: ${r.mood ? `mood ${r.mood.value}/${r.mood.max}` : 'answered'}${r.blockers ? `\n⚠️ In the way: ${r.blockers}` : ''}`;
}

/** Each row of a digest takes its line, and its button's row and button if it has one. */
const digestCost = (r: DigestRow): PageCost => {
  const buttons = digestButton(r) ? 1 : 0;
  return { blocks: 1 + buttons, buttons, chars: digestLine(r).length };
};

/**
 * The manager's digest of a period, a page at a time: those with nothing to open (away, no
 * check-in) in one list on the first page, then everyone who answered or skipped, each with the
 * button to their answers or to reply to their skip, from the check-in `startAt` on (the first
 * page by default), and "Show more" while people are left. A team of 40 takes a few pages: a
 * Teams card holds 6 buttons.
 */
export function digestMessage(o: { period: string; rows: DigestRow[]; trend: number[]; startAt?: string }): Message {
  const answered = o.rows.filter((r) => r.state === 'answered').length;
  const away = o.rows.filter((r) => r.state === 'away').length;
  const [current, ...before] = o.trend;
  const trend =
    current === undefined
      ? 'No mood answers yet.'
      : `Team mood ${current.toFixed(1)}${before.length > 0 ? ` (before: ${before.map((m) => m.toFixed(1)).join(', ')})` : ''}`;
  const listed = o.rows.filter((r) => digestButton(r));
  const unlisted = o.rows.filter((r) => !digestButton(r));
  const at = listed.findIndex((r) => r.promptId === o.startAt);
  const page = pageOf(listed, pageStart(listed, Math.max(at, 0), DIGEST_PAGE, digestCost), DIGEST_PAGE, digestCost);
  const shown = page.from + page.items.length;
  const paged = page.from > 0 || page.next !== undefined;
  const counts = `${answered} of ${o.rows.length - away} answered${away ? ` · ${away} away` : ''} · ${trend}`;
  return {
    summary: `Check-ins for the ${periodLabel(o.period)}: ${answered} of ${o.rows.length - away} answered`,
    blocks: [
      { type: 'header', text: `Team check-ins, ${periodLabel(o.period)}` },
      { type: 'context', text: paged ? `${counts} · showing ${page.from + 1}–${shown} of the ${listed.length} who answered or skipped` : counts },
      ...(page.from === 0 && unlisted.length > 0 ? [{ type: 'section' as const, text: unlisted.map(digestLine).join('\n') }] : []),
      ...page.items.flatMap((r): Block[] => [
        { type: 'section', text: digestLine(r) },
        { type: 'actions', buttons: [digestButton(r)!] },
      ]),
      ...(page.next !== undefined
        ? [{ type: 'actions' as const, buttons: [showMoreButton(DIGEST_MORE, listed[page.next]!.promptId!, listed.length - page.next)] }]
        : []),
    ],
  };
}

export function replyForm(promptId: string, toName: string): Form {
  return {
    formId: REPLY_FORM,
    title: 'Reply privately',
    submitLabel: 'Send',
    intro: `Only ${toName} will see this.`,
    fields: [{ id: 'text', kind: 'multiline', label: 'Your reply', required: true, maxLength: MAX_REPLY, hint: limitHint(MAX_REPLY) }],
    state: { promptId },
  };
}

export function replyMessage(o: { fromId: string; period: string; text: string; promptId: string }): Message {
  return {
    summary: `${personRef(o.fromId)} replied to your check-in`,
    blocks: [
      { type: 'section', text: `💬 ${personRef(o.fromId)} replied about your check-in for the ${periodLabel(o.period)}:` },
      { type: 'section', text: o.text },
      { type: 'actions', buttons: [{ actionId: REPLY, label: 'Reply', value: o.promptId, opensForm: true }] },
    ],
  };
}

const viewAnswersButton = (promptId: string, label = 'View answers'): Button => ({ actionId: VIEW_ANSWERS, label, value: promptId });

/** A page of answers holds the header and the row of "Reply" and "Show more" besides the answers. */
const ANSWERS_PAGE: PageCost = { blocks: MESSAGE_LIMITS.blocks - 2, buttons: MESSAGE_LIMITS.buttons - 2, chars: PAGE_CHARS };

type Answer = { prompt: string; value: string };

const answerText = (a: Answer) => `**${a.prompt}**\n${a.value || '—'}`;

const answerCost = (a: Answer): PageCost => ({ blocks: 1, buttons: 0, chars: answerText(a).length });

/**
 * A check-in's answers, a page at a time (a few long answers fill one): the first with "Show N more"
 * when there are more, which brings all the others at once (a button carries one id, the check-in's).
 * `replyTo`: the check-in, when the reader is the manager who can write back about it.
 */
export function answersMessages(o: { promptId: string; period: string; name: string; answers: Answer[]; replyTo?: string }): Message[] {
  const pages: Message[] = [];
  let from: number | undefined = 0;
  while (from !== undefined) {
    const page: { from: number; items: Answer[]; next?: number } = pageOf(o.answers, from, ANSWERS_PAGE, answerCost);
    const first = page.from === 0;
    const buttons: Button[] = [
      ...(o.replyTo && first ? [{ actionId: REPLY, label: `Reply to ${o.name}`, value: o.replyTo, opensForm: true }] : []),
      ...(first && page.next !== undefined ? [showMoreButton(ANSWERS_MORE, o.promptId, o.answers.length - page.next)] : []),
    ];
    pages.push({
      summary: `${o.name}'s check-in`,
      blocks: [
        { type: 'header', text: `${o.name}, ${periodLabel(o.period)}${first ? '' : ' (continued)'}` },
        ...(o.answers.length === 0
          ? [{ type: 'section' as const, text: 'No answers in this check-in.' }]
          : page.items.map((a) => ({ type: 'section' as const, text: answerText(a) }))),
        ...(buttons.length > 0 ? [{ type: 'actions' as const, buttons }] : []),
      ],
    });
    from = page.next;
  }
  return pages;
}

/** Answered check-ins with a button each to open their answers; a platform shows a handful of buttons at most. */
const ANSWER_BUTTONS = 4;

/** How many people a line of the history names before "and N more" (Slack's sections take 3000 characters). */
const LISTED = 15;
/** Buttons in a row of the team's round: a platform shows a handful at most. */
const TEAM_BUTTONS = 4;
/** How much of a skip's reason the team's round shows; the digest has it whole. */
const REASON_SHOWN = 60;

/** The first `LISTED` items joined by `separator`, then (after `before`) how many more there are. */
function capped(items: string[], separator: string, before = separator): string {
  const more = items.length - LISTED;
  return `${items.slice(0, LISTED).join(separator)}${more > 0 ? `${before}and ${more} more` : ''}`;
}

/** A team's cadence as people read it: `every other week on Friday at 15:00`. */
const cadenceLabel = (c: { every: 'week' | 'two_weeks'; weekday: number; localTime: string }) =>
  `${c.every === 'week' ? 'every week' : 'every other week'} on ${WEEKDAYS[c.weekday]} at ${c.localTime}`;

/** A check-in in a team's latest round: `missed` is one still unanswered after its deadline. */
export interface RoundRow {
  promptId: string;
  personId: string;
  /** For the buttons' labels, which can't mention. */
  name: string;
  state: 'answered' | 'skipped' | 'open' | 'missed';
  skipReason: string | null;
}

/** The team a manager runs, as their history shows it. */
export interface TeamView {
  memberIds: string[];
  every: 'week' | 'two_weeks';
  weekday: number;
  localTime: string;
  /** When the next prompt goes, in the manager's own time. */
  next: string;
  /** The latest round, and whose check-ins in it wait for a word back from the manager. */
  round?: { period: string; answered: number; expected: number; rows: RoundRow[]; waiting: Array<{ promptId: string; name: string }> };
}

/** The team whose check-ins the person gets. */
export interface MembershipView {
  managerId: string;
  /** Their next check-in, in their own time. */
  next: string;
  /** Their last day away, as they read it, while they are away. */
  awayUntil?: string;
}

function teamBlocks(team: TeamView): Block[] {
  const count = `${team.memberIds.length} ${team.memberIds.length === 1 ? 'person' : 'people'}`;
  const blocks: Block[] = [
    {
      type: 'section',
      text:
        team.memberIds.length === 0
          ? "**Your team's check-ins** have nobody in them now."
          : `**Your team's check-ins** (${count}): ${capped(team.memberIds.map(personRef), ', ', ' ')}`,
    },
    { type: 'context', text: `Check-ins go out ${cadenceLabel(team)}, in each person's own time. Next: ${team.next}, your time.` },
  ];
  const round = team.round;
  if (!round) return blocks;
  const mark = (r: RoundRow) =>
    r.state === 'answered'
      ? '✅ answered'
      : r.state === 'skipped'
        ? `⏭️ skipped${r.skipReason ? ` (${r.skipReason.length > REASON_SHOWN ? `${r.skipReason.slice(0, REASON_SHOWN)}…` : r.skipReason})` : ''}`
        : r.state === 'missed'
          ? 'no check-in'
          : '⏳ open';
  const lines = capped(
    round.rows.map((r) => `• ${personRef(r.personId)}: ${mark(r)}`),
    '\n',
  );
  const answered = round.rows.filter((r) => r.state === 'answered').slice(0, TEAM_BUTTONS);
  const waiting = round.waiting.slice(0, TEAM_BUTTONS);
  blocks.push({
    type: 'section',
    text: `Your team, ${periodLabel(round.period, team.every)}: ${round.answered} of ${round.expected} answered.\n${lines}`,
  });
  if (answered.length > 0) blocks.push({ type: 'actions', buttons: answered.map((r) => viewAnswersButton(r.promptId, `${r.name}'s answers`)) });
  if (waiting.length > 0) {
    blocks.push({ type: 'actions', buttons: waiting.map((w) => ({ actionId: REPLY, label: `Reply to ${w.name}`, value: w.promptId, opensForm: true })) });
  }
  blocks.push({ type: 'context', text: 'Open someone’s check-ins with {typed:checkin @name}.' });
  return blocks;
}

/**
 * `whose`: absent for the actor's own history, else the name of the person it is about. The
 * actor's own also tells the team they get check-ins from (`memberOf`) and the team they run (`team`).
 */
export function historyMessage(o: {
  whose?: string;
  rows: Array<{ id: string; period: string; status: string }>;
  streak: number;
  memberOf?: MembershipView;
  team?: TeamView;
  canSetUp: boolean;
}): Message {
  const mark = (status: string) => (status === 'answered' ? '✅ answered' : status === 'skipped' ? '⏭️ skipped' : '⏳ open');
  const title = o.whose ? `${o.whose}'s check-ins` : 'Your check-ins';
  const answered = o.rows.filter((r) => r.status === 'answered').slice(0, ANSWER_BUTTONS);
  const member = o.memberOf;
  const manager = member ? personRef(member.managerId) : '';
  // A manager in nobody's check-ins sees their team alone, not "no check-ins yet".
  const own = o.rows.length > 0 || Boolean(member) || !o.team;
  const ownText =
    o.rows.length > 0
      ? `${title}:\n${o.rows.map((r) => `• ${periodLabel(r.period)}: ${mark(r.status)}`).join('\n')}`
      : !member
        ? `${o.whose ? `${o.whose} has` : 'You have'} no check-ins yet.`
        : member.awayUntil
          ? `You're in ${manager}'s team check-ins. 🌴 You're away until ${member.awayUntil} (included), so your first check-in comes after that.`
          : `You're in ${manager}'s team check-ins. Your first check-in comes ${member.next}, your time. It takes two minutes.`;
  return {
    summary: own ? title : "Your team's check-ins",
    blocks: [
      ...(own ? [{ type: 'section' as const, text: ownText }] : []),
      ...(o.streak > 0 ? [{ type: 'context' as const, text: `Streak: ${o.streak} in a row.` }] : []),
      ...(answered.length > 0
        ? [{ type: 'actions' as const, buttons: answered.map((r) => viewAnswersButton(r.id, `Answers, ${shortPeriod(r.period)}`)) }]
        : []),
      ...(member && o.rows.length > 0
        ? [
            {
              type: 'context' as const,
              text: member.awayUntil
                ? `🌴 You're away until ${member.awayUntil} (included): no check-ins until then.`
                : `Next check-in: ${member.next}, your time (${manager}'s team).`,
            },
          ]
        : []),
      ...(o.team ? teamBlocks(o.team) : []),
      ...(o.canSetUp
        ? [{ type: 'actions' as const, buttons: [{ actionId: SETUP, label: o.team ? 'Edit check-ins' : 'Set up check-ins', opensForm: true }] }]
        : []),
    ],
  };
}

const TIMES = Array.from({ length: 27 }, (_, i) => `${String(7 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`);

export function setupForm(o: {
  managerId: string;
  memberIds: string[];
  every: 'week' | 'two_weeks';
  weekday: number;
  localTime: string;
  questions: string;
}): Form {
  return {
    formId: SETUP_FORM,
    title: 'Set up check-ins',
    submitLabel: 'Save',
    intro: 'Everyone gets the check-in at the chosen time in their own timezone. Only you (and HR admins) read the answers.',
    fields: [
      { id: 'members', kind: 'users', multiple: true, label: 'Who is in the team?', required: true, initial: o.memberIds },
      {
        id: 'every',
        kind: 'choice',
        label: 'How often?',
        required: true,
        initial: o.every,
        options: [
          { value: 'week', label: 'Every week' },
          { value: 'two_weeks', label: 'Every two weeks' },
        ],
      },
      {
        id: 'weekday',
        kind: 'choice',
        label: 'On',
        required: true,
        initial: String(o.weekday),
        options: WEEKDAYS.map((d, i) => ({ value: String(i), label: d })),
      },
      {
        id: 'time',
        kind: 'choice',
        label: 'At (each person’s local time)',
        required: true,
        initial: o.localTime,
        options: TIMES.map((t) => ({ value: t, label: t })),
      },
      {
        id: 'questions',
        kind: 'multiline',
        label: 'Questions, one per line',
        required: true,
        initial: o.questions,
        hint: limitHint(
          MAX_QUESTIONS_TEXT,
          'End a line with (rating 1-5), (choice: a, b, c) or (blockers); other lines are free text. Reorder or remove lines to change them.',
        ),
        maxLength: MAX_QUESTIONS_TEXT,
      },
    ],
    state: { managerId: o.managerId },
  };
}

export function addedToTeamMessage(o: { managerId: string; weekday: number; localTime: string }): Message {
  const manager = personRef(o.managerId);
  return {
    summary: `${manager} added you to their check-ins`,
    blocks: [
      {
        type: 'section',
        text: `${manager} added you to their team check-ins as your manager. You'll get a short check-in every ${WEEKDAYS[o.weekday]} at ${o.localTime}, your time. Only you and ${manager} see your answers. If ${manager} isn't your manager, tell HR.`,
      },
    ],
  };
}

/** How many of a manager's people waiting for a word back the home names. */
const HOME_WAITING = 5;

export interface CheckinsHome {
  /** The person's latest check-in, while it is open. */
  open?: { promptId: string; period: string };
  /** When their next check-in comes, as they read it; none when they are in no team's check-ins. */
  next?: string;
  /** Their last day away, as they read it, while they are away. */
  awayUntil?: string;
  streak: number;
  /** The team they run: its latest round, and the check-ins in it they haven't written back about. */
  team?: { period: string; answered: number; expected: number; waiting: Array<{ promptId: string; name: string; status: string }> };
}

/** The person's check-ins in their home: the open one, the next one and their streak; for a manager, their team's round. */
export function homeSection(h: CheckinsHome): Block[] {
  const blocks: Block[] = [{ type: 'header', text: '✅ Check-ins' }];
  if (h.open) {
    blocks.push(
      { type: 'section', text: `Your check-in for the ${periodLabel(h.open.period)} is open.` },
      { type: 'actions', buttons: [{ actionId: START, label: 'Check in now', value: h.open.promptId, style: 'primary', opensForm: true }] },
    );
  }
  if (h.awayUntil) {
    blocks.push({
      type: 'section',
      text: `🌴 You're away until ${h.awayUntil} (included): no check-ins until then. {typed:checkin back} turns them on again.`,
    });
  } else if (h.next) {
    blocks.push({ type: 'context', text: `Next check-in: ${h.next}${h.streak > 0 ? ` · 🔥 ${h.streak} in a row` : ''}` });
  } else {
    blocks.push({ type: 'context', text: "You're in no team's check-ins yet. A manager sets them up with {typed:checkin setup}." });
  }
  if (h.team) {
    const waiting = h.team.waiting.slice(0, HOME_WAITING);
    blocks.push({ type: 'section', text: `Your team, ${periodLabel(h.team.period)}: ${h.team.answered} of ${h.team.expected} answered.` });
    if (waiting.length > 0) {
      blocks.push(
        { type: 'section', text: `💬 Waiting for a word from you: ${waiting.map((w) => `**${w.name}** (${w.status})`).join(', ')}` },
        { type: 'actions', buttons: waiting.map((w) => ({ actionId: REPLY, label: `Reply to ${w.name}`, value: w.promptId, opensForm: true })) },
      );
    }
  }
  return blocks;
}
