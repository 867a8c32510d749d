import { describe, expect, it } from 'vitest';
import { linkCodeHash, newLinkCode, recordsInWords } from '../../src/features/people/org-link.rules';

describe('org link codes', () => {
  it('are two groups of four letters and digits that cannot be read as one another', () => {
    const codes = Array.from({ length: 200 }, newLinkCode);
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('are looked up by a hash that ignores case, spaces and the dash, and never holds the code', () => {
    const hash = linkCodeHash('ABCD-EFGH');
    expect(linkCodeHash('abcd efgh')).toBe(hash);
    expect(linkCodeHash(' abcdefgh ')).toBe(hash);
    expect(linkCodeHash('ABCD-EFGJ')).not.toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('say what records an org has in words, each once', () => {
    expect(recordsInWords(['point_allowances', 'kudos_recipients', 'kudos', 'checkin_teams', 'agenda_items', 'org_imports', 'goal_targets'])).toEqual([
      '1:1s',
      'an org chart import',
      'check-ins',
      'goal targets',
      'kudos',
    ]);
  });
});
