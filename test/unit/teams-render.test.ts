import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readCardData } from '../../src/adapters/teams/card-data';
import { type AdaptiveCard, renderButton, renderForm, renderMessage, summaryOf } from '../../src/adapters/teams/render';
import { channelRef, type Form, type Message, peopleNamedIn, personRef, textMessage, typed } from '../../src/chat/ui';
import { answerForm, digestMessage, historyMessage, promptMessage, replyMessage, setupForm, skipForm } from '../../src/features/checkins/checkins.views';
import { addPointForm, agendaMessage } from '../../src/features/one-on-ones/one-on-ones.views';
import { feedbackForm, feedbackMessage, requestMessage } from '../../src/features/feedback/feedback.views';
import { confirmationMessage, kudosForm, recipientMessage, recognitionMessage } from '../../src/features/recognition/recognition.views';

// The package's main entry needs a DOM; its UMD bundle parses and validates in Node.
const AC = createRequire(__filename)('adaptivecards/dist/adaptivecards.js');

const NO_CHOICES = 'An Input.ChoiceSet must have at least one choice defined.';

/**
 * Everything the official Adaptive Cards library finds wrong with a card, empty when it is valid.
 * The library predates Teams' people picker, whose choices come from `choices.data` (a Data.Query)
 * with `choices: []` as Microsoft documents it; that one complaint per picker is expected.
 */
function cardProblems(json: AdaptiveCard): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const parse = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message as string);
  const validation = (card.validateProperties().validationEvents as Array<{ message: string }>).map((e) => e.message);
  let pickers = json.body.filter((e) => e['choices.data'] !== undefined && (e.choices as unknown[]).length === 0).length;
  return [...parse, ...validation].filter((problem) => !(problem === NO_CHOICES && pickers-- > 0));
}

const message: Message = {
  summary: 'Gia recognised Ana',
  blocks: [
    { type: 'header', text: 'Kudos' },
    { type: 'section', text: '🎉 **Gia** recognised **Ana** for _teamwork_' },
    { type: 'fields', fields: [{ label: 'Points', value: '20' }] },
    { type: 'context', text: '60 of 100 points left' },
    {
      type: 'actions',
      buttons: [
        { actionId: 'kudos.open_form', label: 'Give kudos', opensForm: true, style: 'primary' },
        { actionId: 'kudos.thank', label: 'Say thanks', value: 'k1', style: 'danger' },
      ],
    },
  ],
};

const form: Form = {
  formId: 'review',
  title: 'Self-assessment',
  submitLabel: 'Send',
  intro: 'You have **40** points left',
  state: { cycle: 'c1' },
  fields: [
    { id: 'who', kind: 'users', multiple: true, label: 'Who', required: true, initial: ['29:a', '29:b'] },
    { id: 'one', kind: 'users', multiple: false, label: 'One person' },
    { id: 'points', kind: 'number', label: 'Points', min: 1, max: 40, initial: 5 },
    { id: 'value', kind: 'choice', label: 'Value', options: [{ value: 'growth', label: '#growth' }], initial: 'growth' },
    { id: 'mood', kind: 'rating', label: 'Mood', min: 1, max: 5 },
    { id: 'due', kind: 'date', label: 'Due', initial: '2026-12-01' },
    { id: 'title', kind: 'text', label: 'Title', placeholder: 'Short', maxLength: 80 },
    { id: 'msg', kind: 'multiline', label: 'Message', required: true, hint: 'Be specific', maxLength: 500 },
  ],
};

const input = (card: AdaptiveCard, id: string) => card.body.find((e) => e.id === id)!;

describe('Teams renderer: messages', () => {
  it('never turns text into a disguised link: a markdown link shows its address', () => {
    const [block] = renderMessage(textMessage('thanks! [claim your bonus](https://evil.example/x)')).body as unknown as Array<{ text: string }>;
    expect(block!.text).toBe('thanks! claim your bonus (https://evil.example/x)');
  });

  it('writes commands to type in bold, without slashes or code, lists as lists and line breaks as Teams shows them', () => {
    const help = textMessage(`Here is what I can do:\n• ${typed('kudos @name 20')} thanks\n• ${typed('checkin')} yours\nSay \`home\` any time.`);
    const [block] = renderMessage(help).body as unknown as Array<{ text: string }>;
    expect(block!.text).toBe('Here is what I can do:\n\n- **kudos @name 20** thanks\r- **checkin** yours\n\nSay **home** any time.');
    expect(summaryOf(textMessage(`Try ${typed('kudos')}`))).toBe('Try kudos');
  });

  it('renders each block as its Adaptive Card element, in order', () => {
    const card = renderMessage(message);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
    expect(card.body).toEqual([
      { type: 'TextBlock', text: 'Kudos', wrap: true, size: 'Large', weight: 'Bolder' },
      { type: 'TextBlock', text: '🎉 **Gia** recognised **Ana** for _teamwork_', wrap: true },
      { type: 'FactSet', facts: [{ title: 'Points', value: '20' }] },
      { type: 'TextBlock', text: '60 of 100 points left', wrap: true, size: 'Small', isSubtle: true },
    ]);
  });

  it('makes a form-opening button open a dialog and any other button an Action.Execute keyed by its action id', () => {
    expect(renderMessage(message).actions).toEqual([
      { type: 'Action.Submit', title: 'Give kudos', data: { msteams: { type: 'task/fetch' }, actionId: 'kudos.open_form' }, style: 'positive' },
      { type: 'Action.Execute', title: 'Say thanks', verb: 'kudos.thank', data: { actionId: 'kudos.thank', value: 'k1' }, style: 'destructive' },
    ]);
    expect(renderButton({ actionId: 'a', label: 'A' })).toEqual({ type: 'Action.Execute', title: 'A', verb: 'a', data: { actionId: 'a' } });
  });

  it('gives a dialog button its value, so the dialog knows what it is about', () => {
    expect(renderButton({ actionId: 'checkin.skip', label: 'Skip', value: 'p1', opensForm: true })).toEqual({
      type: 'Action.Submit',
      title: 'Skip',
      data: { msteams: { type: 'task/fetch' }, actionId: 'checkin.skip', value: 'p1' },
    });
  });

  it('keeps an actions block that more content follows in place, and puts the last one at the bottom', () => {
    const card = renderMessage({
      summary: 'Agenda',
      blocks: [
        { type: 'section', text: 'First point' },
        { type: 'actions', buttons: [{ actionId: 'done', label: 'Done', value: '1' }] },
        { type: 'section', text: 'Second point' },
        { type: 'actions', buttons: [{ actionId: 'done', label: 'Done', value: '2' }] },
        { type: 'actions', buttons: [{ actionId: 'add', label: 'Add', opensForm: true }] },
      ],
    });
    expect(card.body.map((e) => e.type)).toEqual(['TextBlock', 'ActionSet', 'TextBlock', 'ActionSet']);
    expect(card.body[1]).toEqual({ type: 'ActionSet', actions: [renderButton({ actionId: 'done', label: 'Done', value: '1' })] });
    expect(card.actions).toEqual([renderButton({ actionId: 'add', label: 'Add', opensForm: true })]);
  });

  it('mentions the people a message names with <at> tags and an entity each, or shows in bold someone with no Teams account', () => {
    const named: Message = {
      summary: `${personRef('p-gia')} recognised ${personRef('p-ana')} and ${personRef('p-cy')}`,
      blocks: [
        { type: 'section', text: `🎉 ${personRef('p-gia')} recognised ${personRef('p-ana')} and ${personRef('p-cy')}` },
        { type: 'fields', fields: [{ label: 'From', value: personRef('p-gia') }] },
        { type: 'context', text: `Also ${personRef('p-gone')}` },
      ],
      people: { 'p-gia': { name: 'Gia Giver', userId: '29:gia' }, 'p-ana': { name: 'Ana Lopez', userId: '29:ana' }, 'p-cy': { name: 'Cy' } },
    };
    const card = renderMessage(named);
    expect(card.body).toEqual([
      { type: 'TextBlock', text: '🎉 <at>Gia Giver</at> recognised <at>Ana Lopez</at> and **Cy**', wrap: true },
      { type: 'FactSet', facts: [{ title: 'From', value: '<at>Gia Giver</at>' }] },
      { type: 'TextBlock', text: 'Also someone', wrap: true, size: 'Small', isSubtle: true },
    ]);
    // One entity per person, however often the card names them.
    expect(card.msteams).toEqual({
      entities: [
        { type: 'mention', text: '<at>Gia Giver</at>', mentioned: { id: '29:gia', name: 'Gia Giver' } },
        { type: 'mention', text: '<at>Ana Lopez</at>', mentioned: { id: '29:ana', name: 'Ana Lopez' } },
      ],
    });
    // The activity's summary, shown in notifications, is plain text.
    expect(summaryOf(named)).toBe('Gia Giver recognised Ana Lopez and Cy');
    expect(cardProblems(card)).toEqual([]);
    expect(renderMessage(message)).not.toHaveProperty('msteams');
  });

  it('writes a Slack channel a message names as "the channel": a card has no way to link one', () => {
    const card = renderMessage({ summary: `In ${channelRef('C1')}`, blocks: [{ type: 'section', text: `Posted in ${channelRef('C1')}.` }] });
    expect(card.body).toEqual([{ type: 'TextBlock', text: 'Posted in the channel.', wrap: true }]);
    expect(summaryOf({ summary: `In ${channelRef('C1')}`, blocks: [] })).toBe('In the channel');
  });

  it('falls back to the summary for a message without text blocks', () => {
    expect(renderMessage({ summary: 'Hello', blocks: [] }).body).toEqual([{ type: 'TextBlock', text: 'Hello', wrap: true }]);
  });
});

describe('Teams renderer: forms', () => {
  it('renders every field kind as its input, with labels and required markers', () => {
    const card = renderForm(form, { mode: 'inline' });
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'Self-assessment', size: 'Large', weight: 'Bolder' });
    expect(card.body[1]).toMatchObject({ type: 'TextBlock', text: 'You have **40** points left' });
    expect(input(card, 'who')).toEqual({
      type: 'Input.ChoiceSet',
      id: 'who',
      label: 'Who',
      isRequired: true,
      errorMessage: 'Please fill this in.',
      choices: [],
      'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
      isMultiSelect: true,
      value: '29:a,29:b',
    });
    expect(input(card, 'one')).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: false });
    expect(input(card, 'points')).toEqual({ type: 'Input.Number', id: 'points', label: 'Points', min: 1, max: 40, value: 5 });
    expect(input(card, 'value')).toEqual({
      type: 'Input.ChoiceSet',
      id: 'value',
      label: 'Value',
      style: 'compact',
      choices: [{ title: '#growth', value: 'growth' }],
      value: 'growth',
    });
    expect(input(card, 'mood')).toMatchObject({ type: 'Input.ChoiceSet', style: 'expanded' });
    expect(input(card, 'mood').choices).toEqual([1, 2, 3, 4, 5].map((n) => ({ title: String(n), value: String(n) })));
    expect(input(card, 'due')).toEqual({ type: 'Input.Date', id: 'due', label: 'Due', value: '2026-12-01' });
    expect(input(card, 'title')).toEqual({ type: 'Input.Text', id: 'title', label: 'Title', placeholder: 'Short', maxLength: 80 });
    expect(input(card, 'msg')).toMatchObject({ type: 'Input.Text', isMultiline: true, isRequired: true });
    const hint = card.body[card.body.indexOf(input(card, 'msg')) + 1];
    expect(hint).toMatchObject({ type: 'TextBlock', text: 'Be specific', isSubtle: true, size: 'Small' });
  });

  it('lists people in pickers where Teams has no directory search to offer (Agents Playground)', () => {
    const people = [
      { id: 'user-id-1', name: 'Megan Bowen' },
      { id: 'user-id-2', name: 'Adele Vance' },
    ];
    const card = renderForm(form, { mode: 'inline', people });
    expect(input(card, 'who').choices).toEqual([
      { title: 'Megan Bowen', value: 'user-id-1' },
      { title: 'Adele Vance', value: 'user-id-2' },
    ]);
    expect(input(card, 'who')['choices.data']).toEqual({ type: 'Data.Query', dataset: 'graph.microsoft.com/users' });
  });

  it('submits inline forms with Action.Execute and dialogs with Action.Submit, carrying the form along', () => {
    const inline = renderForm(form, { mode: 'inline' });
    expect(inline.actions).toEqual([
      { type: 'Action.Execute', title: 'Send', verb: 'submit:review', data: { formId: 'review', hepoForm: form }, style: 'positive' },
    ]);
    const dialog = renderForm(form, { mode: 'dialog' });
    expect(dialog.actions).toEqual([{ type: 'Action.Submit', title: 'Send', data: { formId: 'review', hepoForm: form }, style: 'positive' }]);
    // A dialog has its own title bar.
    expect(dialog.body[0]).toMatchObject({ text: 'You have **40** points left' });
  });

  it('shows errors under their fields, a notice at the top, and what was entered instead of the initial values', () => {
    const card = renderForm(form, {
      mode: 'inline',
      values: { who: ['29:c'], points: '12', msg: 'Great work', value: undefined },
      errors: { points: 'You have 10 points left.', elsewhere: 'Something about the whole form.' },
      notice: 'Please try again.',
    });
    expect(card.body.slice(1, 3)).toEqual([
      { type: 'TextBlock', text: 'Please try again.', wrap: true, color: 'Attention' },
      { type: 'TextBlock', text: 'Something about the whole form.', wrap: true, color: 'Attention' },
    ]);
    const points = card.body.indexOf(input(card, 'points'));
    expect(card.body[points + 1]).toEqual({
      type: 'TextBlock',
      text: 'You have 10 points left.',
      wrap: true,
      color: 'Attention',
      size: 'Small',
      spacing: 'None',
    });
    expect(input(card, 'points').value).toBe(12);
    expect(input(card, 'who').value).toBe('29:c');
    expect(input(card, 'msg').value).toBe('Great work');
    // A field left empty stays empty: the initial value is not brought back.
    expect(input(card, 'value').value).toBeUndefined();
    expect(input(card, 'due').value).toBeUndefined();
  });

  it('reads back what a submitted card carries: values by field, people pickers split into ids, the form state', () => {
    const submit = renderForm(form, { mode: 'dialog' }).actions![0]!;
    const data = { ...(submit.data as object), who: '29:a, 29:b', one: '29:c', points: 7, msg: 'Thanks', title: '' };
    expect(readCardData(data)).toEqual({
      kind: 'form',
      formId: 'review',
      form,
      values: { who: ['29:a', '29:b'], one: '29:c', points: '7', msg: 'Thanks', title: undefined },
      carried: {},
    });
    expect(readCardData({ msteams: { type: 'task/fetch' }, actionId: 'kudos.open_form' })).toEqual({
      kind: 'action',
      actionId: 'kudos.open_form',
      value: undefined,
    });
    expect(readCardData({ who: '29:a' }, 'submit:review')).toMatchObject({ kind: 'form', formId: 'review', form: undefined });
    expect(readCardData({}, 'kudos.thank')).toEqual({ kind: 'action', actionId: 'kudos.thank', value: undefined });
    expect(readCardData('nonsense')).toBeUndefined();
  });
});

describe('Teams renderer: forms that keep a draft', () => {
  const drafted: Form = {
    formId: 'review.self',
    title: 'Self-assessment',
    submitLabel: 'Submit',
    draft: { label: 'Save draft' },
    fields: [
      { id: 'strengths', kind: 'multiline', label: 'Strengths', required: true, maxLength: 2000, initial: 'What I wrote last week.' },
      { id: 'rating', kind: 'choice', label: 'How did it go?', required: true, options: [{ value: '3', label: '3 · Met' }], initial: '3' },
    ],
  };

  it('carries what a person wrote once, in its input, not again in each of its two actions', () => {
    const card = renderForm(drafted, { mode: 'dialog' });
    expect(JSON.stringify(card).split('What I wrote last week.').length - 1).toBe(1);
    for (const action of card.actions!) {
      const read = readCardData(action.data);
      expect(read).toMatchObject({ kind: 'form', formId: 'review.self' });
      expect((read as { form: Form }).form.fields.map((f) => f.id)).toEqual(['strengths', 'rating']);
    }
    expect(readCardData(card.actions![1]!.data)).toMatchObject({ draft: true });
  });

  it('lets "Save draft" go with required inputs empty, says which are required, and says by its buttons what closing costs', () => {
    const card = renderForm(drafted, { mode: 'inline' });
    const inputs = card.body.filter((e) => String(e.type).startsWith('Input.'));
    expect(inputs.map((e) => [e.label, e.isRequired])).toEqual([
      ['Strengths (required)', undefined],
      ['How did it go? (required)', undefined],
    ]);
    expect(card.body.at(-1)).toMatchObject({
      text: 'Only “Save draft” keeps what you enter here for later: closing this without it discards your changes since the last save.',
    });
    const plain = renderForm({ ...drafted, draft: undefined }, { mode: 'inline' });
    expect(plain.body.filter((e) => e.isRequired).length).toBe(2);
    expect(JSON.stringify(plain)).not.toContain('closing this');
  });
});

describe('Teams renderer: forms inside messages (form_entry)', () => {
  const entry: Form = {
    formId: 'checkin.answer',
    title: 'Check-in',
    submitLabel: 'Submit',
    intro: 'Only you and your manager see your answers.',
    state: { promptId: 'p1' },
    fields: [
      { id: 'q1', kind: 'rating', label: 'Mood', min: 1, max: 5, required: true },
      { id: 'q2', kind: 'multiline', label: 'What went well?', maxLength: 2000 },
    ],
  };
  const prompt: Message = {
    summary: 'Time for your check-in',
    blocks: [
      { type: 'section', text: 'Hi Ana, time for your check-in.' },
      { type: 'form_entry', form: entry, open: { actionId: 'checkin.start', label: 'Start check-in', value: 'p1', opensForm: true } },
      {
        type: 'actions',
        buttons: [
          { actionId: 'checkin.skip', label: 'Skip this time', value: 'p1', opensForm: true },
          { actionId: 'checkin.snooze', label: 'Snooze 2 hours', value: 'p1' },
        ],
      },
    ],
  };

  it('shows the inputs in the card, with a submit that carries the form and the message, and no button to open it', () => {
    const card = renderMessage(prompt);
    expect(card.body.map((e) => e.type)).toEqual(['TextBlock', 'TextBlock', 'Input.ChoiceSet', 'Input.Text']);
    expect(card.body[1]).toMatchObject({ text: 'Only you and your manager see your answers.', isSubtle: true });
    expect(input(card, 'q1')).toMatchObject({ style: 'expanded', isRequired: true });
    expect(card.actions![0]).toEqual({
      type: 'Action.Execute',
      title: 'Submit',
      verb: 'submit:checkin.answer',
      data: { formId: 'checkin.answer', hepoForm: entry, hepoMessage: prompt },
      style: 'positive',
    });
    expect(card.actions!.map((a) => a.title)).toEqual(['Submit', 'Skip this time', 'Snooze 2 hours']);
  });

  it('lets the other buttons of a card with inputs ignore them, so a required rating left empty blocks only the submit', () => {
    const [, skip, snooze] = renderMessage(prompt).actions!;
    expect(skip).toMatchObject({ type: 'Action.Submit', associatedInputs: 'none', data: { actionId: 'checkin.skip', value: 'p1' } });
    expect(snooze).toMatchObject({ type: 'Action.Execute', associatedInputs: 'none', verb: 'checkin.snooze' });
    // Cards without inputs keep their buttons plain.
    expect(renderMessage(message).actions!.every((a) => !('associatedInputs' in a))).toBe(true);
  });

  it('puts the submit in place when more content follows the form', () => {
    const open = { actionId: 'checkin.start', label: 'Start check-in', opensForm: true };
    const card = renderMessage({
      summary: 's',
      blocks: [
        { type: 'form_entry', form: entry, open },
        { type: 'context', text: 'Later' },
      ],
    });
    expect(card.body.map((e) => e.type)).toEqual(['TextBlock', 'Input.ChoiceSet', 'Input.Text', 'ActionSet', 'TextBlock']);
    expect(card.actions).toBeUndefined();
  });

  it('shows the message again with what was entered, errors at the fields and a notice, and carries on what it carried', () => {
    const carry = { source: { activityId: 'm1', conversationId: 'a:1' } };
    const card = renderMessage(prompt, { values: { q1: '9', q2: 'Shipped' }, errors: { q1: 'Pick a number from 1 to 5.' }, notice: 'Not yours.', carry });
    expect(card.body[0]).toMatchObject({ text: 'Hi Ana, time for your check-in.' });
    expect(card.body[1]).toMatchObject({ text: 'Not yours.', color: 'Attention' });
    expect(input(card, 'q1').value).toBe('9');
    expect(card.body[card.body.indexOf(input(card, 'q1')) + 1]).toMatchObject({ text: 'Pick a number from 1 to 5.', color: 'Attention' });
    expect(input(card, 'q2').value).toBe('Shipped');
    expect(card.actions![0]!.data).toMatchObject({ hepoSource: carry.source });
  });

  it('reads back the submitted message, and what a form carried, ignoring what is malformed', () => {
    const submit = renderMessage(prompt).actions![0]!;
    expect(readCardData({ ...(submit.data as object), q1: '4' }, submit.verb as string)).toEqual({
      kind: 'form',
      formId: 'checkin.answer',
      form: entry,
      values: { q1: '4' },
      message: prompt,
      carried: {},
    });
    const carried = renderForm(entry, {
      mode: 'dialog',
      carry: { source: { activityId: 'm1', conversationId: 'a:1' }, origin: { conversationId: '19:c' } },
    }).actions![0]!.data;
    expect(readCardData(carried)).toMatchObject({ carried: { source: { activityId: 'm1', conversationId: 'a:1' }, origin: { conversationId: '19:c' } } });
    expect(readCardData({ ...(carried as object), hepoSource: { activityId: 7 }, hepoOrigin: 'x', hepoMessage: { summary: 's', blocks: [] } })).toMatchObject({
      carried: {},
    });
    expect(readCardData({ ...(carried as object), hepoMessage: { summary: 's', blocks: [] } })).not.toHaveProperty('message');
  });
});

/** The message with everyone it names shown as a Teams user, as the delivery job fills it in. */
const shown = (m: Message): Message => ({ ...m, people: Object.fromEntries(peopleNamedIn(m).map((id) => [id, { name: `Name ${id}`, userId: `29:${id}` }])) });

describe('Teams cards pass the official Adaptive Cards validation', () => {
  const recipients = [
    { id: 'ana', name: 'Ana' },
    { id: 'ben', name: 'Ben' },
  ];
  const view = { giverId: 'gia', recipients, pointsEach: 20, value: 'teamwork', message: 'Thanks for the demo' };
  const cards: Array<[string, AdaptiveCard]> = [
    ['a message with every block', renderMessage(message)],
    ['the recognition post', renderMessage(shown(recognitionMessage(view)))],
    ['the recipient note', renderMessage(shown(recipientMessage(view)))],
    ...(['conversation', 'recognition_channel', 'nowhere'] as const).map((where): [string, AdaptiveCard] => [
      `the giver's confirmation (${where})`,
      renderMessage(
        confirmationMessage(
          view,
          { left: 60, allowance: 100 },
          where === 'recognition_channel' ? { in: where, channel: '**Contoso › Recognition**' } : { in: where },
        ),
      ),
    ]),
    ['the kudos form inline', renderForm(kudosForm(['teamwork', 'growth'], 80, 100), { mode: 'inline' })],
    ['the kudos form in a dialog', renderForm(kudosForm(['teamwork'], 0, 100), { mode: 'dialog' })],
    ['every field kind', renderForm(form, { mode: 'inline' })],
    ['a form with errors and values', renderForm(form, { mode: 'dialog', values: { points: '3' }, errors: { points: 'Too many' }, notice: 'No' })],
    ['a form listing people (local mode)', renderForm(form, { mode: 'inline', people: [{ id: 'user-id-1', name: 'Megan Bowen' }] })],
    ...checkinCards(),
  ];

  it.each(cards)('%s', (_name, card) => {
    expect(cardProblems(card)).toEqual([]);
  });

  it('the check does catch a broken card', () => {
    const broken = {
      ...renderForm(form, { mode: 'inline' }),
      body: [
        { type: 'Input.Text', id: 'x', isRequired: true },
        { type: 'Input.ChoiceSet', id: 'y', label: 'Y', choices: [] },
      ],
    };
    expect(cardProblems(broken)).toEqual(['Required inputs should have a label', 'Required inputs should have an error message', NO_CHOICES]);
  });
});

function checkinCards(): Array<[string, AdaptiveCard]> {
  const questions = [
    { id: 'q1', kind: 'rating' as const, prompt: 'How are you feeling?', options: ['5'] },
    { id: 'q2', kind: 'text' as const, prompt: 'What went well?', options: null },
    { id: 'q3', kind: 'choice' as const, prompt: 'Workload?', options: ['light', 'fine', 'heavy'] },
  ];
  const period = '2026-11-27';
  const prompt = (reminder: boolean) => promptMessage({ name: 'Ana', period, promptId: 'p1', reminder, form: answerForm('p1', period, questions) });
  return [
    ['the check-in prompt with its questions', renderMessage(prompt(false))],
    ['the check-in reminder, shown again with errors', renderMessage(prompt(true), { values: { q1: '3' }, errors: { q2: 'Too long' }, notice: 'No' })],
    ['the skip form in a dialog', renderForm(skipForm('p1'), { mode: 'dialog' })],
    [
      'the setup form',
      renderForm(setupForm({ managerId: 'm', memberIds: ['29:a'], every: 'week', weekday: 5, localTime: '15:00', questions: 'Q' }), { mode: 'inline' }),
    ],
    [
      'the digest',
      renderMessage(
        shown(
          digestMessage({
            period,
            trend: [4, 3.5],
            rows: [
              { promptId: 'p1', personId: 'ana', name: 'Ana', state: 'answered', mood: { value: 4, max: 5 }, blockers: 'keys' },
              { promptId: 'p2', personId: 'ben', name: 'Ben', state: 'skipped', skipReason: 'sick' },
              { promptId: undefined, personId: 'cy', name: 'Cy', state: 'away' },
            ],
          }),
        ),
      ),
    ],
    ['a reply about a check-in', renderMessage(shown(replyMessage({ fromId: 'maya', period, text: 'Thanks', promptId: 'p1' })))],
    ['the history', renderMessage(historyMessage({ rows: [{ id: 'p1', period, status: 'answered' }], streak: 1, canSetUp: true }))],
    [
      'a 1:1 agenda',
      renderMessage(
        shown(
          agendaMessage({
            oneOnOneId: 'o',
            withId: 'ana',
            when: 'Mon',
            reminder: false,
            items: [
              { id: 'i1', text: 'A', authorId: 'ana' },
              { id: 'i2', text: 'B', authorId: 'maya' },
            ],
          }),
        ),
      ),
    ],
    ['the talking point form', renderForm(addPointForm('o', 'Ana'), { mode: 'dialog' })],
    ['the feedback form', renderForm(feedbackForm({ recipient: '29:a', requestId: 'r', topic: 'the launch' }), { mode: 'inline' })],
    ['a feedback note', renderMessage(shown(feedbackMessage({ fromId: 'gia', kind: 'praise', text: 'Great', feedbackId: 'f1' })))],
    ['a feedback request', renderMessage(shown(requestMessage({ fromId: 'gia', topic: 'the launch', requestId: 'r' })))],
  ];
}
