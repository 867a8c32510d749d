import type { Org, QuestionSet, ReviewPhaseKind, ReviewQuestions } from '../../db/database';
import type { FormValues } from '../../chat/ui';
import { type ListBounds, labelLines, withIds } from '../question-lists.rules';

/**
 * The org's review questions: the manager review's competencies and open questions, and what a
 * cycle's self-assessment asks besides goals, strengths and growth. A cycle copies them into its
 * phases when it is made, so HR's later edits leave it as it was. Pure.
 */

/**
 * What the manager's review form asks at most, each label at most `label` characters: a draft filled
 * in to every limit still fits a Teams card (28 KB; test/unit/views-fit.test.ts). HR's form holds the
 * set to it.
 */
export const FORM_ROOM = { competencies: 6, questions: 3, label: 70 } as const;
/** Open questions a cycle's self-assessment may add to goals, strengths and growth. */
export const SELF_QUESTIONS = 3;

/** Each list of HR's form: how many lines and how long. */
export const QUESTION_LISTS = {
  competencies: { one: 'competency', many: 'competencies', least: 1, most: FORM_ROOM.competencies, longest: FORM_ROOM.label },
  questions: { one: 'question', many: 'questions', least: 1, most: FORM_ROOM.questions, longest: FORM_ROOM.label },
  self_questions: { one: 'question', many: 'questions', least: 0, most: SELF_QUESTIONS, longest: FORM_ROOM.label },
} as const satisfies Record<string, ListBounds>;

/** The review questions every org starts with: four competencies and three questions for the manager, none more for the person. */
export const DEFAULT_REVIEW_QUESTIONS: ReviewQuestions = {
  manager_review: {
    competencies: [
      { id: 'results', label: 'Results: delivered what was agreed, to the standard agreed' },
      { id: 'collaboration', label: 'Collaboration: works well with others and helps them succeed' },
      { id: 'ownership', label: 'Ownership: follows through and owns mistakes' },
      { id: 'growth', label: 'Growth: learns, and helps others learn' },
    ],
    questions: [
      { id: 'highlights', label: 'What went well this period?' },
      { id: 'improve', label: 'What should change in the next period?' },
      { id: 'support', label: 'What support is needed?' },
    ],
  },
  self_assessment: { questions: [] },
};

/** The org's review questions, which new cycles copy. */
export const reviewQuestionsOf = (org: Pick<Org, 'review_questions'>): ReviewQuestions => org.review_questions ?? DEFAULT_REVIEW_QUESTIONS;

/** A phase's copy of the set: the manager review's, the self-assessment's questions; calibration, 360° and sign-off ask nothing of their own. */
export function phaseQuestions(set: ReviewQuestions, kind: ReviewPhaseKind): QuestionSet {
  if (kind === 'manager_review') return set.manager_review;
  if (kind === 'self_assessment') return { competencies: [], questions: set.self_assessment.questions };
  return { competencies: [], questions: [] };
}

const ON_THE_FORM = "each is asked on every manager's review form, which holds that many";

/** HR's review questions form as the org's set, or Invalid at the first field that is wrong; labels the set had keep their ids. */
export function readReviewQuestions(values: FormValues, before: ReviewQuestions): ReviewQuestions {
  const competencies = labelLines(values.competencies, 'competencies', { ...QUESTION_LISTS.competencies, why: ON_THE_FORM });
  const questions = labelLines(values.questions, 'questions', { ...QUESTION_LISTS.questions, why: ON_THE_FORM });
  const self = labelLines(values.self_questions, 'self_questions', { ...QUESTION_LISTS.self_questions, why: 'goals, strengths and growth are asked anyway' });
  return {
    manager_review: {
      competencies: withIds(competencies, before.manager_review.competencies, 'c'),
      questions: withIds(questions, before.manager_review.questions, 'q'),
    },
    self_assessment: { questions: withIds(self, before.self_assessment.questions, 's') },
  };
}
