import dayjs from 'dayjs';
import type { Goal, GoalLevel } from '../../db/database';

/** What a goal's progress is measured with. */
export type Measured = Pick<Goal, 'id' | 'parent_id' | 'start_value' | 'target_value' | 'current_value' | 'progress_from' | 'weight'>;

/** Share of the way from start to target, 0–1 (a value past the target counts as done, one behind the start as none). */
export function ownProgress(goal: Pick<Goal, 'start_value' | 'target_value' | 'current_value'>): number {
  const share = (goal.current_value - goal.start_value) / (goal.target_value - goal.start_value);
  return Math.min(1, Math.max(0, share));
}

/**
 * Each goal's progress: its own, or, where it rolls up, the weighted mean of the goals aligned to it
 * (their own roll-ups included). A roll-up with nothing aligned yet falls back to its own value.
 * `goals` must hold every goal below those that roll up (the subtree).
 */
export function progressOf(goals: Measured[]): Map<string, number> {
  const children = new Map<string, Measured[]>();
  for (const g of goals) if (g.parent_id) children.set(g.parent_id, [...(children.get(g.parent_id) ?? []), g]);
  const done = new Map<string, number>();
  const visiting = new Set<string>();
  const of = (goal: Measured): number => {
    const known = done.get(goal.id);
    if (known !== undefined) return known;
    const below = children.get(goal.id) ?? [];
    // A cycle can't be written (a goal aligns only to an existing one), but a roll-up must end anyway.
    visiting.add(goal.id);
    const aligned = below.filter((c) => !visiting.has(c.id));
    const weight = aligned.reduce((sum, c) => sum + c.weight, 0);
    const progress =
      goal.progress_from === 'children' && aligned.length > 0 ? aligned.reduce((sum, c) => sum + of(c) * c.weight, 0) / weight : ownProgress(goal);
    visiting.delete(goal.id);
    done.set(goal.id, progress);
    return progress;
  };
  for (const g of goals) of(g);
  return done;
}

export type GoalStatus = 'done' | 'on_track' | 'at_risk' | 'behind';

export const STATUS_LABEL: Record<GoalStatus, string> = {
  done: '✅ Done',
  on_track: '🟢 On track',
  at_risk: '🟠 At risk',
  behind: '🔴 Behind',
};

/** How far along a goal should be today: the share of the time from its start to its due date that has passed. */
export function expectedProgress(startsOn: string, dueOn: string, today: string): number {
  const total = dayjs(dueOn).diff(dayjs(startsOn), 'day');
  if (total <= 0) return today >= dueOn ? 1 : 0;
  return Math.min(1, Math.max(0, dayjs(today).diff(dayjs(startsOn), 'day') / total));
}

/**
 * On track while progress keeps up with the time that has passed (10 points of slack), at risk up
 * to 25 points behind, behind beyond that or once the due date has passed unfinished.
 */
export function statusOf(progress: number, goal: Pick<Goal, 'starts_on' | 'due_on'>, today: string): GoalStatus {
  if (progress >= 1) return 'done';
  if (today > goal.due_on) return 'behind';
  const gap = expectedProgress(goal.starts_on, goal.due_on, today) - progress;
  if (gap <= 0.1) return 'on_track';
  return gap <= 0.25 ? 'at_risk' : 'behind';
}

/** A bar of ten cells and the percentage, e.g. `▰▰▰▰▱▱▱▱▱▱ 40%`. */
export function progressBar(progress: number): string {
  const filled = Math.round(progress * 10);
  return `${'▰'.repeat(filled)}${'▱'.repeat(10 - filled)} ${Math.round(progress * 100)}%`;
}

/** Which levels sit above which: a goal aligns to one of a higher or the same level. */
const RANK: Record<GoalLevel, number> = { company: 0, team: 1, individual: 2 };

export function canAlignTo(child: GoalLevel, parent: GoalLevel): boolean {
  return RANK[parent] <= RANK[child];
}

export const LEVEL_LABEL: Record<GoalLevel, string> = { company: '🏢 Company', team: '👥 Team', individual: '🙋 Individual' };

/** A number as people write it: no trailing zeros, thousands kept plain. */
export const shownNumber = (n: number) => String(Number(n.toFixed(2)));

/** `12 of 30 customers`. */
export const progressInWords = (goal: Pick<Goal, 'current_value' | 'target_value' | 'unit'>) =>
  `${shownNumber(goal.current_value)} of ${shownNumber(goal.target_value)}${goal.unit ? ` ${goal.unit}` : ''}`;
