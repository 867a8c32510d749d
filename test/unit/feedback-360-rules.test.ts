import { describe, expect, it } from 'vitest';
import { refusalOf } from '../support/refusals';
import type { QuestionSet } from '../../src/db/database';
import { type Answer, buildReport, DEFAULT_QUESTIONS, questionSetOf, readQuestionSettings } from '../../src/features/feedback/feedback360.rules';

const SET: QuestionSet = {
  competencies: [
    { id: 'communication', label: 'Communication' },
    { id: 'delivery', label: 'Delivery' },
    { id: 'mentoring', label: 'Mentoring' },
  ],
  questions: [{ id: 'keep', label: 'Keep?' }],
};
const rated = (relationship: Answer['relationship'], rating: number): Answer => ({
  relationship,
  ratings: Object.fromEntries(SET.competencies.map((c) => [c.id, rating])),
  texts: {},
});
const options = { anonymous: true, minResponses: 3, questions: SET, random: () => 0.5 };
const peers = [rated('peer', 3), rated('peer', 3), rated('peer', 3)];

describe('the 360° report’s self column', () => {
  it('takes the self-rating from the self-assessment where it rated a competency, else from the self answer, and says which', () => {
    const report = buildReport([...peers, rated('self', 2)], {
      ...options,
      selfAssessment: { submittedOn: '2026-09-07', ratings: { communication: 5, delivery: 4, retired: 1 } },
    });
    expect(report.self).toEqual({ communication: 5, delivery: 4, mentoring: 2 });
    // A competency the request doesn't ask (since renamed or removed) is left out.
    expect(report.selfAssessment).toEqual({ submittedOn: '2026-09-07', competencies: ['communication', 'delivery'] });
    expect(report.groups[0]).toEqual({
      label: 'Self',
      count: 1,
      scores: { communication: { average: 5, low: 5, high: 5 }, delivery: { average: 4, low: 4, high: 4 }, mentoring: { average: 2, low: 2, high: 2 } },
    });
    // Blind spots: a point or more above what others see, whichever source the self-rating came from.
    expect(report.blindSpots).toEqual(['communication', 'delivery']);
  });

  it('shows a self column from the self-assessment alone when the person did not answer the request', () => {
    const report = buildReport(peers, { ...options, selfAssessment: { submittedOn: '2026-09-07', ratings: { mentoring: 3 } } });
    expect(report.self).toEqual({ mentoring: 3 });
    expect(report.groups.map((g) => [g.label, g.count])).toEqual([
      ['Self', 0],
      ['Peers', 3],
    ]);
    expect(report.blindSpots).toEqual([]);
  });

  it('has no self column without a self answer or a self-assessment that rated one of its competencies', () => {
    for (const selfAssessment of [undefined, { submittedOn: '2026-09-07', ratings: { retired: 5 } }]) {
      const report = buildReport(peers, { ...options, ...(selfAssessment ? { selfAssessment } : {}) });
      expect(report.self).toBeUndefined();
      expect(report.selfAssessment).toBeUndefined();
      expect(report.groups.map((g) => g.label)).toEqual(['Peers']);
    }
  });
});

describe('the org’s 360° settings, as typed', () => {
  const read = (competencies: string, questions = 'What should they keep doing?', min = '3') =>
    readQuestionSettings({ competencies, questions, min_responses: min }, DEFAULT_QUESTIONS);

  it('names each competency by what comes before its colon, unique within the set, whatever the script', () => {
    const { questions } = read('- Communication: clear\n• Communication: kind\nÉcoute\n日本語\n\n  Délivrance ');
    expect(questions.competencies).toEqual([
      { id: 'communication', label: 'Communication: clear' },
      { id: 'communication-2', label: 'Communication: kind' },
      { id: 'ecoute', label: 'Écoute' },
      { id: 'c4', label: '日本語' },
      { id: 'delivrance', label: 'Délivrance' },
    ]);
  });

  it('keeps the default set’s ids when its labels are sent back unchanged', () => {
    const typed = (items: QuestionSet['competencies']) => items.map((i) => i.label).join('\n');
    const { questions } = read(typed(DEFAULT_QUESTIONS.competencies), typed(DEFAULT_QUESTIONS.questions));
    expect(questions.competencies).toEqual(DEFAULT_QUESTIONS.competencies);
    expect(questionSetOf({ feedback_questions: null })).toBe(DEFAULT_QUESTIONS);
    expect(questionSetOf({ feedback_questions: questions })).toBe(questions);
  });

  it('refuses each bad input at its field', () => {
    expect(refusalOf(() => read(''))).toEqual(['competencies', 'Write at least one competency, one per line.']);
    expect(refusalOf(() => read('A\nB', ''))).toEqual(['questions', 'Write at least one question, one per line.']);
    expect(refusalOf(() => read('A', 'Q1\nQ2\nQ3\nQ4\nQ5\nQ6'))?.[1]).toContain('Keep it to 5 questions or fewer (there are 6)');
    expect(refusalOf(() => read('A', 'Same?\nsame?'))).toEqual(['questions', '“same?” is there twice.']);
    expect(refusalOf(() => read('A', 'Q', '2.5'))).toEqual(['min_responses', 'The smallest anonymous group is a whole number from 2 to 20.']);
    expect(read('A', 'Q', '20').minResponses).toBe(20);
  });
});
