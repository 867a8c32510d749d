import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streak } from '../../src/features/checkins/checkins.rules';
import { type Cadence, localDate, localInstant, nextOccurrence, openPeriods, reminderTime } from '../../src/schedule/cadence.rules';

const fridays: Cadence = { every: 'week', weekday: 5, localTime: '15:00', anchorDate: '2026-11-06' };
const nineToSix = { start: 9, end: 18 };

describe('check-in schedule', () => {
  it('finds the period that has begun somewhere, and the one before', () => {
    // Thursday 2026-11-26 10:00 UTC: Friday has begun in UTC+14 only from 10:00 UTC.
    expect(openPeriods(fridays, new Date('2026-11-26T09:59:00Z'))).toEqual(['2026-11-20', '2026-11-13']);
    expect(openPeriods(fridays, new Date('2026-11-26T10:00:00Z'))).toEqual(['2026-11-27', '2026-11-20']);
    expect(openPeriods(fridays, new Date('2026-11-30T12:00:00Z'))).toEqual(['2026-11-27', '2026-11-20']);
  });

  it('keeps a two-week rhythm from its anchor', () => {
    const biweekly: Cadence = { ...fridays, every: 'two_weeks', anchorDate: '2026-11-13' };
    expect(openPeriods(biweekly, new Date('2026-11-21T12:00:00Z'))).toEqual(['2026-11-13', '2026-10-30']);
    expect(openPeriods(biweekly, new Date('2026-11-28T12:00:00Z'))).toEqual(['2026-11-27', '2026-11-13']);
  });

  it('is due at the cadence time in each person’s own timezone, DST included', () => {
    expect(localInstant('2026-11-27', '15:00', 'Europe/Lisbon').toISOString()).toBe('2026-11-27T15:00:00.000Z');
    expect(localInstant('2026-11-27', '15:00', 'Asia/Tokyo').toISOString()).toBe('2026-11-27T06:00:00.000Z');
    expect(localInstant('2026-07-03', '15:00', 'America/New_York').toISOString()).toBe('2026-07-03T19:00:00.000Z');
    expect(localInstant('2026-11-27', '15:00', 'Not/AZone').toISOString()).toBe('2026-11-27T15:00:00.000Z');
    expect(localDate(new Date('2026-11-27T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-11-28');
  });

  it('finds the next time in the person’s own timezone: this period’s until it has passed there, then the next', () => {
    // Friday 2026-11-27 10:00 UTC: 15:00 has passed in Tokyo (06:00 UTC), not yet in New York (20:00 UTC).
    const now = new Date('2026-11-27T10:00:00Z');
    expect(nextOccurrence(fridays, 'America/New_York', now).toISOString()).toBe('2026-11-27T20:00:00.000Z');
    expect(nextOccurrence(fridays, 'Asia/Tokyo', now).toISOString()).toBe('2026-12-04T06:00:00.000Z');
    // The one due right now has come: the next is a week on.
    expect(nextOccurrence(fridays, 'Asia/Tokyo', new Date('2026-11-27T06:00:00Z')).toISOString()).toBe('2026-12-04T06:00:00.000Z');
    const biweekly: Cadence = { ...fridays, every: 'two_weeks', anchorDate: '2026-11-13' };
    expect(nextOccurrence(biweekly, 'Asia/Tokyo', now).toISOString()).toBe('2026-12-11T06:00:00.000Z');
    // Before the period has begun anywhere (Wednesday), the coming Friday.
    expect(nextOccurrence(fridays, 'Europe/Lisbon', new Date('2026-11-25T10:00:00Z')).toISOString()).toBe('2026-11-27T15:00:00.000Z');
  });

  it('reminds 24 hours later, but never at night or on the weekend', () => {
    // Friday 15:00 + 24 h = Saturday 15:00 → Monday 09:00.
    const friday = localInstant('2026-11-27', '15:00', 'Europe/Berlin');
    expect(reminderTime(friday, 24, 'Europe/Berlin', nineToSix).toISOString()).toBe(localInstant('2026-11-30', '09:00', 'Europe/Berlin').toISOString());
    // Tuesday 20:00 + 24 h = Wednesday 20:00 → Thursday 09:00.
    const tuesday = localInstant('2026-11-24', '20:00', 'Asia/Tokyo');
    expect(reminderTime(tuesday, 24, 'Asia/Tokyo', nineToSix).toISOString()).toBe(localInstant('2026-11-26', '09:00', 'Asia/Tokyo').toISOString());
    // Monday 07:00 + 24 h = Tuesday 07:00 → Tuesday 09:00.
    const early = localInstant('2026-11-23', '07:00', 'America/Chicago');
    expect(reminderTime(early, 24, 'America/Chicago', nineToSix).toISOString()).toBe(localInstant('2026-11-24', '09:00', 'America/Chicago').toISOString());
  });

  it('keeps to the org’s own working hours', () => {
    const earlyBirds = { start: 7, end: 15 };
    // Tuesday 14:00 + 24 h = Wednesday 14:00: inside 07–15, so no move.
    const tuesday = localInstant('2026-11-24', '14:00', 'Europe/Lisbon');
    expect(reminderTime(tuesday, 24, 'Europe/Lisbon', earlyBirds).toISOString()).toBe(localInstant('2026-11-25', '14:00', 'Europe/Lisbon').toISOString());
    // Tuesday 16:00 + 24 h = Wednesday 16:00, after 15:00 → Thursday 07:00.
    const later = localInstant('2026-11-24', '16:00', 'Europe/Lisbon');
    expect(reminderTime(later, 24, 'Europe/Lisbon', earlyBirds).toISOString()).toBe(localInstant('2026-11-26', '07:00', 'Europe/Lisbon').toISOString());
  });

  it('always reminds inside working hours on a weekday, never before the prompt (property)', () => {
    const zones = ['UTC', 'Europe/Lisbon', 'Asia/Kolkata', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 96 }),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 23 }).chain((start) => fc.record({ start: fc.constant(start), end: fc.integer({ min: start + 1, max: 24 }) })),
        (due, hours, zone, working) => {
          const at = reminderTime(due, hours, zone, working);
          const local = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' }).formatToParts(at);
          const hour = Number(local.find((p) => p.type === 'hour')!.value);
          const weekday = local.find((p) => p.type === 'weekday')!.value;
          expect(hour).toBeGreaterThanOrEqual(working.start);
          expect(hour).toBeLessThan(working.end);
          expect(['Sat', 'Sun']).not.toContain(weekday);
          expect(at.getTime()).toBeGreaterThanOrEqual(due.getTime() + hours * 3_600_000);
        },
      ),
    );
  });

  it('counts a streak of answered periods from the latest', () => {
    expect(streak(['answered', 'answered', 'skipped', 'answered'])).toBe(2);
    expect(streak(['sent', 'answered'])).toBe(0);
    expect(streak([])).toBe(0);
  });
});
