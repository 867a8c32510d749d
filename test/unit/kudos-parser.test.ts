import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageText, parseKudosText } from '../../src/features/recognition/kudos.parser';

describe('kudos text parser', () => {
  it('reads Slack mentions, points, a value and the message', () => {
    const parsed = parseKudosText('<@U1> <@U2|ben> 20 #teamwork thanks for carrying the launch demo');
    expect(parsed).toEqual({
      recipients: ['U1', 'U2'],
      points: [20],
      headerTags: ['teamwork'],
      bodyTags: [],
      message: ['thanks for carrying the launch demo'],
    });
  });

  it('reads Teams <at> mentions using the entities in order, even with the same name twice', () => {
    const parsed = parseKudosText('<at>Ana Lopez</at> <at>Sam</at> <at>Sam</at> +15 #growth great pairing', [
      { text: '<at>Ana Lopez</at>', userId: '29:ana' },
      { text: '<at>Sam</at>', userId: '29:sam-1' },
      { text: '<at>Sam</at>', userId: '29:sam-2' },
    ]);
    expect(parsed.recipients).toEqual(['29:ana', '29:sam-1', '29:sam-2']);
    expect(parsed.points).toEqual([15]);
    expect(parsed.headerTags).toEqual(['growth']);
    expect(messageText(parsed.message, () => undefined)).toBe('great pairing');
  });

  it('takes header parts in any order with commas and "and" between names', () => {
    const parsed = parseKudosText('#Respect 5 <@U1>, <@U2> and <@U3> for the calm incident call');
    expect(parsed.recipients).toEqual(['U1', 'U2', 'U3']);
    expect(parsed.points).toEqual([5]);
    expect(parsed.headerTags).toEqual(['respect']);
    expect(messageText(parsed.message, () => undefined)).toBe('for the calm incident call');
  });

  it('counts mentions inside the message as recipients and writes them as names', () => {
    const parsed = parseKudosText('<@U1> thanks, and <@U2> too!');
    expect(parsed.recipients).toEqual(['U1', 'U2']);
    expect(messageText(parsed.message, (id) => ({ U1: 'Ana', U2: 'Ben' })[id])).toBe('thanks, and @Ben too!');
  });

  it('does not read numbers inside the message as points, but does read +N there', () => {
    expect(parseKudosText('<@U1> shipped 3 fixes').points).toEqual([]);
    expect(parseKudosText('<@U1> shipped 3 fixes +10').points).toEqual([10]);
    expect(parseKudosText('<@U1> 5 shipped +10').points).toEqual([5]);
  });

  it('keeps hashtags of the message as text and reports them apart from header tags', () => {
    const parsed = parseKudosText('<@U1> great #launch work, very #excellence');
    expect(parsed.headerTags).toEqual([]);
    expect(parsed.bodyTags).toEqual(['launch', 'excellence']);
    expect(messageText(parsed.message, () => undefined)).toBe('great #launch work, very #excellence');
  });

  it('reports every header number so a second one can be refused', () => {
    expect(parseKudosText('<@U1> 5 10 thanks').points).toEqual([5, 10]);
  });

  it('gives an empty result for blank text', () => {
    expect(parseKudosText('   ')).toEqual({ recipients: [], points: [], headerTags: [], bodyTags: [], message: [] });
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
          const header = [...ids.map((id) => `<@${id}>`), ...(points ? [String(points)] : []), ...(value ? [`#${value}`] : [])];
          const order = header.map((h) => [shuffle.next().value, h] as const).sort((a, b) => a[0] - b[0]);
          const message = words.join(' ');
          const parsed = parseKudosText(`${order.map(([, h]) => h).join(' ')} ${message}`);
          expect([...parsed.recipients].sort()).toEqual([...ids].sort());
          expect(parsed.points).toEqual(points ? [points] : []);
          expect(parsed.headerTags).toEqual(value ? [value] : []);
          expect(messageText(parsed.message, () => undefined)).toBe(message);
        },
      ),
    );
  });

  it('never throws and never invents recipients on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const parsed = parseKudosText(text);
        for (const id of parsed.recipients) expect(text).toContain(`<@${id}`);
        for (const p of parsed.points) expect(Number.isInteger(p) && p >= 0).toBe(true);
      }),
    );
  });

  it('treats unknown Teams tags without an entity as names without a recipient (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z ]{1,12}$/), word, (name, w) => {
        const parsed = parseKudosText(`<at>${name}</at> ${w}`);
        expect(parsed.recipients).toEqual([]);
      }),
    );
  });
});
