import { limitHint } from '../../chat/input';
import { type Block, type Form, type FormField, type Message, personRef, typed } from '../../chat/ui';
import type { QuestionSet } from '../../db/database';

export const WRITE = 'review_write';
export const REVIEW_FORM = 'review.manager';
export const SHARE = 'review.share';
export const COMMENT = 'review.comment';
export const COMMENT_FORM = 'review.comment';
export const SIGN = 'review.sign';

/** Bounds of what people write, stated at each field: a draft filled in to them keeps a Teams dialog within its 28 KB. */
export const LIMITS = { answer: 600, narrative: 1500, comment: 2000 } as const;
/** The overall and per-competency scale, each point with its anchor. */
export const REVIEW_RATINGS = [
  { value: '1', label: '1 · Below expectations' },
  { value: '2', label: '2 · Partly meets expectations' },
  { value: '3', label: '3 · Meets expectations' },
  { value: '4', label: '4 · Exceeds expectations' },
  { value: '5', label: '5 · Far exceeds expectations' },
] as const;

/** Potential, the 9-box grid's other axis: for managers and HR, never shown to the person. */
export const POTENTIAL = [
  { value: '1', label: 'Low' },
  { value: '2', label: 'Medium' },
  { value: '3', label: 'High' },
] as const;

export const competencyField = (id: string) => `rate_${id}`;
export const answerField = (id: string) => `answer_${id}`;

export const ratingLabel = (rating: number | null | undefined) => REVIEW_RATINGS.find((r) => r.value === String(rating))?.label ?? 'not rated';
export const potentialLabel = (potential: number | null | undefined) => POTENTIAL.find((p) => p.value === String(potential))?.label ?? 'not set';

/** What a manager's review says, as the form shows it and the database keeps it. */
export interface ReviewDocument {
  overall: number | null;
  potential: number | null;
  ratings: Record<string, number>;
  answers: Record<string, string>;
  narrative: string | null;
}

/** What the form says about the context, in a few lines; the whole of it follows as messages. */
export interface ContextSummary {
  goals: { count: number; onTrack: number; atRisk: number; behind: number; done: number };
  selfAssessmentOn?: string;
  feedback360?: { answers: number; closedOn: string };
  checkins: { answered: number; asked: number; mood?: number };
  kudos: number;
  periodFrom: string;
}

function contextLine(c: ContextSummary): string {
  const g = c.goals;
  const goals = g.count === 0 ? 'no goals' : `${g.count} goals (${g.done} done, ${g.onTrack} on track, ${g.atRisk} at risk, ${g.behind} behind)`;
  return [
    `Since ${c.periodFrom}: ${goals}`,
    c.selfAssessmentOn ? `self-assessment submitted ${c.selfAssessmentOn}` : 'no self-assessment submitted',
    c.feedback360 ? `360° feedback closed ${c.feedback360.closedOn} (${c.feedback360.answers} answers)` : 'no 360° feedback',
    `check-ins answered ${c.checkins.answered} of ${c.checkins.asked}${c.checkins.mood === undefined ? '' : `, mood ${c.checkins.mood.toFixed(1)}/5`}`,
    `${c.kudos} kudos received`,
  ].join(' · ');
}

export function reviewForm(o: {
  participantId: string;
  cycleName: string;
  questions: QuestionSet;
  document: ReviewDocument;
  context: ContextSummary;
  draft?: { version: number; savedOn: string };
}): Form {
  const d = o.document;
  const choice = (
    id: string,
    label: string,
    options: ReadonlyArray<{ value: string; label: string }>,
    value: number | null | undefined,
    hint?: string,
  ): FormField => ({
    id,
    kind: 'choice',
    label,
    required: true,
    options: options.map((r) => ({ ...r })),
    ...(value ? { initial: String(value) } : {}),
    ...(hint ? { hint } : {}),
  });
  const text = (id: string, label: string, maxLength: number, value: string | null | undefined, required: boolean): FormField => ({
    id,
    kind: 'multiline',
    label,
    required,
    maxLength,
    hint: limitHint(maxLength, required ? undefined : 'Optional.'),
    ...(value ? { initial: value } : {}),
  });
  return {
    formId: REVIEW_FORM,
    title: 'Review',
    submitLabel: 'Submit',
    draft: { label: 'Save draft' },
    intro: [
      `${o.cycleName}. ${contextLine(o.context)}. The whole context is in our DM.`,
      o.draft ? `Your draft (version ${o.draft.version}, saved ${o.draft.savedOn}) is filled in.` : '',
      o.questions.competencies.length > 0 ? 'Competencies: 1 below to 5 far exceeds expectations.' : '',
      'Submitting locks it.',
    ]
      .filter(Boolean)
      .join(' '),
    fields: [
      choice('overall', 'Overall rating', REVIEW_RATINGS, d.overall),
      // The same scale, its anchors said once (above): each labelled option, carried by every card action, would cost a Teams form its room.
      ...o.questions.competencies.map(
        (c): FormField => ({
          id: competencyField(c.id),
          kind: 'rating',
          label: c.label,
          required: true,
          min: 1,
          max: 5,
          ...(d.ratings[c.id] ? { initial: d.ratings[c.id] } : {}),
        }),
      ),
      ...o.questions.questions.map((q) => text(answerField(q.id), q.label, LIMITS.answer, d.answers[q.id], false)),
      text('narrative', 'Summary: how the period went, in your words', LIMITS.narrative, d.narrative, true),
      choice('potential', 'Potential', POTENTIAL, d.potential, 'For the 9-box: managers and HR see it, never the person.'),
    ],
    state: { participant: o.participantId },
  };
}

export function commentForm(participantId: string, comment: string | null): Form {
  return {
    formId: COMMENT_FORM,
    title: 'Your comment',
    submitLabel: 'Save comment',
    intro: 'Your comment stays with the review, for your manager and HR to read. You can change it until you sign off.',
    fields: [
      {
        id: 'comment',
        kind: 'multiline',
        label: 'Comment',
        required: true,
        maxLength: LIMITS.comment,
        hint: limitHint(LIMITS.comment),
        ...(comment ? { initial: comment } : {}),
      },
    ],
    state: { participant: participantId },
  };
}

/** A review as one reader sees it; `potential` only where the reader may see it (never the person). */
export interface ShownReview {
  participantId: string;
  personId: string;
  managerId: string | null;
  cycleName: string;
  questions: QuestionSet;
  document: ReviewDocument;
  /** What the person sees as their rating: the calibrated one when set. */
  rating: number | null;
  calibrated: boolean;
  submittedOn?: string;
  comment: string | null;
  signedOn?: string;
  showPotential: boolean;
}

/** The review: ratings and summary, then the answers (two messages, so both fit at their longest). */
export function reviewMessages(r: ShownReview, buttons: Block[] = []): Message[] {
  const ratings = r.questions.competencies.map((c) => `• **${c.label}**: ${ratingLabel(r.document.ratings[c.id])}`).join('\n');
  const first: Block[] = [
    { type: 'header', text: '⭐ Performance review' },
    {
      type: 'context',
      text: `${r.cycleName}: the review of ${personRef(r.personId)}${r.managerId ? ` by ${personRef(r.managerId)}` : ''}${r.submittedOn ? `, submitted ${r.submittedOn}` : ''}.`,
    },
    {
      type: 'section',
      text: `**Overall**: ${ratingLabel(r.rating)}${r.calibrated ? ' (after calibration)' : ''}${r.showPotential ? `\n**Potential**: ${potentialLabel(r.document.potential)} (managers and HR only)` : ''}`,
    },
    ...(ratings ? [{ type: 'section' as const, text: ratings }] : []),
    { type: 'section', text: `**Summary**\n${r.document.narrative ?? ''}` },
  ];
  const answers = r.questions.questions.map((q): Block => ({ type: 'section', text: `**${q.label}**\n${r.document.answers[q.id] ?? ''}` }));
  const after: Block[] = [
    ...(r.comment ? [{ type: 'section' as const, text: `💬 **Comment from ${personRef(r.personId)}**\n${r.comment}` }] : []),
    ...(r.signedOn ? [{ type: 'context' as const, text: `✍️ Signed off by ${personRef(r.personId)} on ${r.signedOn}.` }] : []),
  ];
  return [
    { summary: `${r.cycleName}: the review of ${personRef(r.personId)}`, blocks: first },
    { summary: `${r.cycleName}: the review of ${personRef(r.personId)}, continued`, blocks: [...answers, ...after, ...buttons] },
  ];
}

/** The person's buttons under their shared review, and why signing is not agreeing. */
export function signOffBlocks(participantId: string): Block[] {
  return [
    { type: 'context', text: "Signing off says you've read it; it doesn't say you agree. You can add a comment first." },
    {
      type: 'actions',
      buttons: [
        { actionId: COMMENT, label: 'Add a comment', value: participantId, opensForm: true },
        { actionId: SIGN, label: 'Sign off', value: participantId, style: 'primary' },
      ],
    },
  ];
}

/** To the manager, once the review is submitted: a way to share it. */
export function submittedMessage(o: { participantId: string; personId: string; cycleName: string; waitsFor?: string }): Message {
  return {
    summary: `Your review of ${personRef(o.personId)} is submitted`,
    blocks: [
      {
        type: 'section',
        text: `⭐ Your review of ${personRef(o.personId)} (${o.cycleName}) is submitted and locked.${o.waitsFor ? ` Calibration runs until ${o.waitsFor}; you can share it after that.` : ''}`,
      },
      { type: 'actions', buttons: [{ actionId: SHARE, label: 'Share it with them', value: o.participantId, style: 'primary' }] },
    ],
  };
}

/** To the manager, when the person signs off. */
export function signedNotice(o: { personId: string; cycleName: string; commented: boolean }): Message {
  const text = `✍️ ${personRef(o.personId)} signed off their review (${o.cycleName})${o.commented ? ', with a comment' : ''}. Read it with ${typed('review history @name')}.`;
  return { summary: `${personRef(o.personId)} signed off their review`, blocks: [{ type: 'section', text }] };
}

/** One line of a review's trail. */
export interface TrailEntry {
  at: string;
  actorId: string | null;
  kind: string;
  version?: number;
  rating?: number | null;
}

const DID: Record<string, string> = {
  draft_saved: 'saved a draft',
  review_submitted: 'submitted the review',
  shared: 'shared it',
  commented: 'commented',
  signed: 'signed off',
  calibrated: 'calibrated the rating',
  self_submitted: 'submitted their self-assessment',
  feedback_closed: '360° feedback closed',
};

/** How many trail lines one message lists (ten to a section). */
export const TRAIL_LINES = 40;

export function historyMessage(o: { personId: string; cycleName: string; trail: TrailEntry[] }): Message {
  const lines = o.trail.slice(-TRAIL_LINES).map((e) => {
    const who = e.actorId ? personRef(e.actorId) : 'The schedule';
    const version = e.version ? ` · version ${e.version}` : '';
    const rating = e.rating ? ` · overall ${ratingLabel(e.rating)}` : '';
    return `• ${e.at} · ${who} ${DID[e.kind] ?? e.kind}${version}${rating}`;
  });
  const cut = o.trail.length - lines.length;
  return {
    summary: `The history of ${personRef(o.personId)}'s review`,
    blocks: [
      { type: 'header', text: '🕓 Review history' },
      {
        type: 'context',
        text: `${o.cycleName}: the history of ${personRef(o.personId)}'s review, oldest first${cut > 0 ? ` (the latest ${lines.length}; ${cut} earlier)` : ''}.`,
      },
      ...chunks(lines, 10).map((text): Block => ({ type: 'section', text })),
      ...(lines.length === 0 ? [{ type: 'section' as const, text: 'Nothing has happened yet.' }] : []),
    ],
  };
}

const chunks = (lines: string[], size: number) =>
  Array.from({ length: Math.ceil(lines.length / size) }, (_, i) => lines.slice(i * size, (i + 1) * size).join('\n'));

/** Goals and kudos the context message lists; the summary counts them all. */
export const CONTEXT_ROOM = { goals: 10, kudos: 3 } as const;

/** The context beside the form: goals with progress and status, check-ins and kudos (the self-assessment and 360° follow in their own messages). */
export function contextMessage(o: {
  personId: string;
  summary: ContextSummary;
  goals: Array<{ title: string; progress: string; status: string }>;
  kudos: Array<{ giverId: string; message: string; on: string }>;
}): Message {
  const goals = o.goals.slice(0, CONTEXT_ROOM.goals).map((g) => `• **${g.title}**: ${g.progress} · ${g.status}`);
  const more = o.summary.goals.count - goals.length;
  const c = o.summary.checkins;
  return {
    summary: `Context for the review of ${personRef(o.personId)}`,
    blocks: [
      { type: 'header', text: '📎 Context for the review' },
      { type: 'context', text: `${personRef(o.personId)}, since ${o.summary.periodFrom}.` },
      { type: 'section', text: `🎯 **Goals**\n${goals.length > 0 ? goals.join('\n') : 'No goals in this period.'}${more > 0 ? `\nand ${more} more` : ''}` },
      {
        type: 'section',
        text: `✅ **Check-ins**: answered ${c.answered} of ${c.asked}${c.mood === undefined ? '' : `; average mood ${c.mood.toFixed(1)} of 5`}.`,
      },
      { type: 'section', text: `🎉 **Kudos received**: ${o.summary.kudos}` },
      ...o.kudos.slice(0, CONTEXT_ROOM.kudos).map((k): Block => ({ type: 'section', text: `• ${k.on}, from ${personRef(k.giverId)}: ${k.message}` })),
      {
        type: 'context',
        text: `${o.summary.selfAssessmentOn ? 'Their self-assessment' : 'No self-assessment'}${o.summary.feedback360 ? ' and the 360° report follow' : o.summary.selfAssessmentOn ? ' follows' : ''}.`,
      },
    ],
  };
}
