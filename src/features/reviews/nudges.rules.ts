import dayjs from 'dayjs';
import { type WorkingHours, reminderTime, workdayStart } from '../../schedule/cadence.rules';

/**
 * A phase's nudges, in the order they come: when it opens, 3 days and 1 day before its deadline, on
 * the day, and once after it. Each comes at the start of the person's working day (their timezone,
 * the org's working hours, never on their weekend).
 */
const NUDGE_KINDS = ['opened', 'three_days', 'one_day', 'due_today', 'overdue'] as const;
export type NudgeKind = (typeof NUDGE_KINDS)[number];

/** A phase's dates for one person: when it opened, and their deadline (the phase's, or HR's later one for them). */
export interface PhaseWindow {
  opensOn: string;
  dueOn: string;
}

const shift = (date: string, days: number) => dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');

/** The day each nudge falls on; a countdown nudge that would come on or before the opening is left out (the opening said it). */
function nudgeDays(w: PhaseWindow): Array<{ kind: NudgeKind; day: string }> {
  const countdown: Array<{ kind: NudgeKind; day: string }> = [
    { kind: 'three_days', day: shift(w.dueOn, -3) },
    { kind: 'one_day', day: shift(w.dueOn, -1) },
    { kind: 'due_today', day: w.dueOn },
  ];
  return [{ kind: 'opened', day: w.opensOn }, ...countdown.filter((n) => n.day > w.opensOn), { kind: 'overdue', day: shift(w.dueOn, 1) }];
}

/** When each of the phase's nudges comes for someone in `timeZone`. */
export function nudgeTimes(w: PhaseWindow, timeZone: string, hours: WorkingHours): Array<{ kind: NudgeKind; at: Date }> {
  return nudgeDays(w).map(({ kind, day }) => ({ kind, at: reminderTime(workdayStart(day, timeZone, hours), 0, timeZone, hours) }));
}

/**
 * The nudge to send now: the latest one whose time has come. One missed while nothing ran is not
 * sent late on top of a newer one (a person needs the latest word, not three at once).
 */
export function dueNudge(w: PhaseWindow, timeZone: string, hours: WorkingHours, now: Date): NudgeKind | undefined {
  return nudgeTimes(w, timeZone, hours)
    .filter((n) => n.at <= now)
    .at(-1)?.kind;
}

/**
 * `dueNudge` for many people at one instant. The answer depends only on the window and the timezone,
 * so each pair is worked out once: a cycle of 10,000 people has a few deadlines and zones, and
 * working out the times in a timezone is the tick's costliest step.
 */
export function dueNudgesAt(hours: WorkingHours, now: Date): (w: PhaseWindow, timeZone: string) => NudgeKind | undefined {
  const known = new Map<string, NudgeKind | undefined>();
  return (w, timeZone) => {
    const key = `${w.opensOn}|${w.dueOn}|${timeZone}`;
    if (!known.has(key)) known.set(key, dueNudge(w, timeZone, hours, now));
    return known.get(key);
  };
}
