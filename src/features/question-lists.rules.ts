/**
 * Question lists an org edits (the 360° set, the review questions): typed in a form one label a
 * line, each label given an id that answers are stored under. Pure.
 */

import { Invalid } from '../chat/errors';
import { boundedText } from '../chat/input';
import type { FormValues } from '../chat/ui';

/** A list as typed in a form, one label a line: room for the most labels at their longest. */
export const listLength = (bounds: Pick<ListBounds, 'most' | 'longest'>) => bounds.most * (bounds.longest + 1);

export interface ListBounds {
  /** What one line is, and many: "competency", "competencies". */
  one: string;
  many: string;
  least: number;
  most: number;
  /** Characters a label may have: what the forms that ask the list, at their longest, hold on both platforms (test/unit/views-fit.test.ts). */
  longest: number;
  /** Why there is a most, said when there are more. */
  why?: string;
}

/** One label a line (a leading bullet dropped), each bounded, from `least` to `most`, none twice; Invalid at `field` otherwise. */
export function labelLines(value: FormValues[string], field: string, bounds: ListBounds): string[] {
  const lines = boundedText(value, listLength(bounds), field)
    .split('\n')
    .map((line) => line.replace(/^\s*(?:[-•*]\s+)?/, '').trim())
    .filter(Boolean);
  if (lines.length < bounds.least)
    throw new Invalid(
      bounds.least === 1 ? `Write at least one ${bounds.one}, one per line.` : `Write at least ${bounds.least} ${bounds.many}, one per line.`,
      field,
    );
  if (lines.length > bounds.most)
    throw new Invalid(`Keep it to ${bounds.most} ${bounds.many} or fewer (there are ${lines.length})${bounds.why ? `: ${bounds.why}` : ''}.`, field);
  const long = lines.findIndex((l) => l.length > bounds.longest);
  if (long >= 0) throw new Invalid(`Line ${long + 1} has ${lines[long]!.length} characters: keep each ${bounds.one} to ${bounds.longest}.`, field);
  const twice = lines.find((l, i) => lines.findIndex((m) => m.toLowerCase() === l.toLowerCase()) !== i);
  if (twice) throw new Invalid(`“${twice}” is there twice.`, field);
  return lines;
}

/** An id from the label's name (what comes before a colon), unique among `taken`; `fallback` when the name has no letter or digit to spell it. */
function idOf(label: string, taken: Set<string>, fallback: string): string {
  const slug = (label.split(':')[0] ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const base = slug || fallback;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/**
 * The labels with their ids, so answers stored under an id keep their question: a label the list
 * had before keeps its id; a new one gets one from its name (a reworded explanation after the colon
 * keeps it too), unique in the list, or `fallback` and its place.
 */
export function withIds(labels: string[], before: ReadonlyArray<{ id: string; label: string }>, fallback: string): Array<{ id: string; label: string }> {
  const kept = labels.map((label) => before.find((b) => b.label.toLowerCase() === label.toLowerCase())?.id);
  const taken = new Set(kept.filter((id): id is string => id !== undefined));
  return labels.map((label, i) => ({ id: kept[i] ?? idOf(label, taken, `${fallback}${i + 1}`), label }));
}
