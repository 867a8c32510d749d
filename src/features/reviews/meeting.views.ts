import dayjs from 'dayjs';
import { type Form, type Message, personRef } from '../../chat/ui';
import type { ReminderKind } from './meeting.rules';

export const MEETING_FORM = 'review.meeting';

/** The times offered, every quarter hour of the working day and around it. */
export const MEETING_TIMES = Array.from({ length: (20 - 7) * 4 }, (_, i) => {
  const minutes = 7 * 60 + i * 15;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
});

export function meetingForm(o: { participantId: string; personName: string; zoneSaid: string; initial?: { date: string; time: string } }): Form {
  return {
    formId: MEETING_FORM,
    title: 'Review conversation',
    submitLabel: o.initial ? 'Move it' : 'Schedule',
    intro: `With ${o.personName}, about their review. Date and time are ${o.zoneSaid}. You both get a message now and a reminder before it.`,
    fields: [
      { id: 'date', kind: 'date', label: 'Date', required: true, ...(o.initial ? { initial: o.initial.date } : {}) },
      {
        id: 'time',
        kind: 'choice',
        label: 'Time',
        required: true,
        options: MEETING_TIMES.map((t) => ({ value: t, label: t })),
        ...(o.initial ? { initial: o.initial.time } : {}),
      },
    ],
    state: { participantId: o.participantId },
  };
}

const DAY_AND_TIME = 'ddd D MMM, HH:mm';

/**
 * The meeting's time as its reader sees it, with the other person's when their clock says otherwise:
 * "Tue 10 Mar, 15:00 your time (09:00 for Ana)"; the other's date too when it isn't the reader's.
 */
export function meetingTime(startsAt: Date, reader: { timezone: string }, other: { personId: string; timezone: string }): string {
  const mine = dayjs(startsAt).tz(reader.timezone);
  const theirs = dayjs(startsAt).tz(other.timezone);
  const when = `${mine.format(DAY_AND_TIME)} your time`;
  if (mine.format(DAY_AND_TIME) === theirs.format(DAY_AND_TIME)) return `${when} (the same for ${personRef(other.personId)})`;
  const theirTime = theirs.format('YYYY-MM-DD') === mine.format('YYYY-MM-DD') ? theirs.format('HH:mm') : theirs.format(DAY_AND_TIME);
  return `${when} (${theirTime} for ${personRef(other.personId)})`;
}

export type NoticeKind = 'set' | 'moved' | 'cancelled' | ReminderKind;

const HEADLINE: Record<NoticeKind, (withRef: string) => string> = {
  set: (w) => `📅 Your review conversation with ${w} is set`,
  moved: (w) => `📅 Your review conversation with ${w} has moved`,
  cancelled: (w) => `📅 Your review conversation with ${w} is cancelled`,
  morning: (w) => `⏰ Today: your review conversation with ${w}`,
  hour_before: (w) => `⏰ In an hour: your review conversation with ${w}`,
};

/** What each of the two people is told: `when` is `meetingTime` for them (the time it was, for a cancellation). */
export function meetingNotice(kind: NoticeKind, withId: string, when: string): Message {
  const headline = HEADLINE[kind](personRef(withId));
  const text = kind === 'cancelled' ? `${headline}: it was ${when}.` : `${headline}: ${when}.`;
  return { summary: headline, blocks: [{ type: 'section', text }] };
}
