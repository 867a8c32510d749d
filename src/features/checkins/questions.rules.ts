import { Invalid } from '../../chat/errors';
import type { QuestionKind } from '../../db/database';

export interface QuestionSpec {
  kind: QuestionKind;
  prompt: string;
  options: string[] | null;
  role: 'mood' | 'blockers' | null;
}

export const MAX_QUESTIONS = 10;

/** One question per line; a trailing `(rating 1-5)`, `(choice: a, b)` or `(blockers)` says how it is answered. */
export const DEFAULT_QUESTIONS = [
  'How are you feeling this week? (rating 1-5)',
  'What went well?',
  'What got in the way? (blockers)',
  'What are your priorities for next week?',
].join('\n');

const RATING = /\(rating 1-(\d{1,2})\)\s*$/i;
const CHOICE = /\(choice:\s*([^)]+)\)\s*$/i;
const BLOCKERS = /\(blockers\)\s*$/i;

/** Reads the questions text of the setup form. The first rating question is the mood in digests. */
export function parseQuestions(text: string): QuestionSpec[] {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) throw new Invalid('Add at least one question, one per line.', 'questions');
  if (lines.length > MAX_QUESTIONS) throw new Invalid(`Keep it to ${MAX_QUESTIONS} questions or fewer; short check-ins get answered.`, 'questions');
  let moodTaken = false;
  return lines.map((line, index) => {
    const rating = RATING.exec(line);
    const choice = CHOICE.exec(line);
    const blockers = BLOCKERS.exec(line);
    const prompt = line.replace(RATING, '').replace(CHOICE, '').replace(BLOCKERS, '').trim();
    if (prompt === '') throw new Invalid(`Line ${index + 1} has no question before its brackets.`, 'questions');
    if (prompt.length > 200) throw new Invalid(`Question ${index + 1} is too long; keep each under 200 characters.`, 'questions');
    if (rating) {
      const max = Number(rating[1]);
      if (max < 2 || max > 10) throw new Invalid(`Question ${index + 1}: a rating goes from 1 to between 2 and 10.`, 'questions');
      const role = moodTaken ? null : 'mood';
      moodTaken = true;
      return { kind: 'rating', prompt, options: [String(max)], role };
    }
    if (choice) {
      const options = choice[1]!
        .split(/[,|]/)
        .map((o) => o.trim())
        .filter(Boolean);
      if (options.length < 2) throw new Invalid(`Question ${index + 1}: give at least two choices, separated by commas.`, 'questions');
      return { kind: 'choice', prompt, options, role: null };
    }
    return { kind: 'text', prompt, options: null, role: blockers ? 'blockers' : null };
  });
}

/** The questions back as the setup form shows them, so editing round-trips. */
export function formatQuestions(questions: QuestionSpec[]): string {
  return questions
    .map((q) => {
      if (q.kind === 'rating') return `${q.prompt} (rating 1-${q.options?.[0] ?? 5})`;
      if (q.kind === 'choice') return `${q.prompt} (choice: ${(q.options ?? []).join(', ')})`;
      return q.role === 'blockers' ? `${q.prompt} (blockers)` : q.prompt;
    })
    .join('\n');
}
