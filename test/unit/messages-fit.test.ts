import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderMessage as renderSlack } from '../../src/adapters/slack/render';
import { cardBytes, renderMessage as renderTeams, TEAMS_LIMITS } from '../../src/adapters/teams/render';
import { type Block, type Button, channelRef, type Form, type FormField, type Message, type People, personRef, typed } from '../../src/chat/ui';
import { slackProblems, teamsProblems } from '../support/message-limits';

/** People a message may name: with an account on the platform, without one, with hostile names. */
const PEOPLE: People = {
  p1: { name: 'Ana Lopez', userId: 'UANA' },
  p2: { name: '<!channel> & <@UEVIL>', userId: 'UBEN' },
  p3: { name: 'Cy "the" `Admin` 😀' },
};

/** Pieces of text people write, the hostile ones included. */
const piece = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 20, unit: 'grapheme' }),
  fc.constantFrom(
    '<!here>',
    '<!channel>',
    '<!everyone>',
    '<!subteam^S1|@team>',
    '<@U0BAD>',
    '<#C0BAD|general>',
    '<https://evil.example|claim your bonus>',
    '[bonus](https://evil.example)',
    '&lt;!here&gt;',
    '&amp;',
    '&',
    '<',
    '>',
    '**',
    '_',
    '`',
    '\n',
    '• ',
    '😀',
    '\u0000\u001f"\\',
    personRef('p1'),
    personRef('p2'),
    personRef('p3'),
    personRef('nobody'),
    channelRef('CKUDOS'),
    typed('kudos @name 20'),
  ),
);

/** Short or long text: pieces, sometimes repeated into thousands of characters. */
const text = fc
  .tuple(fc.array(piece, { maxLength: 12 }), fc.oneof(fc.constant(1), fc.constant(1), fc.integer({ min: 2, max: 400 })))
  .map(([pieces, times]) => pieces.join('').repeat(times));

/** Text a feature writes in a form (its title, labels, choices): bounded by the feature, hostile all the same. */
const formText = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(''));

const id = fc.stringMatching(/^[a-z][a-z0-9.-]{0,30}$/);

const button: fc.Arbitrary<Button> = fc.record(
  { actionId: id, label: text, value: id, style: fc.constantFrom('primary' as const, 'danger' as const), opensForm: fc.boolean() },
  { requiredKeys: ['actionId', 'label'] },
);

const field: fc.Arbitrary<FormField> = fc.oneof(
  fc.record({
    id,
    label: formText,
    kind: fc.constantFrom('text' as const, 'multiline' as const),
    maxLength: fc.integer({ min: 1, max: 3000 }),
    initial: formText,
  }),
  fc.record({ id, label: formText, kind: fc.constant('rating' as const), min: fc.constant(1), max: fc.integer({ min: 2, max: 10 }) }),
  fc.record({
    id,
    label: formText,
    kind: fc.constant('choice' as const),
    options: fc.array(fc.record({ value: id, label: formText }), { minLength: 1, maxLength: 8 }),
  }),
);

const form: fc.Arbitrary<Form> = fc.record({
  formId: id,
  title: formText,
  submitLabel: formText,
  intro: formText,
  fields: fc.array(field, { maxLength: 4 }),
  state: fc.dictionary(id, id, { maxKeys: 3 }),
});

const block: fc.Arbitrary<Block> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('section' as const), text }) },
  fc.record({ type: fc.constant('header' as const), text }),
  fc.record({ type: fc.constant('context' as const), text }),
  fc.record({ type: fc.constant('fields' as const), fields: fc.array(fc.record({ label: text, value: text }), { maxLength: 25 }) }),
  { weight: 2, arbitrary: fc.record({ type: fc.constant('actions' as const), buttons: fc.array(button, { minLength: 1, maxLength: 30 }) }) },
);

/** Any message a feature could build: many blocks, long texts, many buttons, hostile text, a form or two. */
const message: fc.Arbitrary<Message> = fc
  .record({
    summary: text,
    blocks: fc.array(block, { maxLength: 130 }),
    forms: fc.array(fc.record({ form, open: button }), { maxLength: 2 }),
    named: fc.boolean(),
  })
  .map(({ summary, blocks, forms, named }) => ({
    summary,
    blocks: [...forms.map((f) => ({ type: 'form_entry' as const, ...f })), ...blocks],
    ...(named ? { people: PEOPLE } : {}),
  }));

describe('every message the renderers can produce fits its platform', () => {
  it('in Slack: at most 50 blocks (100 in the Home tab), every text within its limit, nothing live that a person wrote', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(slackProblems(m)).toEqual([]);
        expect(slackProblems(m, 'home')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('in Teams: an Adaptive Card 1.5 of at most 6 actions and 28 KB', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(teamsProblems(m)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('what does not fit is cut, and the message says so', () => {
  const many = (n: number, make: (i: number) => Block): Block[] => Array.from({ length: n }, (_, i) => make(i));

  it('Slack: blocks past 50 give way to a last line saying more did not fit', () => {
    const { blocks } = renderSlack({ summary: 's', blocks: many(80, (i) => ({ type: 'section', text: `line ${i}` })) });
    expect(blocks).toHaveLength(50);
    expect(JSON.stringify(blocks.at(-1))).toContain("doesn't fit in one message (31 more parts)");
  });

  it('Slack: a long section ends in an ellipsis, never in half a mention or an escaped character', () => {
    const sectionText = (m: Message) => (renderSlack(m).blocks[0] as unknown as { text: { text: string } }).text.text;
    const mention = `${'x'.repeat(2996)}${personRef('p1')} & more`;
    expect(sectionText({ summary: 's', blocks: [{ type: 'section', text: mention }], people: PEOPLE })).toBe(`${'x'.repeat(2996)}…`);
    expect(sectionText({ summary: 's', blocks: [{ type: 'section', text: `${'x'.repeat(2997)}& more` }] })).toBe(`${'x'.repeat(2997)}…`);
  });

  it('Slack: fields and buttons past a block’s share go on in the next block rather than being dropped', () => {
    const { blocks } = renderSlack({
      summary: 's',
      blocks: [
        { type: 'fields', fields: Array.from({ length: 12 }, (_, i) => ({ label: `L${i}`, value: `V${i}` })) },
        { type: 'actions', buttons: Array.from({ length: 30 }, (_, i) => ({ actionId: `a${i}`, label: `B${i}` })) },
      ],
    }) as { blocks: Array<{ fields?: unknown[]; elements?: unknown[] }> };
    expect(blocks.map((b) => (b.fields ?? b.elements)!.length)).toEqual([10, 2, 25, 5]);
  });

  it('Teams: buttons past 6 are left out with a line that says so; a form keeps its submit', () => {
    const formEntry: Block = {
      type: 'form_entry',
      form: { formId: 'f', title: 'F', submitLabel: 'Send', fields: [{ id: 'q', kind: 'text', label: 'Q', maxLength: 100 }] },
      open: { actionId: 'open', label: 'Open' },
    };
    const card = renderTeams({
      summary: 's',
      blocks: [formEntry, { type: 'actions', buttons: Array.from({ length: 8 }, (_, i) => ({ actionId: `a${i}`, label: `B${i}` })) }],
    });
    expect(card.actions!.map((a) => a.title)).toEqual(['Send', 'B0', 'B1', 'B2', 'B3', 'B4']);
    expect(JSON.stringify(card.body.at(-1))).toContain('3 more buttons than a Teams card holds');
  });

  it('Teams: a card over 28 KB keeps what fits of its content and says the rest is left out', () => {
    const card = renderTeams({
      summary: 's',
      blocks: many(40, (i) => ({ type: 'section', text: `${personRef(i % 2 ? 'p1' : 'p3')} ${'y'.repeat(900)} ${i}` })),
      people: PEOPLE,
    });
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
    expect(card.body.length).toBeGreaterThan(5);
    expect(JSON.stringify(card.body.at(-1))).toContain('the rest of this message, longer than a Teams card holds');
    expect(card.msteams?.entities.map((e) => e.mentioned.id)).toEqual(['UANA']);
  });

  it('Teams: a form too big to carry its message along drops the copy first, and keeps all its content', () => {
    const form: Form = { formId: 'f', title: 'F', submitLabel: 'Send', fields: [{ id: 'q', kind: 'text', label: 'Q', maxLength: 100 }] };
    const m: Message = {
      summary: 's',
      blocks: [...many(8, () => ({ type: 'section', text: 'z'.repeat(1000) })), { type: 'form_entry', form, open: { actionId: 'o', label: 'O' } }],
    };
    const card = renderTeams(m);
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);
    expect(card.actions![0]!.data).toEqual({ formId: 'f', hepoForm: form });
    expect(card.body.filter((e) => e.type === 'TextBlock')).toHaveLength(8);
  });
});
