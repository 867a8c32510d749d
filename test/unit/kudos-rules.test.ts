import { describe, expect, it } from 'vitest';
import { Invalid } from '../../src/chat/errors';
import { allowanceMonth, allowancePeriod, checkMessage, checkPoints, chooseValue } from '../../src/features/recognition/kudos.rules';

const VALUES = ['teamwork', 'integrity', 'excellence', 'growth', 'respect'];

describe('kudos rules', () => {
  it('resets the allowance on the 1st in the giver’s own timezone', () => {
    const instant = new Date('2026-12-01T03:30:00Z');
    expect(allowancePeriod(instant, 'UTC')).toBe('2026-12');
    expect(allowancePeriod(instant, 'America/Los_Angeles')).toBe('2026-11');
    expect(allowancePeriod(new Date('2026-11-30T14:30:00Z'), 'Pacific/Auckland')).toBe('2026-12');
  });

  it('bounds "this month" by midnight on the 1st in the person’s own timezone, across a DST change', () => {
    expect(allowanceMonth(new Date('2026-11-30T23:30:00Z'), 'Asia/Tokyo')).toEqual({
      from: new Date('2026-11-30T15:00:00Z'),
      to: new Date('2026-12-31T15:00:00Z'),
    });
    // New York leaves summer time on Sunday, November 1st, 2026.
    expect(allowanceMonth(new Date('2026-11-15T12:00:00Z'), 'America/New_York')).toEqual({
      from: new Date('2026-11-01T04:00:00Z'),
      to: new Date('2026-12-01T05:00:00Z'),
    });
  });

  it('refuses, before any SQL, points no month allows and numbers too large to be exact', () => {
    expect(() => checkPoints([101], 1, Number.POSITIVE_INFINITY, 100)).toThrow("That's more than the 100 points anyone can give in a month");
    expect(() => checkPoints([1e20], 1, Number.POSITIVE_INFINITY, 100)).toThrow(Invalid);
    expect(checkPoints([100], 1, Number.POSITIVE_INFINITY, 100)).toBe(100);
  });

  it('falls back to UTC for a timezone it does not know', () => {
    expect(allowancePeriod(new Date('2026-12-01T03:30:00Z'), 'Mars/Olympus')).toBe('2026-12');
  });

  it('charges points per recipient and refuses more than what is left, at the points field', () => {
    expect(checkPoints([20], 2, 40, 100)).toBe(20);
    expect(checkPoints([], 3, 0, 100)).toBe(0);
    expect(() => checkPoints([21], 2, 40, 100)).toThrowError(/40 of 100 points left.*21 each for 2 people makes 42/);
    expect(() => checkPoints([1], 1, 0, 100)).toThrowError(/used all 100/);
    try {
      checkPoints([0], 1, 10, 100);
    } catch (error) {
      expect(error).toBeInstanceOf(Invalid);
      expect((error as Invalid).field).toBe('points');
    }
  });

  it('accepts a header value only from the org’s list, and a message hashtag only when it is one', () => {
    expect(chooseValue(['growth'], [], VALUES)).toBe('growth');
    expect(chooseValue([], ['launch', 'respect'], VALUES)).toBe('respect');
    expect(chooseValue([], ['launch'], VALUES)).toBeUndefined();
    expect(() => chooseValue(['launch'], [], VALUES)).toThrowError(/#launch isn't one of your company values/);
  });

  it('needs a message, and not an essay', () => {
    expect(checkMessage('  thanks  ')).toBe('thanks');
    expect(() => checkMessage('   ')).toThrowError(/Add a few words/);
    expect(() => checkMessage('x'.repeat(1001))).toThrowError('Please keep this to 1,000 characters or fewer; it has 1,001.');
  });
});
