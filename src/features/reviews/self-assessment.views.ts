import { limitHint } from '../../chat/input';
import { type Block, type Form, type FormField, type Message, personRef, typed } from '../../chat/ui';
import { COMPETENCY_RATINGS } from '../feedback/feedback360.views';

export const SELF_FORM = 'review.self';
export const OPEN_SELF = 'review.self.open';
export const READ_SELF = 'review.self.read';

/** Bounds of what people write, stated at each field. */
export const LIMITS = { reflection: 1000, strengths: 2000, growth: 2000, answer: 1000 } as const;
/**
 * Goals one self-assessment covers (two fields each keeps a Slack modal well under its 100 blocks);
 * two fewer beside a review cycle's own questions, whose answers at their longest take that room in
 * a Teams dialog (test/unit/views-fit.test.ts).
 */
export const GOALS_ASSESSED = { alone: 10, besideQuestions: 8 } as const;

/** The rating scale, each point with its anchor. */
export const RATINGS = [
  { value: '1', label: '1 · Not met' },
  { value: '2', label: '2 · Partly met' },
  { value: '3', label: '3 · Met' },
  { value: '4', label: '4 · Exceeded' },
  { value: '5', label: '5 · Far exceeded' },
] as const;

export const ratingField = (goalId: string) => `rating_${goalId}`;
export const reflectionField = (goalId: string) => `reflection_${goalId}`;
export const competencyField = (competencyId: string) => `competency_${competencyId}`;
export const questionField = (questionId: string) => `question_${questionId}`;

/** What a self-assessment holds, as the form shows it and the database keeps it. */
export interface SelfAssessment {
  strengths: string | null;
  growth: string | null;
  goals: Array<{ goalId: string; title: string; rating: number | null; reflection: string | null }>;
  /** The org's 360° competencies, each rated 1–5 or not (optional); shown next to others' in a 360° report. */
  competencies: Array<{ id: string; label: string; rating: number | null }>;
  /** The questions of the review cycle it is written in (none outside one), each answered or not. */
  answers: Array<{ id: string; label: string; text: string | null }>;
}

export const openSelfAssessmentButton = { actionId: OPEN_SELF, label: '📝 Self-assessment', opensForm: true };

/** Titles of goals left out of the form that its intro names, the rest counted: two long titles more would overfill a Teams dialog. */
const LEFT_OUT_NAMED = 2;

/** The sentence that says which goals the form had no room for (none: empty). */
function leftOutNote(shown: number, leftOut: string[]): string {
  if (leftOut.length === 0) return '';
  const named = leftOut.slice(0, LEFT_OUT_NAMED).map((title) => `“${title}”`);
  const others = leftOut.length - named.length;
  const list = others > 0 ? `${named.join(', ')} and ${others} more` : named.join(' and ');
  return `The form has room for the ${shown} goals due first; say how the others went (${list}) under strengths or growth.`;
}

export function selfAssessmentForm(a: SelfAssessment, o: { leftOut?: string[]; draftSavedOn?: string; lastSubmittedOn?: string }): Form {
  const perGoal = a.goals.flatMap((g): FormField[] => [
    {
      id: ratingField(g.goalId),
      kind: 'choice',
      label: `🎯 ${g.title}: how did it go?`,
      required: true,
      options: RATINGS.map((r) => ({ ...r })),
      ...(g.rating ? { initial: String(g.rating) } : {}),
    },
    {
      id: reflectionField(g.goalId),
      kind: 'multiline',
      label: 'What happened, and what you learned',
      maxLength: LIMITS.reflection,
      hint: limitHint(LIMITS.reflection, 'Optional.'),
      ...(g.reflection ? { initial: g.reflection } : {}),
    },
  ]);
  const perCompetency = a.competencies.map(
    (c): FormField => ({
      id: competencyField(c.id),
      kind: 'choice',
      label: `360° · ${c.label}`,
      options: COMPETENCY_RATINGS.map((r) => ({ ...r })),
      ...(c.rating ? { initial: String(c.rating) } : {}),
    }),
  );
  const perQuestion = a.answers.map(
    (q): FormField => ({
      id: questionField(q.id),
      kind: 'multiline',
      label: q.label,
      maxLength: LIMITS.answer,
      hint: limitHint(LIMITS.answer, 'Optional.'),
      ...(q.text ? { initial: q.text } : {}),
    }),
  );
  const intro = [
    'Rate each goal and say how it went, then your strengths and where you want to grow. Your manager reads it when you submit; submitting locks it.',
    leftOutNote(a.goals.length, o.leftOut ?? []),
    a.answers.length > 0 ? 'Your review cycle asks a few questions of its own after those.' : '',
    a.competencies.length > 0 ? 'You may also rate yourself on the 360° competencies: your 360° feedback reports show those ratings next to others’.' : '',
    o.draftSavedOn ? `Your draft from ${o.draftSavedOn} is filled in.` : '',
    o.lastSubmittedOn ? `You last submitted one on ${o.lastSubmittedOn}.` : '',
    a.goals.length === 0 ? `You have no goals to rate: set some with ${typed('goals new')}, or write about your responsibilities below.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    formId: SELF_FORM,
    title: 'Self-assessment',
    submitLabel: 'Submit',
    draft: { label: 'Save draft' },
    intro,
    fields: [
      ...perGoal,
      {
        id: 'strengths',
        kind: 'multiline',
        label: 'Strengths: what you did well',
        required: true,
        maxLength: LIMITS.strengths,
        hint: limitHint(LIMITS.strengths),
        ...(a.strengths ? { initial: a.strengths } : {}),
      },
      {
        id: 'growth',
        kind: 'multiline',
        label: 'Growth: where you want to get better',
        required: true,
        maxLength: LIMITS.growth,
        hint: limitHint(LIMITS.growth),
        ...(a.growth ? { initial: a.growth } : {}),
      },
      ...perQuestion,
      ...perCompetency,
    ],
  };
}

const ratingLabel = (rating: number | null) => RATINGS.find((r) => r.value === String(rating))?.label ?? 'not rated';

/** A submitted self-assessment, as its reader sees it: the goals, then strengths, growth and the cycle's questions (two messages, so both fit at their longest). */
export function selfAssessmentMessages(o: { personId: string; submittedOn: string; assessment: SelfAssessment }): Message[] {
  const goals = o.assessment.goals.map(
    (g): Block => ({
      type: 'section',
      text: `🎯 **${g.title}**: ${ratingLabel(g.rating)}${g.reflection ? `\n${g.reflection}` : ''}`,
    }),
  );
  const answered = o.assessment.answers.flatMap((q): Block[] => (q.text ? [{ type: 'section', text: `**${q.label}**\n${q.text}` }] : []));
  const rated = o.assessment.competencies.filter((c) => c.rating !== null);
  const competencies: Block[] = rated.length
    ? [{ type: 'section', text: `**360° competencies, self-rated**\n${rated.map((c) => `• ${c.label}: ${c.rating}`).join('\n')}` }]
    : [];
  return [
    {
      summary: `Self-assessment of ${personRef(o.personId)}`,
      blocks: [{ type: 'header', text: '📝 Self-assessment' }, { type: 'context', text: `${personRef(o.personId)}, submitted ${o.submittedOn}` }, ...goals],
    },
    {
      summary: `Self-assessment of ${personRef(o.personId)}: strengths and growth`,
      blocks: [
        { type: 'section', text: `**Strengths**\n${o.assessment.strengths ?? ''}` },
        { type: 'section', text: `**Growth**\n${o.assessment.growth ?? ''}` },
        ...answered,
        ...competencies,
      ],
    },
  ];
}

/** To the manager, when a report submits. */
export function submittedNotice(o: { personId: string; assessmentId: string }): Message {
  return {
    summary: `${personRef(o.personId)} submitted a self-assessment`,
    blocks: [
      { type: 'section', text: `📝 ${personRef(o.personId)} submitted a self-assessment.` },
      { type: 'actions', buttons: [{ actionId: READ_SELF, label: 'Read it', value: o.assessmentId, style: 'primary' }] },
    ],
  };
}

/** `/review`: where the person's review tasks stand. */
export function reviewTasksMessage(o: { draftSavedOn?: string; lastSubmittedOn?: string; cycleTasks: Block[] }): Message {
  const self = o.draftSavedOn
    ? `📝 Your self-assessment: a draft saved ${o.draftSavedOn}, not submitted yet.`
    : o.lastSubmittedOn
      ? `📝 Your self-assessment: submitted ${o.lastSubmittedOn}.`
      : '📝 Your self-assessment: not started.';
  return {
    summary: 'Your reviews',
    blocks: [
      { type: 'header', text: 'Your reviews' },
      ...o.cycleTasks,
      { type: 'section', text: self },
      { type: 'actions', buttons: [{ ...openSelfAssessmentButton, label: o.draftSavedOn ? 'Continue it' : 'Write one' }] },
    ],
  };
}

/** In the home: review cycle tasks, and a draft that waits. */
export function homeSection(draftSavedOn: string | undefined, cycleTasks: Block[]): Block[] {
  if (!draftSavedOn && cycleTasks.length === 0) return [];
  return [
    { type: 'header', text: '📝 Reviews' },
    ...cycleTasks,
    ...(draftSavedOn
      ? [
          { type: 'section' as const, text: `Your self-assessment draft from ${draftSavedOn} is waiting.` },
          { type: 'actions' as const, buttons: [{ ...openSelfAssessmentButton, label: 'Continue it' }] },
        ]
      : []),
  ];
}
