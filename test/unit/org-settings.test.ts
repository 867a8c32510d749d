import { describe, expect, it } from 'vitest';
import { refusalOf } from '../support/refusals';
import { readSettings } from '../../src/features/admin/settings.rules';

const form = { values: 'Teamwork, #craft,  kindness, teamwork', allowance: '250', channel: 'C1', timezone: 'Europe/Lisbon', work_start: '8', work_end: '17' };
const read = (values: Record<string, string | undefined>, asksChannel = true) => readSettings(values, { recognitionChannel: 'CKEEP' }, asksChannel);
const refusal = (values: Record<string, string | undefined>) => refusalOf(() => read(values));

describe('org settings from the form', () => {
  it('reads values as the hashtags kudos use, once each, and the rest as given', () => {
    expect(read(form)).toEqual({
      companyValues: ['teamwork', 'craft', 'kindness'],
      monthlyAllowance: 250,
      recognitionChannel: 'C1',
      defaultTimezone: 'Europe/Lisbon',
      workStartHour: 8,
      workEndHour: 17,
    });
  });

  it('keeps the recognition channel where the form has none to pick (Teams)', () => {
    expect(read({ ...form, channel: undefined }, false).recognitionChannel).toBe('CKEEP');
    expect(read({ ...form, channel: undefined }, true).recognitionChannel).toBeNull();
  });

  it('refuses each bad value at its field', () => {
    expect(refusal({ ...form, values: ' , ' })).toEqual(['values', 'Name at least one company value, like `teamwork, integrity`.']);
    expect(refusal({ ...form, values: 'team work' })?.[0]).toBe('values');
    expect(refusal({ ...form, allowance: '0' })).toEqual(['allowance', 'The monthly allowance is a whole number from 1 to 10,000.']);
    expect(refusal({ ...form, allowance: '10001' })?.[0]).toBe('allowance');
    expect(refusal({ ...form, allowance: '2.5' })?.[0]).toBe('allowance');
    expect(refusal({ ...form, timezone: 'Mars/Olympus' })).toEqual([
      'timezone',
      '"Mars/Olympus" is not a timezone I know. Use an IANA name, like Europe/Lisbon.',
    ]);
    expect(refusal({ ...form, work_start: '18', work_end: '9' })).toEqual(['work_end', 'The working day must end after it starts.']);
    expect(refusal({ ...form, work_start: '9', work_end: '9' })?.[0]).toBe('work_end');
    expect(refusal({ ...form, work_end: '25' })?.[0]).toBe('work_end');
  });
});
