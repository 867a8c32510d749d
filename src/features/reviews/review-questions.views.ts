import { limitHint } from '../../chat/input';
import type { Form, FormField, Message } from '../../chat/ui';
import type { ReviewQuestions } from '../../db/database';
import { type ListBounds, listLength } from '../question-lists.rules';
import { QUESTION_LISTS } from './review-questions.rules';

export const QUESTIONS_FORM = 'review.questions';

type Labelled = ReadonlyArray<{ label: string }>;

/** A list's field: the labels a line each, with how many and how long it takes said under it. */
function listField(id: keyof typeof QUESTION_LISTS, label: string, items: Labelled, note: string): FormField {
  const bounds: ListBounds = QUESTION_LISTS[id];
  const maxLength = listLength(bounds);
  return {
    id,
    kind: 'multiline',
    label,
    required: bounds.least > 0,
    initial: items.map((i) => i.label).join('\n'),
    maxLength,
    hint: limitHint(maxLength, `One per line, ${bounds.least} to ${bounds.most}, each up to ${bounds.longest} characters. ${note}`),
  };
}

/** The org's review questions, as an HR admin changes them. */
export function reviewQuestionsForm(set: ReviewQuestions): Form {
  return {
    formId: QUESTIONS_FORM,
    title: 'Review questions',
    submitLabel: 'Save',
    intro: 'Review cycles created from now on ask these; cycles already running keep the questions they were created with.',
    fields: [
      listField('competencies', 'Manager review: competencies, each rated 1–5', set.manager_review.competencies, 'The manager rates every one.'),
      listField('questions', 'Manager review: open questions', set.manager_review.questions, 'The manager answers them beside the summary.'),
      listField(
        'self_questions',
        'Self-assessment: questions besides goals, strengths and growth',
        set.self_assessment.questions,
        'Leave it empty to ask none.',
      ),
    ],
  };
}

/** What the org's review questions are now, said privately to the HR admin who saved them. */
export function reviewQuestionsMessage(set: ReviewQuestions, note: string): Message {
  const list = (items: Labelled) => (items.length > 0 ? items.map((i) => `• ${i.label}`).join('\n') : 'None: goals, strengths and growth only.');
  return {
    summary: note,
    blocks: [
      { type: 'section', text: note },
      { type: 'section', text: `**Manager review: competencies, rated 1–5**\n${list(set.manager_review.competencies)}` },
      { type: 'section', text: `**Manager review: open questions**\n${list(set.manager_review.questions)}` },
      { type: 'section', text: `**Self-assessment: questions besides goals, strengths and growth**\n${list(set.self_assessment.questions)}` },
      { type: 'context', text: 'Review cycles created from now on ask these, repeats included; cycles already running keep theirs.' },
    ],
  };
}
