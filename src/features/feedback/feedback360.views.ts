import { limitHint } from '../../chat/input';
import { type Block, type Form, type FormField, type Message, personRef } from '../../chat/ui';
import type { QuestionSet } from '../../db/database';
import { listLength } from '../question-lists.rules';
import { MIN_RESPONSES, RELATIONSHIP_LABEL, type Report, type ReportGroup, SET_LIMITS } from './feedback360.rules';

export const REQUEST_FORM = 'feedback360.request';
export const ANSWER_FORM = 'feedback360.answer';
export const DECLINE_FORM = 'feedback360.decline';
export const GIVE = 'feedback360.give';
export const DECLINE = 'feedback360.decline';
export const SETTINGS_FORM = 'feedback360.settings';
export const OPEN_SETTINGS = 'feedback360.settings.open';

/** An open answer's limit keeps a question's answers by 12 reviewers in one message on both platforms. */
export const LIMITS = { answer: 1000, reason: 300 } as const;
/** Competencies one section of the report lists (a section holds 3,000 characters in Slack). */
const COMPETENCIES_PER_SECTION = 8;
/** Reviewers one request asks, besides the person themselves. */
export const REVIEWERS = { min: 3, max: 12 } as const;
/** The due date a request form suggests, in days. */
export const DEFAULT_DUE_DAYS = 14;

/** The scale a competency is rated on, by reviewers and in a self-assessment, each point with its anchor. */
export const COMPETENCY_RATINGS = [
  { value: '1', label: '1 · Rarely' },
  { value: '2', label: '2 · Sometimes' },
  { value: '3', label: '3 · Usually' },
  { value: '4', label: '4 · Often, and well' },
  { value: '5', label: '5 · A model for others' },
];
export const ratingField = (competencyId: string) => `rate_${competencyId}`;
export const textField = (questionId: string) => `text_${questionId}`;

export function requestForm(o: { subjectId: string; subjectName: string; suggested: string[]; due: string; participantId?: string }): Form {
  return {
    formId: REQUEST_FORM,
    title: '360° feedback',
    submitLabel: 'Ask them',
    intro: `Ask ${REVIEWERS.min} to ${REVIEWERS.max} people for feedback about ${o.subjectName}: peers, their manager, their reports (suggested from the org chart). ${o.subjectName} is asked to rate themselves too.`,
    fields: [
      { id: 'reviewers', kind: 'users', multiple: true, label: 'Reviewers', required: true, initial: o.suggested },
      { id: 'due', kind: 'date', label: 'Answers due by', required: true, initial: o.due },
      {
        id: 'anonymous',
        kind: 'choice',
        label: 'Confidential?',
        required: true,
        initial: 'yes',
        options: [
          { value: 'yes', label: 'Yes: answers shown only in groups big enough to hide who said what' },
          { value: 'no', label: 'No: each answer shows who gave it' },
        ],
      },
    ],
    state: { subjectId: o.subjectId, ...(o.participantId ? { participantId: o.participantId } : {}) },
  };
}

/** What a reviewer is told about who will see their answers, on every form. */
function anonymityNote(o: { anonymous: boolean; minResponses: number; asManager: boolean; asSelf: boolean }): string {
  if (o.asSelf) return 'Your own ratings are shown next to what others see.';
  if (o.asManager) return 'As their manager, your answers are shown as the manager’s: manager input is never confidential.';
  return o.anonymous
    ? `Confidential: your ratings and words are shown only together with those of at least ${o.minResponses - 1} others in your group (peers, reports), never with your name, and written answers in random order. A smaller group is merged with others or left out. What you write can still sound like you.`
    : 'Not confidential: your name is shown with your answers.';
}

export function answerForm(o: {
  requestId: string;
  subjectId: string;
  subjectName: string;
  questions: QuestionSet;
  anonymous: boolean;
  minResponses: number;
  asManager: boolean;
  asSelf: boolean;
  dueOn: string;
  draft?: Record<string, string>;
}): Form {
  const about = o.asSelf ? 'yourself' : o.subjectName;
  const fields: FormField[] = [
    ...o.questions.competencies.map(
      (c): FormField => ({
        id: ratingField(c.id),
        kind: 'choice',
        label: c.label,
        required: true,
        options: COMPETENCY_RATINGS,
        ...(o.draft?.[ratingField(c.id)] ? { initial: o.draft[ratingField(c.id)] } : {}),
      }),
    ),
    ...o.questions.questions.map(
      (q): FormField => ({
        id: textField(q.id),
        kind: 'multiline',
        label: q.label,
        maxLength: LIMITS.answer,
        hint: limitHint(LIMITS.answer, 'Optional.'),
        ...(o.draft?.[textField(q.id)] ? { initial: o.draft[textField(q.id)] } : {}),
      }),
    ),
  ];
  return {
    formId: ANSWER_FORM,
    title: o.asSelf ? 'Rate yourself' : `Feedback: ${o.subjectName}`.slice(0, 24),
    submitLabel: 'Send',
    draft: { label: 'Save draft' },
    intro: `How often do you see this in ${about}? Due ${o.dueOn}. ${anonymityNote(o)}`,
    fields,
    state: { requestId: o.requestId },
  };
}

export function declineForm(requestId: string, subjectName: string): Form {
  return {
    formId: DECLINE_FORM,
    title: 'Decline',
    submitLabel: 'Decline',
    intro: `You won't give feedback about ${subjectName} this time. Say why, briefly: the person who asked sees it.`,
    fields: [{ id: 'reason', kind: 'multiline', label: 'Why', required: true, maxLength: LIMITS.reason, hint: limitHint(LIMITS.reason) }],
    state: { requestId },
  };
}

export function invitation(o: {
  requestId: string;
  subjectId: string;
  requesterId: string;
  dueOn: string;
  anonymous: boolean;
  self: boolean;
  reminder?: boolean;
}): Message {
  const ask = o.self
    ? `📋 ${personRef(o.requesterId)} asked for 360° feedback about you. Rate yourself too: your ratings are shown next to others'.`
    : `📋 ${personRef(o.requesterId)} asked for your feedback about ${personRef(o.subjectId)}${o.anonymous ? ' (confidential)' : ''}.`;
  return {
    summary: o.reminder ? `A reminder: feedback about ${personRef(o.subjectId)} is due ${o.dueOn}` : `Your feedback is asked about ${personRef(o.subjectId)}`,
    blocks: [
      { type: 'section', text: `${o.reminder ? '⏰ A reminder. ' : ''}${ask} Due ${o.dueOn}.` },
      {
        type: 'actions',
        buttons: [
          { actionId: GIVE, label: o.self ? 'Rate yourself' : 'Give feedback', value: o.requestId, style: 'primary', opensForm: true },
          ...(o.self ? [] : [{ actionId: DECLINE, label: 'Decline', value: o.requestId, opensForm: true }]),
        ],
      },
    ],
  };
}

const score = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1));

/** The report, for the person and their manager: by group and competency, strengths, blind spots (the words follow: `wordsMessages`). */
export function reportMessage(o: { subjectId: string; report: Report; questions: QuestionSet; declined: number }): Message {
  const label = (id: string) => o.questions.competencies.find((c) => c.id === id)?.label.split(':')[0] ?? id;
  const r = o.report;
  const fromAssessment = (g: ReportGroup, id: string) => g.label === RELATIONSHIP_LABEL.self && r.selfAssessment?.competencies.includes(id);
  const table = o.questions.competencies.map((c) => {
    const cells = r.groups.map((g) => {
      const s = g.scores[c.id];
      if (s && fromAssessment(g, c.id)) return `${g.label} ${s.average} (self-assessment)`;
      return `${g.label} ${s ? `${score(s.average)} (${s.low}–${s.high})` : '–'}`;
    });
    return `• **${label(c.id)}**: ${cells.join(' · ')}`;
  });
  const blocks: Block[] = [
    { type: 'header', text: `360° feedback: ${personRef(o.subjectId)}` },
    {
      type: 'context',
      text: `Answers: ${
        r.groups
          .filter((g) => g.count > 0)
          .map((g) => `${g.label} ${g.count}`)
          .join(', ') || 'none'
      }${r.withheld ? `; ${r.withheld} not shown (too few to keep confidential)` : ''}${o.declined ? `; ${o.declined} declined` : ''}. Scores: average (lowest–highest), 1–5.${
        r.selfAssessment ? ` Self-ratings marked “self-assessment” come from the self-assessment submitted ${r.selfAssessment.submittedOn}.` : ''
      }`,
    },
    ...Array.from(
      { length: Math.ceil(table.length / COMPETENCIES_PER_SECTION) },
      (_, i): Block => ({
        type: 'section',
        text: table.slice(i * COMPETENCIES_PER_SECTION, (i + 1) * COMPETENCIES_PER_SECTION).join('\n'),
      }),
    ),
    {
      type: 'section',
      text:
        [
          r.strengths.length ? `💪 **Strengths**: ${r.strengths.map(label).join(', ')}` : '',
          r.blindSpots.length ? `🔍 **Blind spots** (rated a point or more higher by themselves than by others): ${r.blindSpots.map(label).join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('\n') || 'No competency stands out yet.',
    },
    {
      type: 'context',
      text: `Only the person and their manager receive this report${r.texts.some((t) => t.answers.length > 0) ? '; what people wrote follows, a message per question' : ''}.`,
    },
  ];
  return { summary: `360° feedback about ${personRef(o.subjectId)} is in`, blocks };
}

/** What people wrote, a message per open question, each answer in its own block. */
export function wordsMessages(o: { subjectId: string; report: Report }): Message[] {
  return o.report.texts
    .filter((t) => t.answers.length > 0)
    .map((t) => ({
      summary: `360° feedback about ${personRef(o.subjectId)}: ${t.question}`,
      blocks: [{ type: 'section', text: `**${t.question}**` }, ...t.answers.map((a): Block => ({ type: 'section', text: `• ${a}` }))],
    }));
}

/** In the home: the 360° requests waiting for the person's answer. */
export function homeSection(
  waiting: Array<{ id: string; subject_id: string; requested_by: string; due_on: string; anonymous: boolean; relationship: string }>,
): Block[] {
  if (waiting.length === 0) return [];
  return [
    { type: 'header', text: '📋 360° feedback asked of you' },
    ...waiting.flatMap(
      (w) =>
        invitation({
          requestId: w.id,
          subjectId: w.subject_id,
          requesterId: w.requested_by,
          dueOn: w.due_on,
          anonymous: w.anonymous,
          self: w.relationship === 'self',
        }).blocks,
    ),
  ];
}

const LIST_LIMITS = {
  competencies: listLength({ most: SET_LIMITS.competencies, longest: SET_LIMITS.label }),
  questions: listLength({ most: SET_LIMITS.questions, longest: SET_LIMITS.label }),
} as const;

/** The org's 360° set and smallest anonymous group, as an HR admin changes them. */
export function settingsForm(set: QuestionSet, minResponses: number): Form {
  const lines = (items: QuestionSet['questions']) => items.map((i) => i.label).join('\n');
  return {
    formId: SETTINGS_FORM,
    title: '360° feedback settings',
    submitLabel: 'Save',
    intro: 'New 360° requests ask these; requests already running keep the questions they were made with.',
    fields: [
      {
        id: 'competencies',
        kind: 'multiline',
        label: 'Competencies, each rated 1–5',
        required: true,
        initial: lines(set.competencies),
        maxLength: LIST_LIMITS.competencies,
        hint: limitHint(
          LIST_LIMITS.competencies,
          `One per line, 1 to ${SET_LIMITS.competencies}, each up to ${SET_LIMITS.label} characters. “Name: what it means” shows the name in the report.`,
        ),
      },
      {
        id: 'questions',
        kind: 'multiline',
        label: 'Open questions',
        required: true,
        initial: lines(set.questions),
        maxLength: LIST_LIMITS.questions,
        hint: limitHint(LIST_LIMITS.questions, `One per line, 1 to ${SET_LIMITS.questions}, each up to ${SET_LIMITS.label} characters.`),
      },
      {
        id: 'min_responses',
        kind: 'number',
        label: 'Smallest anonymous group',
        required: true,
        min: MIN_RESPONSES.min,
        max: MIN_RESPONSES.max,
        initial: minResponses,
        hint: 'On confidential requests, a group (peers, reports, others) with fewer answers is merged into “Others” or left out.',
      },
    ],
  };
}

/** One line on the org's 360° settings, for the org settings. */
export const settingsSummary = (set: QuestionSet, minResponses: number) =>
  `${set.competencies.length} competencies, ${set.questions.length} open questions; confidential groups of at least ${minResponses}`;

export const openSettingsButton = { actionId: OPEN_SETTINGS, label: '360° feedback settings', opensForm: true };

/** The org's 360° set as it is, with the button that changes it. */
export function settingsMessage(set: QuestionSet, minResponses: number, note?: string): Message {
  const list = (items: QuestionSet['questions']) => items.map((i) => `• ${i.label}`).join('\n');
  return {
    summary: note ?? '360° feedback settings',
    blocks: [
      ...(note ? [{ type: 'section' as const, text: note }] : []),
      { type: 'header', text: '360° feedback settings' },
      { type: 'section', text: `**Competencies, rated 1–5**\n${list(set.competencies)}` },
      { type: 'section', text: `**Open questions**\n${list(set.questions)}` },
      {
        type: 'context',
        text: `Confidential requests show a group’s answers only when at least ${minResponses} answered. New requests use these; running ones keep theirs.`,
      },
      { type: 'actions', buttons: [{ ...openSettingsButton, label: 'Change them' }] },
    ],
  };
}
