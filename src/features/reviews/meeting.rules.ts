import { type WorkingHours, localDate, workdayStart } from '../../schedule/cadence.rules';

/** The reminder everyone gets, this long before the review conversation. */
export const HOUR_BEFORE_MS = 3_600_000;

/** How far ahead of a meeting its first reminder can fall: the morning of its day. */
export const REMIND_WITHIN_MS = 24 * 3_600_000;

export type ReminderKind = 'morning' | 'hour_before';

export interface Reminder {
  kind: ReminderKind;
  personId: string;
  at: Date;
  /** It lapses when the person's next reminder, or the meeting, comes: a late tick sends one, not two. */
  until: Date;
}

/**
 * The reminders of a meeting for each of its two people: an hour before, and on the morning of its
 * day (the start of working hours, their time) when that comes earlier still. A reminder that fell
 * due before the meeting was (re)scheduled is not sent: they were just told.
 */
export function remindersOf(
  meeting: { startsAt: Date; scheduledAt: Date },
  attendees: Array<{ personId: string; timezone: string }>,
  hours: WorkingHours,
): Reminder[] {
  const hourBefore = new Date(meeting.startsAt.getTime() - HOUR_BEFORE_MS);
  return attendees
    .flatMap(({ personId, timezone }): Reminder[] => {
      const morning = workdayStart(localDate(meeting.startsAt, timezone), timezone, hours);
      return [
        ...(morning < hourBefore ? [{ kind: 'morning' as const, personId, at: morning, until: hourBefore }] : []),
        { kind: 'hour_before', personId, at: hourBefore, until: meeting.startsAt },
      ];
    })
    .filter((r) => r.at >= meeting.scheduledAt);
}

/** The reminders due at `now`: their time has come and they haven't lapsed. */
export const dueReminders = (reminders: Reminder[], now: Date) => reminders.filter((r) => r.at <= now && now < r.until);
