import { describe, expect, it } from 'vitest';
import { refusalOf } from '../support/refusals';
import type { ReviewQuestions } from '../../src/db/database';
import { labelLines, listLength, withIds } from '../../src/features/question-lists.rules';
import { DEFAULT_REVIEW_QUESTIONS, FORM_ROOM, phaseQuestions, readReviewQuestions, reviewQuestionsOf } from '../../src/features/reviews/review-questions.rules';

const typed = (items: ReadonlyArray<{ label: string }>) => items.map((i) => i.label).join('\n');
const read = (given: Record<string, string>, before: ReviewQuestions = DEFAULT_REVIEW_QUESTIONS) =>
  readReviewQuestions({ competencies: 'Results', questions: 'What next?', self_questions: '', ...given }, before);

describe('question lists typed a label a line', () => {
  const bounds = { one: 'question', many: 'questions', least: 0, most: 3, longest: 10 };

  it('drops bullets, blank lines and spaces; an empty list is none when none is allowed', () => {
    expect(labelLines('- One?\n\n• Two? \n  * Three?', 'f', bounds)).toEqual(['One?', 'Two?', 'Three?']);
    expect(labelLines(undefined, 'f', bounds)).toEqual([]);
    expect(labelLines(' \n ', 'f', bounds)).toEqual([]);
  });

  it('refuses at the field too few, too many, a line too long, one twice, and more text than the list can hold', () => {
    expect(refusalOf(() => labelLines('', 'f', { ...bounds, least: 1 }))).toEqual(['f', 'Write at least one question, one per line.']);
    expect(refusalOf(() => labelLines('A', 'f', { ...bounds, least: 2 }))).toEqual(['f', 'Write at least 2 questions, one per line.']);
    expect(refusalOf(() => labelLines('A\nB\nC\nD', 'f', { ...bounds, why: 'the form holds three' }))).toEqual([
      'f',
      'Keep it to 3 questions or fewer (there are 4): the form holds three.',
    ]);
    expect(refusalOf(() => labelLines('Short\nMuch too long', 'f', bounds))).toEqual(['f', 'Line 2 has 13 characters: keep each question to 10.']);
    expect(refusalOf(() => labelLines('Why?\nwhy?', 'f', bounds))).toEqual(['f', '“why?” is there twice.']);
    expect(refusalOf(() => labelLines('x'.repeat(listLength(bounds) + 1), 'f', bounds))?.[0]).toBe('f');
  });

  it('keeps the id of a label the list had, and names a new one by what comes before its colon, unique, whatever the script', () => {
    const before = [
      { id: 'q7', label: '日本語' },
      { id: 'craft', label: 'Craft: quality' },
    ];
    expect(withIds(['Craft: pace', '日本語', 'Craft: quality', 'Écoute', '한국어'], before, 'q')).toEqual([
      { id: 'craft-2', label: 'Craft: pace' },
      { id: 'q7', label: '日本語' },
      { id: 'craft', label: 'Craft: quality' },
      { id: 'ecoute', label: 'Écoute' },
      { id: 'q5', label: '한국어' },
    ]);
  });
});

describe('the org’s review questions', () => {
  it('are the defaults until HR sets them: four competencies and three questions for the manager, none more for the person', () => {
    expect(reviewQuestionsOf({ review_questions: null })).toBe(DEFAULT_REVIEW_QUESTIONS);
    expect(DEFAULT_REVIEW_QUESTIONS.self_assessment.questions).toEqual([]);
    const set = read({});
    expect(reviewQuestionsOf({ review_questions: set })).toBe(set);
  });

  it('come back from the form as they were when sent back unchanged, ids and all', () => {
    const given = {
      competencies: typed(DEFAULT_REVIEW_QUESTIONS.manager_review.competencies),
      questions: typed(DEFAULT_REVIEW_QUESTIONS.manager_review.questions),
    };
    expect(read(given)).toEqual(DEFAULT_REVIEW_QUESTIONS);
  });

  it('keep the ids of unchanged labels through an edit that reorders and adds, so answers keep their question', () => {
    const edited = read({
      competencies: 'Mentoring\nOwnership: follows through and owns mistakes\nResults: delivered, on time',
      questions: 'What support is needed?\nWhat went well this period?',
      self_questions: 'What are you proudest of?',
    });
    expect(edited.manager_review.competencies.map((c) => c.id)).toEqual(['mentoring', 'ownership', 'results']);
    expect(edited.manager_review.questions.map((q) => q.id)).toEqual(['support', 'highlights']);
    expect(read({ self_questions: 'What slowed you down?\nWhat are you proudest of?' }, edited).self_assessment.questions).toEqual([
      { id: 'what-slowed-you-down', label: 'What slowed you down?' },
      { id: 'what-are-you-proudest-of', label: 'What are you proudest of?' },
    ]);
  });

  it('refuse each list breaking its bounds at its own field: as many as the manager’s form holds, 0 to 3 for the self-assessment', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `Line ${i + 1}`).join('\n');
    expect(read({ competencies: lines(FORM_ROOM.competencies) }).manager_review.competencies).toHaveLength(6);
    expect(refusalOf(() => read({ competencies: lines(FORM_ROOM.competencies + 1) }))).toEqual([
      'competencies',
      "Keep it to 6 competencies or fewer (there are 7): each is asked on every manager's review form, which holds that many.",
    ]);
    expect(refusalOf(() => read({ competencies: '' }))).toEqual(['competencies', 'Write at least one competency, one per line.']);
    expect(refusalOf(() => read({ questions: lines(4) }))?.[0]).toBe('questions');
    expect(refusalOf(() => read({ questions: '' }))).toEqual(['questions', 'Write at least one question, one per line.']);
    expect(refusalOf(() => read({ self_questions: lines(4) }))).toEqual([
      'self_questions',
      'Keep it to 3 questions or fewer (there are 4): goals, strengths and growth are asked anyway.',
    ]);
    expect(refusalOf(() => read({ self_questions: 'x'.repeat(FORM_ROOM.label + 1) }))).toEqual([
      'self_questions',
      `Line 1 has ${FORM_ROOM.label + 1} characters: keep each question to ${FORM_ROOM.label}.`,
    ]);
  });

  it('give each phase its part: the manager review the whole set, the self-assessment its questions, the others nothing', () => {
    const set = read({ self_questions: 'Proudest of?' });
    expect(phaseQuestions(set, 'manager_review')).toEqual(set.manager_review);
    expect(phaseQuestions(set, 'self_assessment')).toEqual({ competencies: [], questions: set.self_assessment.questions });
    for (const kind of ['feedback_360', 'calibration', 'sign_off'] as const) expect(phaseQuestions(set, kind)).toEqual({ competencies: [], questions: [] });
  });
});
