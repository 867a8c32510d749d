import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** How a team's check-ins recur: a weekday and a local time, every week or every other week. */
export interface Cadence {
  every: 'week' | 'two_weeks';
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** `HH:mm`, in each member's own timezone. */
  localTime: string;
  /** A date of the cadence's weekday that starts the two-week rhythm. */
  anchorDate: string;
}

/** A team's or a 1:1's cadence, from its row. */
export const cadenceOf = (row: { every: Cadence['every']; weekday: number; local_time: string; anchor_date: string }): Cadence => ({
  every: row.every,
  weekday: row.weekday,
  localTime: row.local_time,
  anchorDate: row.anchor_date,
});

/** Weekday names, 0 = Sunday, as `Cadence.weekday` counts them. */
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The working day, in whole hours of each person's own time, Monday to Friday (an org setting). */
export interface WorkingHours {
  start: number;
  end: number;
}

/** The org's working hours, from the columns its rows carry them in. */
export const workingHoursOf = (row: { work_start_hour: number; work_end_hour: number }): WorkingHours => ({
  start: row.work_start_hour,
  end: row.work_end_hour,
});

const DAY_MS = 86_400_000;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const safeZone = (timeZone: string) => (isTimeZone(timeZone) ? timeZone : 'UTC');

/** The instant `date` at `time` happens in `timeZone` (DST-aware). */
export function localInstant(date: string, time: string, timeZone: string): Date {
  return dayjs.tz(`${date} ${time}`, 'YYYY-MM-DD HH:mm', safeZone(timeZone)).toDate();
}

export function localDate(instant: Date, timeZone: string): string {
  return dayjs(instant).tz(safeZone(timeZone)).format('YYYY-MM-DD');
}

/** The date in the last timezone to reach it (UTC−12): a day before it is over everywhere. */
export const dateEverywhere = (instant: Date) => localDate(instant, 'Etc/GMT+12');

/** The date in the first timezone to reach it (UTC+14): a day up to it has begun somewhere. */
export const dateSomewhere = (instant: Date) => localDate(instant, 'Etc/GMT-14');

/** An instant as the person reads it in their timezone, e.g. `Fri, Nov 27 at 15:00`. */
export function localWhen(instant: Date, timeZone: string): string {
  return dayjs(instant).tz(safeZone(timeZone)).format('ddd, MMM D [at] HH:mm');
}

/**
 * The period dates (the cadence weekday, as a calendar date) that can be open at `now`: the latest one
 * that has begun somewhere on Earth, and the one before it. Every member's prompt for a period is due
 * on that date at the cadence time in their own timezone.
 */
export function openPeriods(cadence: Cadence, now: Date): string[] {
  const step = cadence.every === 'week' ? 7 : 14;
  // UTC+14 is the earliest timezone: a date can have begun there while it is still yesterday in UTC.
  let day = dayjs.utc(now.getTime() + 14 * 3_600_000).startOf('day');
  while (day.day() !== cadence.weekday) day = day.subtract(1, 'day');
  if (step === 14) {
    const weeks = Math.round((day.valueOf() - dayjs.utc(cadence.anchorDate).valueOf()) / (7 * DAY_MS));
    if (Math.abs(weeks) % 2 === 1) day = day.subtract(7, 'day');
  }
  return [day.format('YYYY-MM-DD'), day.subtract(step, 'day').format('YYYY-MM-DD')];
}

/**
 * The cadence's next time after `now` (the one due now has come), at its local time in `timeZone`:
 * in the latest period that has begun somewhere, or else in the one after it.
 */
export function nextOccurrence(cadence: Cadence, timeZone: string, now: Date): Date {
  const [latest] = openPeriods(cadence, now);
  const at = localInstant(latest!, cadence.localTime, timeZone);
  if (at > now) return at;
  const next = dayjs
    .utc(latest)
    .add(cadence.every === 'week' ? 7 : 14, 'day')
    .format('YYYY-MM-DD');
  return localInstant(next, cadence.localTime, timeZone);
}

/** When the org's working day begins on `date` in `timeZone`. */
export function workdayStart(date: string, timeZone: string, hours: WorkingHours): Date {
  return localInstant(date, `${String(hours.start).padStart(2, '0')}:00`, timeZone);
}

/**
 * When to remind: `afterHours` after the prompt, moved into the org's working hours (Monday to
 * Friday, the person's time) so nobody is nudged at night or on their weekend.
 */
export function reminderTime(dueAt: Date, afterHours: number, timeZone: string, hours: WorkingHours): Date {
  const zone = safeZone(timeZone);
  let at = new Date(dueAt.getTime() + afterHours * 3_600_000);
  // Move by calendar dates and rebuild the instant each time, so DST changes can't shift the hour.
  for (let guard = 0; guard < 8; guard++) {
    const local = dayjs(at).tz(zone);
    const date = local.format('YYYY-MM-DD');
    if (local.day() === 0 || local.day() === 6 || local.hour() >= hours.end) {
      at = workdayStart(dayjs.utc(date).add(1, 'day').format('YYYY-MM-DD'), zone, hours);
    } else if (local.hour() < hours.start) {
      at = workdayStart(date, zone, hours);
    } else {
      break;
    }
  }
  return at;
}
