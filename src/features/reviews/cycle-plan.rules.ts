import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import type { ParticipantState, ReviewPhaseKind } from '../../db/database';
import { Invalid } from '../../chat/errors';

dayjs.extend(utc);

/**
 * A review cycle's plan: its phases with their dates, from a template or a previous cycle, and the
 * checks a plan must pass before anything is written. Pure.
 */

/** The phases in the order they run; the optional ones may be left out. */
export const PHASES: ReadonlyArray<{ kind: ReviewPhaseKind; label: string; optional: boolean }> = [
  { kind: 'self_assessment', label: 'Self-assessment', optional: false },
  { kind: 'feedback_360', label: '360° feedback', optional: true },
  { kind: 'manager_review', label: 'Manager review', optional: false },
  { kind: 'calibration', label: 'Calibration', optional: true },
  { kind: 'sign_off', label: 'Sign-off', optional: false },
];

export const PHASE_LABEL = Object.fromEntries(PHASES.map((p) => [p.kind, p.label])) as Record<ReviewPhaseKind, string>;

export interface PhaseDates {
  kind: ReviewPhaseKind;
  opensOn: string;
  dueOn: string;
}

/** The form's date fields of a phase. */
export const opensField = (kind: ReviewPhaseKind) => `${kind}_opens`;
export const dueField = (kind: ReviewPhaseKind) => `${kind}_due`;

export const MAX_NAME = 80;

/** How often a cycle may repeat: none, the usual three, or every N months. */
export const REPEATS = [
  { value: 'none', label: 'Does not repeat', months: null },
  { value: '3', label: 'Quarterly', months: 3 },
  { value: '6', label: 'Half-yearly', months: 6 },
  { value: '12', label: 'Yearly', months: 12 },
  { value: 'custom', label: 'Every N months (below)', months: null },
] as const;
export const MAX_REPEAT_MONTHS = 24;

/**
 * Templates: each phase's start and length in days from the cycle's start (a Monday), so each is due
 * on a Friday. A quarterly review is light (no 360°, no calibration: five weeks in all); an annual
 * one has 360° feedback beside the self-assessment, and calibration (eight weeks).
 */
export const TEMPLATES = {
  quarterly: {
    label: 'Quarterly review',
    repeat: '3',
    phases: [
      { kind: 'self_assessment', from: 0, days: 5 },
      { kind: 'manager_review', from: 7, days: 12 },
      { kind: 'sign_off', from: 21, days: 12 },
    ],
  },
  annual: {
    label: 'Annual review',
    repeat: '12',
    phases: [
      { kind: 'self_assessment', from: 0, days: 12 },
      { kind: 'feedback_360', from: 0, days: 19 },
      { kind: 'manager_review', from: 21, days: 12 },
      { kind: 'calibration', from: 35, days: 5 },
      { kind: 'sign_off', from: 42, days: 12 },
    ],
  },
} as const satisfies Record<string, { label: string; repeat: string; phases: ReadonlyArray<{ kind: ReviewPhaseKind; from: number; days: number }> }>;
export type TemplateName = keyof typeof TEMPLATES;

const addDays = (date: string, days: number) => dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');

/** The template's phases from `start`; a phase's due date is its last day. */
export const fromTemplate = (name: TemplateName, start: string): PhaseDates[] =>
  TEMPLATES[name].phases.map((p) => ({ kind: p.kind, opensOn: addDays(start, p.from), dueOn: addDays(start, p.from + p.days - 1) }));

/** The same phases, each date moved by whole months (a repeat), or so that the first phase opens on `start` (a copy). */
export const shiftedByMonths = (phases: PhaseDates[], months: number): PhaseDates[] =>
  phases.map((p) => ({
    kind: p.kind,
    opensOn: dayjs.utc(p.opensOn).add(months, 'month').format('YYYY-MM-DD'),
    dueOn: dayjs.utc(p.dueOn).add(months, 'month').format('YYYY-MM-DD'),
  }));

export function startingOn(phases: PhaseDates[], start: string): PhaseDates[] {
  const first = phases.reduce((min, p) => (p.opensOn < min ? p.opensOn : min), phases[0]!.opensOn);
  const days = dayjs.utc(start).diff(dayjs.utc(first), 'day');
  return phases.map((p) => ({ kind: p.kind, opensOn: addDays(p.opensOn, days), dueOn: addDays(p.dueOn, days) }));
}

/** The first Monday after `today`: where a template starts unless HR changes it. */
export const nextMonday = (today: string) => {
  const d = dayjs.utc(today);
  return d.add(((8 - d.day()) % 7) + (d.day() === 1 ? 7 : 0), 'day').format('YYYY-MM-DD');
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s: string) => DATE.test(s) && dayjs.utc(s).format('YYYY-MM-DD') === s;

/**
 * The phases as the form gives them, checked: each required phase has both dates, an optional one
 * both or neither; a phase is due after it opens; the phases run in order (each opens and is due no
 * earlier than the one before); nothing opens before `today`. Invalid at the field at fault.
 */
export function checkedPhases(dates: Record<string, string | undefined>, today: string): PhaseDates[] {
  const phases: PhaseDates[] = [];
  for (const { kind, label, optional } of PHASES) {
    const opensOn = dates[opensField(kind)]?.trim() ?? '';
    const dueOn = dates[dueField(kind)]?.trim() ?? '';
    if (optional && !opensOn && !dueOn) continue;
    if (!isDate(opensOn)) throw new Invalid(`Pick the day ${label.toLowerCase()} opens${optional ? ', or leave both its dates empty' : ''}.`, opensField(kind));
    if (!isDate(dueOn)) throw new Invalid(`Pick the day ${label.toLowerCase()} is due.`, dueField(kind));
    if (opensOn < today) throw new Invalid(`${label} can't open in the past (today is ${today}).`, opensField(kind));
    if (dueOn <= opensOn) throw new Invalid(`${label} must be due after it opens (${opensOn}).`, dueField(kind));
    const before = phases.at(-1);
    if (before && opensOn < before.opensOn)
      throw new Invalid(`${label} can't open before ${PHASE_LABEL[before.kind].toLowerCase()} (${before.opensOn}).`, opensField(kind));
    if (before && dueOn < before.dueOn)
      throw new Invalid(`${label} can't be due before ${PHASE_LABEL[before.kind].toLowerCase()} (${before.dueOn}).`, dueField(kind));
    phases.push({ kind, opensOn, dueOn });
  }
  return phases;
}

/** Months between repeats, from the form's choice (and its N), or null. */
export function repeatMonths(choice: string | undefined, custom: string | undefined): number | null {
  const picked = REPEATS.find((r) => r.value === (choice ?? 'none'));
  if (!picked) throw new Invalid('Choose how often the cycle repeats.', 'repeat');
  if (picked.value !== 'custom') return picked.months;
  const n = Number(custom);
  if (!Number.isInteger(n) || n < 1 || n > MAX_REPEAT_MONTHS) throw new Invalid(`Say every how many months: 1 to ${MAX_REPEAT_MONTHS}.`, 'repeat_months');
  return n;
}

/** The phases in which the person reviewed has something to do (the manager's review is the reviewer's; calibration is HR's). */
export const PARTICIPANT_PHASES: readonly ReviewPhaseKind[] = ['self_assessment', 'feedback_360', 'sign_off'];

/** A phase's deadline for one participant: HR's later one for them, or the phase's. */
export const dueFor = (phase: { kind: ReviewPhaseKind; due_on: string }, participantId: string, overrides: Map<string, string>) =>
  overrides.get(`${participantId}:${phase.kind}`) ?? phase.due_on;

/** Of `done` out of `total`, in whole per cent. */
export const percent = (done: number, total: number) => (total === 0 ? 0 : Math.round((done * 100) / total));

export interface Tally {
  label: string;
  done: number;
  total: number;
}

/**
 * A cycle's progress, in numbers only: per phase, how many are through it; and for the phase open
 * now (the latest that has opened), per department and per manager. No one's review is read.
 */
export function progressOf<P extends { state: ParticipantState; department: string | null; reviewer_id: string | null }>(
  phases: ReadonlyArray<{ kind: ReviewPhaseKind; opens_on: string }>,
  participants: readonly P[],
  today: string,
  done: (state: P['state'], kind: ReviewPhaseKind) => boolean,
): {
  phases: Array<Tally & { kind: ReviewPhaseKind }>;
  current?: ReviewPhaseKind;
  departments: Tally[];
  managers: Array<Tally & { managerId: string | null }>;
} {
  const perPhase = phases.map((p) => ({
    kind: p.kind,
    label: PHASE_LABEL[p.kind],
    done: participants.filter((x) => done(x.state, p.kind)).length,
    total: participants.length,
  }));
  const current = phases.filter((p) => p.opens_on <= today).at(-1)?.kind;
  const groups = <K>(key: (p: P) => K) => {
    const out = new Map<K, { done: number; total: number }>();
    for (const p of participants) {
      const g = out.get(key(p)) ?? { done: 0, total: 0 };
      g.total++;
      if (current && done(p.state, current)) g.done++;
      out.set(key(p), g);
    }
    return [...out];
  };
  return {
    phases: perPhase,
    ...(current ? { current } : {}),
    departments: groups((p) => p.department ?? 'No department')
      .map(([label, g]) => ({ label, ...g }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    managers: groups((p) => p.reviewer_id).map(([managerId, g]) => ({ managerId, label: '', ...g })),
  };
}
