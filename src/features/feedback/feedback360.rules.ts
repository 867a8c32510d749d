/**
 * 360° feedback: who answers as what, and the report with its anonymity rules. Pure, so the rules
 * can be tested over any number of random requests.
 */

import { wholeNumber } from '../../chat/input';
import type { FormValues } from '../../chat/ui';
import type { Org, FeedbackRelationship as Relationship, QuestionSet } from '../../db/database';
import { labelLines, withIds } from '../question-lists.rules';

/** The set every org starts with. */
export const DEFAULT_QUESTIONS: QuestionSet = {
  competencies: [
    { id: 'communication', label: 'Communication: clear, timely, listens' },
    { id: 'collaboration', label: 'Collaboration: makes the people around them better' },
    { id: 'ownership', label: 'Ownership: follows through, owns mistakes' },
    { id: 'craft', label: 'Craft: the quality of their work' },
    { id: 'growth', label: 'Growth: learns and helps others learn' },
  ],
  questions: [
    { id: 'keep', label: 'What should they keep doing?' },
    { id: 'change', label: 'What could they do differently?' },
  ],
};

/** The org's set, which new requests copy. */
export const questionSetOf = (org: Pick<Org, 'feedback_questions'>): QuestionSet => org.feedback_questions ?? DEFAULT_QUESTIONS;

/**
 * Bounds of an org's set: the reviewer's form, the self-assessment and the report hold every
 * competency and question at their longest on both platforms (test/unit/views-fit.test.ts).
 */
export const SET_LIMITS = { competencies: 10, questions: 5, label: 100 } as const;
/** The smallest anonymous group an org may set: fewer than 2 would show one person's answers. */
export const MIN_RESPONSES = { min: 2, max: 20 } as const;

const ON_EVERY_FORM = "each is a question on every reviewer's form";

/** The 360° settings form as a question set and minimum group size, or Invalid at the first field that is wrong; labels the set had keep their ids. */
export function readQuestionSettings(values: FormValues, before: QuestionSet): { questions: QuestionSet; minResponses: number } {
  const competencies = labelLines(values.competencies, 'competencies', {
    one: 'competency',
    many: 'competencies',
    least: 1,
    most: SET_LIMITS.competencies,
    longest: SET_LIMITS.label,
    why: ON_EVERY_FORM,
  });
  const questions = labelLines(values.questions, 'questions', {
    one: 'question',
    many: 'questions',
    least: 1,
    most: SET_LIMITS.questions,
    longest: SET_LIMITS.label,
    why: ON_EVERY_FORM,
  });
  return {
    questions: { competencies: withIds(competencies, before.competencies, 'c'), questions: withIds(questions, before.questions, 'q') },
    minResponses: wholeNumber(values.min_responses, MIN_RESPONSES, 'min_responses', 'The smallest anonymous group'),
  };
}

export const RELATIONSHIP_LABEL: Record<Relationship, string> = { self: 'Self', manager: 'Manager', peer: 'Peers', report: 'Direct reports', other: 'Others' };

/** How the reviewer stands to the subject in the org chart. */
export function relationshipTo(subject: { id: string; manager_id: string | null }, reviewer: { id: string; manager_id: string | null }): Relationship {
  if (reviewer.id === subject.id) return 'self';
  if (subject.manager_id === reviewer.id) return 'manager';
  if (reviewer.manager_id === subject.id) return 'report';
  if (subject.manager_id !== null && reviewer.manager_id === subject.manager_id) return 'peer';
  return 'other';
}

export interface Answer {
  relationship: Relationship;
  ratings: Record<string, number>;
  texts: Record<string, string>;
  /** Only on a request that is not anonymous. */
  reviewerName?: string;
}

export interface ReportGroup {
  label: string;
  count: number;
  /** Average and spread (lowest, highest) per competency, over the answers that rated it. */
  scores: Record<string, { average: number; low: number; high: number }>;
}

export interface Report {
  groups: ReportGroup[];
  /** Answers not shown: too few to keep their authors anonymous. */
  withheld: number;
  /** Everyone shown but the person themselves, per competency. */
  others: Record<string, number>;
  /** The person's own rating per competency: from their self-assessment where it rated one, else from their answer. */
  self?: Record<string, number>;
  /** Where the self-assessment gave the self-rating: the competencies it rated, and when it was submitted. */
  selfAssessment?: { submittedOn: string; competencies: string[] };
  /** Competencies others rate highest; with a self-rating, those others rate well above it too. */
  strengths: string[];
  /** Where the person rates themselves a point or more above what others see. */
  blindSpots: string[];
  /** Open answers per question: anonymous ones without names, shuffled. */
  texts: Array<{ question: string; answers: string[] }>;
}

function scores(answers: Answer[], set: QuestionSet): ReportGroup['scores'] {
  const out: ReportGroup['scores'] = {};
  for (const c of set.competencies) {
    const values = answers.map((a) => a.ratings[c.id]).filter((v): v is number => typeof v === 'number');
    if (values.length === 0) continue;
    out[c.id] = { average: values.reduce((s, v) => s + v, 0) / values.length, low: Math.min(...values), high: Math.max(...values) };
  }
  return out;
}

const shuffled = <T>(items: T[], random: () => number): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

/**
 * The report. Anonymous: peers, reports and others are shown as a group only with at least
 * `minResponses` answers; smaller groups are merged into "Others", shown if that reaches the minimum
 * and withheld otherwise (neither their ratings nor their words are shown). The manager's and the
 * person's own answers are never anonymous. Open answers come without names, in random order.
 * Not anonymous: every group is shown, and open answers carry their author's name.
 */
export function buildReport(
  answers: Answer[],
  o: {
    anonymous: boolean;
    minResponses: number;
    questions: QuestionSet;
    random: () => number;
    /** The person's latest submitted self-assessment's competency ratings, by competency id. */
    selfAssessment?: { submittedOn: string; ratings: Record<string, number> };
  },
): Report {
  const by = (r: Relationship) => answers.filter((a) => a.relationship === r);
  const shown: Array<{ label: string; answers: Answer[] }> = [];
  let withheld = 0;
  const manager = by('manager');
  if (manager.length > 0) shown.push({ label: RELATIONSHIP_LABEL.manager, answers: manager });
  const small: Answer[] = [];
  for (const r of ['peer', 'report', 'other'] as const) {
    const group = by(r);
    if (group.length === 0) continue;
    if (!o.anonymous || group.length >= o.minResponses) shown.push({ label: RELATIONSHIP_LABEL[r], answers: group });
    else small.push(...group);
  }
  if (small.length > 0) {
    if (small.length >= o.minResponses) shown.push({ label: 'Others (groups too small to show apart)', answers: small });
    else withheld = small.length;
  }
  const othersAnswers = shown.flatMap((g) => g.answers);
  const others = Object.fromEntries(Object.entries(scores(othersAnswers, o.questions)).map(([k, v]) => [k, v.average]));
  const selfAnswers = by('self');
  const assessed = Object.entries(o.selfAssessment?.ratings ?? {}).filter(([id]) => o.questions.competencies.some((c) => c.id === id));
  const selfScores: ReportGroup['scores'] = {
    ...scores(selfAnswers, o.questions),
    ...Object.fromEntries(assessed.map(([id, v]) => [id, { average: v, low: v, high: v }])),
  };
  const self = Object.keys(selfScores).length > 0 ? Object.fromEntries(Object.entries(selfScores).map(([k, v]) => [k, v.average])) : undefined;
  const ranked = Object.entries(others).sort((a, b) => b[1] - a[1]);
  const strengths = ranked
    .filter(([, v]) => v >= 3.5)
    .slice(0, 2)
    .map(([k]) => k);
  const blindSpots = self
    ? Object.entries(others)
        .filter(([k, v]) => self[k] !== undefined && self[k]! - v >= 1)
        .map(([k]) => k)
    : [];
  const texts = o.questions.questions.map((q) => {
    const said = (a: Answer) => a.texts[q.id];
    // The manager's words are theirs by role (never anonymous); the others' carry a name only when the request isn't anonymous.
    const fromManager = manager.flatMap((a) => (said(a) ? [`${said(a)} (manager)`] : []));
    const fromOthers = shown
      .filter((g) => g.label !== RELATIONSHIP_LABEL.manager)
      .flatMap((g) => g.answers)
      .flatMap((a) => (said(a) ? [!o.anonymous && a.reviewerName ? `${said(a)} (${a.reviewerName})` : said(a)!] : []));
    return { question: q.label, answers: [...fromManager, ...(o.anonymous ? shuffled(fromOthers, o.random) : fromOthers)] };
  });
  return {
    groups: [
      ...(self ? [{ label: RELATIONSHIP_LABEL.self, count: selfAnswers.length, scores: selfScores }] : []),
      ...shown.map((g) => ({ label: g.label, count: g.answers.length, scores: scores(g.answers, o.questions) })),
    ],
    withheld,
    others,
    ...(self ? { self } : {}),
    ...(o.selfAssessment && assessed.length > 0
      ? { selfAssessment: { submittedOn: o.selfAssessment.submittedOn, competencies: assessed.map(([id]) => id) } }
      : {}),
    strengths,
    blindSpots,
    texts,
  };
}
