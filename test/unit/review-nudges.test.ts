import { describe, expect, it } from 'vitest';
import { dueNudge, dueNudgesAt, nudgeTimes } from '../../src/features/reviews/nudges.rules';

const hours = { start: 9, end: 18 };
// Opens Monday 2026-03-02, due Friday 2026-03-13.
const window = { opensOn: '2026-03-02', dueOn: '2026-03-13' };

describe('review nudge timeline', () => {
  it('opens, counts down 3 days and 1 day before, on the day, then once overdue: at 09:00 the person’s time', () => {
    const times = nudgeTimes(window, 'Europe/Berlin', hours).map((n) => [n.kind, n.at.toISOString()]);
    expect(times).toEqual([
      ['opened', '2026-03-02T08:00:00.000Z'],
      ['three_days', '2026-03-10T08:00:00.000Z'],
      ['one_day', '2026-03-12T08:00:00.000Z'],
      ['due_today', '2026-03-13T08:00:00.000Z'],
      ['overdue', '2026-03-16T08:00:00.000Z'],
    ]);
  });

  it('keeps to the working week: an overdue day on a Saturday waits for Monday', () => {
    const overdue = nudgeTimes(window, 'America/New_York', hours).find((n) => n.kind === 'overdue')!;
    // The day after Friday the 13th is Saturday; Monday 09:00 in New York is 13:00 UTC (EDT from March 8).
    expect(overdue.at.toISOString()).toBe('2026-03-16T13:00:00.000Z');
  });

  it('leaves out countdown nudges that fall on or before the opening', () => {
    const short = nudgeTimes({ opensOn: '2026-03-02', dueOn: '2026-03-03' }, 'UTC', hours).map((n) => n.kind);
    expect(short).toEqual(['opened', 'due_today', 'overdue']);
  });

  it('sends only the latest nudge that has come, nothing before the opening', () => {
    expect(dueNudge(window, 'UTC', hours, new Date('2026-03-02T08:59:00Z'))).toBeUndefined();
    expect(dueNudge(window, 'UTC', hours, new Date('2026-03-02T09:00:00Z'))).toBe('opened');
    expect(dueNudge(window, 'UTC', hours, new Date('2026-03-11T12:00:00Z'))).toBe('three_days');
    expect(dueNudge(window, 'UTC', hours, new Date('2026-03-13T09:30:00Z'))).toBe('due_today');
    expect(dueNudge(window, 'UTC', hours, new Date('2026-04-30T09:30:00Z'))).toBe('overdue');
  });

  it('follows a moved deadline', () => {
    const moved = { ...window, dueOn: '2026-03-20' };
    expect(dueNudge(window, 'UTC', hours, new Date('2026-03-16T10:00:00Z'))).toBe('overdue');
    expect(dueNudge(moved, 'UTC', hours, new Date('2026-03-16T10:00:00Z'))).toBe('opened');
    expect(dueNudge(moved, 'UTC', hours, new Date('2026-03-17T10:00:00Z'))).toBe('three_days');
  });

  it('answers for many people at one instant as for each alone, whatever their windows and zones', () => {
    const now = new Date('2026-03-10T12:00:00Z'); // Tuesday: 3 days before the 13th in Europe and Asia, not yet in Los Angeles
    const moved = { ...window, dueOn: '2026-03-20' };
    const due = dueNudgesAt(hours, now);
    for (const w of [window, moved, window]) {
      for (const zone of ['Europe/Berlin', 'America/Los_Angeles', 'Asia/Tokyo', 'Europe/Berlin', 'Not/A_Zone']) {
        expect(due(w, zone)).toBe(dueNudge(w, zone, hours, now));
      }
    }
    expect([due(window, 'Europe/Berlin'), due(window, 'America/Los_Angeles'), due(moved, 'Asia/Tokyo')]).toEqual(['three_days', 'opened', 'opened']);
  });
});
