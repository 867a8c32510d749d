import { describe, expect, it } from 'vitest';
import {
  type CalibrationRow,
  calibratable,
  distribution,
  distributionsByManager,
  nineBox,
  performanceBand,
  potentialBand,
  ratingOf,
} from '../../src/features/reviews/calibration.rules';
import { dueReminders, remindersOf } from '../../src/features/reviews/meeting.rules';

const row = (personId: string, o: Partial<CalibrationRow> = {}): CalibrationRow => ({
  participantId: `p-${personId}`,
  personId,
  reviewerId: 'maya',
  state: 'manager_drafted',
  overall: 3,
  calibrated: null,
  potential: 2,
  ...o,
});

describe('calibration rules', () => {
  it('bands performance 1–2 low, 3 medium, 4–5 high, and potential 1–3 low to high', () => {
    expect([1, 2, 3, 4, 5].map(performanceBand)).toEqual(['low', 'low', 'medium', 'high', 'high']);
    expect([1, 2, 3].map(potentialBand)).toEqual(['low', 'medium', 'high']);
  });

  it('counts from the calibrated rating when set, else the manager’s', () => {
    expect(ratingOf({ overall: 3, calibrated: null })).toBe(3);
    expect(ratingOf({ overall: 3, calibrated: 5 })).toBe(5);
  });

  it('moves only submitted reviews not yet shared', () => {
    expect(calibratable('manager_drafted')).toBe(true);
    for (const state of ['not_started', 'self_done', 'feedback_in', 'shared', 'signed'] as const) expect(calibratable(state)).toBe(false);
  });

  it('counts the 1s to 5s, leaving out what has no rating', () => {
    expect(distribution([1, 3, 3, 5, null, 3])).toEqual([1, 0, 3, 0, 1]);
    expect(distribution([])).toEqual([0, 0, 0, 0, 0]);
  });

  it('gives each manager’s distribution as they rated, the busiest manager first', () => {
    const rows = [
      row('ana', { reviewerId: 'maya', overall: 4, calibrated: 3 }),
      row('ben', { reviewerId: 'omar', overall: 2 }),
      row('cal', { reviewerId: 'omar', overall: 5 }),
    ];
    expect(distributionsByManager(rows)).toEqual([
      { reviewerId: 'omar', given: [0, 1, 0, 0, 1] },
      { reviewerId: 'maya', given: [0, 0, 0, 1, 0] },
    ]);
  });

  it('places each person in one box of the 9-box, high potential first, and leaves out who has no potential yet', () => {
    const { boxes, unplaced } = nineBox([
      row('ana', { overall: 2, calibrated: 4, potential: 3 }),
      row('ben', { overall: 1, potential: 1 }),
      row('cal', { overall: 3, potential: 2 }),
      row('dan', { overall: 5, potential: null }),
    ]);
    expect(boxes.map((b) => `${b.potential}/${b.performance}`)).toEqual([
      'high/low',
      'high/medium',
      'high/high',
      'medium/low',
      'medium/medium',
      'medium/high',
      'low/low',
      'low/medium',
      'low/high',
    ]);
    const inBox = (potential: string, performance: string) => boxes.find((b) => b.potential === potential && b.performance === performance)!.personIds;
    expect(inBox('high', 'high')).toEqual(['ana']);
    expect(inBox('low', 'low')).toEqual(['ben']);
    expect(inBox('medium', 'medium')).toEqual(['cal']);
    expect(boxes.flatMap((b) => b.personIds)).toHaveLength(3);
    expect(unplaced).toEqual(['dan']);
  });
});

describe('review meeting reminders', () => {
  const hours = { start: 9, end: 18 };
  const startsAt = new Date('2026-03-10T15:00:00Z');
  const attendees = [
    { personId: 'maya', timezone: 'Europe/Lisbon' },
    { personId: 'ana', timezone: 'America/Chicago' },
  ];

  it('reminds each an hour before, and on the morning of the day in their own time when that is earlier', () => {
    const reminders = remindersOf({ startsAt, scheduledAt: new Date('2026-03-01T10:00:00Z') }, attendees, hours);
    expect(reminders.map((r) => `${r.personId} ${r.kind} ${r.at.toISOString()}`)).toEqual([
      'maya morning 2026-03-10T09:00:00.000Z',
      'maya hour_before 2026-03-10T14:00:00.000Z',
      // 09:00 in Chicago (UTC-5) is 14:00 UTC: no earlier than the hour before, so no morning one.
      'ana hour_before 2026-03-10T14:00:00.000Z',
    ]);
  });

  it('sends none that fell due before the meeting was set, and none once it has begun', () => {
    const reminders = remindersOf({ startsAt, scheduledAt: new Date('2026-03-10T12:00:00Z') }, attendees, hours);
    expect(reminders.map((r) => r.kind)).toEqual(['hour_before', 'hour_before']);
    expect(dueReminders(reminders, new Date('2026-03-10T13:59:00Z'))).toEqual([]);
    expect(dueReminders(reminders, new Date('2026-03-10T14:30:00Z'))).toHaveLength(2);
    expect(dueReminders(reminders, startsAt)).toEqual([]);
  });

  it('lets the morning reminder lapse once the hour-before one is due: a late tick sends one', () => {
    const reminders = remindersOf({ startsAt, scheduledAt: new Date('2026-03-01T10:00:00Z') }, attendees, hours);
    expect(dueReminders(reminders, new Date('2026-03-10T10:00:00Z')).map((r) => `${r.personId} ${r.kind}`)).toEqual(['maya morning']);
    expect(dueReminders(reminders, new Date('2026-03-10T14:10:00Z')).map((r) => `${r.personId} ${r.kind}`)).toEqual(['maya hour_before', 'ana hour_before']);
  });
});
