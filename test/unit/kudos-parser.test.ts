import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UserRef } from '../../src/chat/interaction';
import { messageText, parseKudosText } from '../../src/features/recognition/kudos.parser';

const users = (...ids: string[]): UserRef[] => ids.map((id) => ({ platform: 'slack', id }));
const [ana, ben, cy] = users('U1', 'U2', 'U3');
const noName = () => 'nobody';

describe('kudos text parser', () => {
  it('reads mentions, points, a value and the message', () => {
    const parsed = parseKudosText('{mention:0} {mention:1} 20 #teamwork thanks for carrying the launch demo', [ana!, ben!]);
    expect(parsed).toEqual({
      recipients: [ana, ben],
      points: [20],
      headerTags: ['teamwork'],
      bodyTags: [],
      message: ['thanks for carrying the launch demo'],
    });
  });

  it('reads a marker that stands for nobody as a word', () => {
    const parsed = parseKudosText('{mention:0} {mention:7} thanks', [ana!]);
    expect(parsed.recipients).toEqual([ana]);
    expect(messageText(parsed.message, noName)).toBe('{mention:7} thanks');
  });

  it('takes header parts in any order with commas and "and" between names', () => {
    const parsed = parseKudosText('#Respect 5 {mention:0}, {mention:1} and {mention:2} for the calm incident call', [ana!, ben!, cy!]);
    expect(parsed.recipients).toEqual([ana, ben, cy]);
    expect(parsed.points).toEqual([5]);
    expect(parsed.headerTags).toEqual(['respect']);
    expect(messageText(parsed.message, noName)).toBe('for the calm incident call');
  });

  it('counts mentions inside the message as recipients and writes them as names', () => {
    const parsed = parseKudosText('{mention:0} thanks, and {mention:1} too!', [ana!, ben!]);
    expect(parsed.recipients).toEqual([ana, ben]);
    expect(messageText(parsed.message, (user) => (user === ana ? 'Ana' : 'Ben'))).toBe('thanks, and @Ben too!');
  });

  it('does not read numbers inside the message as points, but does read +N there', () => {
    expect(parseKudosText('{mention:0} shipped 3 fixes', [ana!]).points).toEqual([]);
    expect(parseKudosText('{mention:0} shipped 3 fixes +10', [ana!]).points).toEqual([10]);
    expect(parseKudosText('{mention:0} 5 shipped +10', [ana!]).points).toEqual([5]);
  });

  it('keeps hashtags of the message as text and reports them apart from header tags', () => {
    const parsed = parseKudosText('{mention:0} great #launch work, very #excellence', [ana!]);
    expect(parsed.headerTags).toEqual([]);
    expect(parsed.bodyTags).toEqual(['launch', 'excellence']);
    expect(messageText(parsed.message, noName)).toBe('great #launch work, very #excellence');
  });

  it('reports every header number so a second one can be refused', () => {
    expect(parseKudosText('{mention:0} 5 10 thanks', [ana!]).points).toEqual([5, 10]);
  });

  it('gives an empty result for blank text', () => {
    expect(parseKudosText('   ', [])).toEqual({ recipients: [], points: [], headerTags: [], bodyTags: [], message: [] });
  });

  const word = fc.stringMatching(/^[a-z]{1,8}$/).filter((w) => w !== 'and');
  const userId = fc.stringMatching(/^U[A-Z0-9]{2,8}$/);
  const tag = fc.constantFrom('teamwork', 'integrity', 'excellence', 'growth', 'respect');

  it('recovers what was written, whatever the order of the header (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(userId, { minLength: 1, maxLength: 4 }),
        fc.option(fc.integer({ min: 1, max: 999 }), { nil: undefined }),
        fc.option(tag, { nil: undefined }),
        fc.array(word, { minLength: 1, maxLength: 8 }),
        fc.infiniteStream(fc.nat()),
        (ids, points, value, words, shuffle) => {
          const header = [...ids.map((_, i) => `{mention:${i}}`), ...(points ? [String(points)] : []), ...(value ? [`#${value}`] : [])];
          const order = header.map((h) => [shuffle.next().value, h] as const).sort((a, b) => a[0] - b[0]);
          const message = words.join(' ');
          const parsed = parseKudosText(`${order.map(([, h]) => h).join(' ')} ${message}`, users(...ids));
          expect(parsed.recipients.map((r) => r.id).sort()).toEqual([...ids].sort());
          expect(parsed.points).toEqual(points ? [points] : []);
          expect(parsed.headerTags).toEqual(value ? [value] : []);
          expect(messageText(parsed.message, noName)).toBe(message);
        },
      ),
    );
  });

  it('never throws and never invents recipients on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const parsed = parseKudosText(text, [ana!]);
        expect(parsed.recipients).toEqual(parsed.recipients.length > 0 ? [ana] : []);
        if (parsed.recipients.length > 0) expect(text).toContain('{mention:0}');
        for (const p of parsed.points) expect(Number.isInteger(p) && p >= 0).toBe(true);
      }),
    );
  });
});
