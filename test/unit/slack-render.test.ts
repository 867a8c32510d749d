import type { KnownBlock, ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { mrkdwn, renderHome, renderMessage, renderModal } from '../../src/adapters/slack/render';
import type { ViewSubmitAction } from '@slack/bolt';
import { formValues, neutralText, submittedFileId } from '../../src/adapters/slack/interactions';
import { channelRef, type Form, type Message, personRef, textMessage, typed } from '../../src/chat/ui';

const message: Message = {
  summary: 'Gia recognised Ana',
  blocks: [
    { type: 'header', text: 'Kudos' },
    { type: 'section', text: '🎉 **Gia** recognised **Ana** for _teamwork_ <script>&' },
    { type: 'fields', fields: [{ label: 'Points', value: '20' }] },
    { type: 'context', text: '60 of 100 points left' },
    { type: 'actions', buttons: [{ actionId: 'kudos.open_form', label: 'Give kudos', opensForm: true, style: 'primary', value: 'x' }] },
  ],
};

const form: Form = {
  formId: 'kudos',
  title: 'A title much longer than Slack allows for modals',
  submitLabel: 'Send',
  intro: 'You have **40** points left',
  state: { cycle: 'c1' },
  fields: [
    { id: 'who', kind: 'users', multiple: true, label: 'Who', required: true, initial: ['U1'] },
    { id: 'one', kind: 'users', multiple: false, label: 'One person' },
    { id: 'points', kind: 'number', label: 'Points', min: 1, max: 40, initial: 5 },
    { id: 'value', kind: 'choice', label: 'Value', options: [{ value: 'growth', label: '#growth' }], initial: 'growth' },
    { id: 'mood', kind: 'rating', label: 'Mood', min: 1, max: 5 },
    { id: 'due', kind: 'date', label: 'Due', initial: '2026-12-01' },
    { id: 'title', kind: 'text', label: 'Title', placeholder: 'Short', maxLength: 80 },
    { id: 'msg', kind: 'multiline', label: 'Message', required: true, hint: 'Be specific', maxLength: 500 },
  ],
};

describe('Slack renderer', () => {
  it('turns neutral markdown into mrkdwn and escapes the three characters Slack reserves', () => {
    expect(mrkdwn('**bold** and _it_ <b> & co')).toBe('*bold* and _it_ &lt;b&gt; &amp; co');
  });

  it('writes a command to type as its slash command, in code, and as plain text in the notification text', () => {
    expect(mrkdwn(`Try ${typed('checkin agenda @name add <point>')}`)).toBe('Try `/checkin agenda @name add &lt;point&gt;`');
    expect(renderMessage(textMessage(`Try ${typed('kudos')}`)).text).toBe('Try /kudos');
  });

  it('never makes a channel-wide ping or a link live, written raw or HTML-escaped', () => {
    const written = mrkdwn('hi <!channel> <!here|here> &lt;!everyone&gt; <https://evil.example|bonus>');
    expect(written).not.toMatch(/<!|<http/);
    expect(renderMessage(textMessage('<!here> now')).text).not.toContain('<!');
  });

  it('renders every neutral block as a Block Kit block', () => {
    const { text, blocks } = renderMessage(message);
    const typed: KnownBlock[] = blocks as KnownBlock[];
    expect(text).toBe('Gia recognised Ana');
    expect(typed.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
    expect(typed[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '🎉 *Gia* recognised *Ana* for _teamwork_ &lt;script&gt;&amp;' },
    });
    expect(typed[2]).toMatchObject({ fields: [{ type: 'mrkdwn', text: '*Points*\n20' }] });
    expect(typed[4]).toEqual({
      type: 'actions',
      elements: [{ type: 'button', action_id: 'kudos.open_form', text: { type: 'plain_text', text: 'Give kudos', emoji: true }, value: 'x', style: 'primary' }],
    });
  });

  it('mentions the people a message names, or shows in bold the name of someone with no Slack account', () => {
    const named: Message = {
      summary: `${personRef('p-gia')} recognised ${personRef('p-cy')} & ${personRef('p-ana')}`,
      blocks: [
        { type: 'header', text: `Kudos for ${personRef('p-ana')}` },
        { type: 'section', text: `🎉 ${personRef('p-gia')} recognised ${personRef('p-cy')}, **twice** ${personRef('p-gone')}` },
        { type: 'fields', fields: [{ label: 'From', value: personRef('p-gia') }] },
        { type: 'context', text: `_${personRef('p-ana')}_` },
      ],
      people: { 'p-gia': { name: 'Gia', userId: 'UGIA' }, 'p-ana': { name: 'Ana', userId: 'UANA' }, 'p-cy': { name: 'Cy <3' } },
    };
    const { text, blocks } = renderMessage(named);
    // The notification text: Slack turns <@U…> into the person's name there too.
    expect(text).toBe('<@UGIA> recognised Cy &lt;3 &amp; <@UANA>');
    expect(blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Kudos for Ana', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: '🎉 <@UGIA> recognised *Cy &lt;3*, *twice* someone' } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*From*\n<@UGIA>' }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '_<@UANA>_' }] },
    ]);
  });

  it('links a channel a message names, in its blocks and notification text; a header, plain text, names none', () => {
    const { text, blocks } = renderMessage({
      summary: `Posted in ${channelRef('CKUDOS')}`,
      blocks: [
        { type: 'header', text: `Kudos in ${channelRef('CKUDOS')}` },
        { type: 'section', text: `📣 Posted in ${channelRef('CKUDOS')} for everyone to see.` },
      ],
    });
    expect(text).toBe('Posted in <#CKUDOS>');
    expect(blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Kudos in the channel', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: '📣 Posted in <#CKUDOS> for everyone to see.' } },
    ]);
  });

  it('renders a form as a modal with one input block per field, ids kept for the submission', () => {
    const view = renderModal(form, '{"state":{}}') as ModalView;
    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe('kudos');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.private_metadata).toBe('{"state":{}}');
    const inputs = view.blocks.filter((b) => b.type === 'input');
    expect(inputs.map((b) => [b.block_id, (b as { element: { type: string } }).element.type])).toEqual([
      ['who', 'multi_users_select'],
      ['one', 'users_select'],
      ['points', 'number_input'],
      ['value', 'static_select'],
      ['mood', 'radio_buttons'],
      ['due', 'datepicker'],
      ['title', 'plain_text_input'],
      ['msg', 'plain_text_input'],
    ]);
    expect(inputs.map((b) => (b as { optional: boolean }).optional)).toEqual([false, true, true, true, true, true, true, false]);
    expect(JSON.stringify(inputs[0])).toContain('"initial_users":["U1"]');
    expect(inputs[2]).toMatchObject({ element: { min_value: '1', max_value: '40', initial_value: '5', is_decimal_allowed: false } });
    expect(inputs[3]).toMatchObject({ element: { initial_option: { value: 'growth' } } });
    expect((inputs[4] as { element: { options: unknown[] } }).element.options).toHaveLength(5);
    expect(inputs[7]).toMatchObject({ element: { multiline: true }, hint: { text: 'Be specific' } });
    expect(view.blocks[0]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'You have *40* points left' }] });
  });

  it('renders a file field as a one-file input of the given types, and a channel field as a channel picker', () => {
    const view = renderModal(
      {
        formId: 'f',
        title: 'T',
        submitLabel: 'Go',
        fields: [
          { id: 'file', kind: 'file', label: 'CSV', extensions: ['csv'], required: true },
          { id: 'channel', kind: 'channel', label: 'Channel', initial: 'C9' },
        ],
      },
      '{}',
    ) as ModalView;
    expect(view.blocks.map((b) => (b as { element: unknown }).element)).toEqual([
      { type: 'file_input', action_id: 'file', filetypes: ['csv'], max_files: 1 },
      { type: 'channels_select', action_id: 'channel', initial_channel: 'C9' },
    ]);
  });
});

describe('Slack view submissions', () => {
  const view = (values: Record<string, Record<string, unknown>>) =>
    ({ id: 'V1', callback_id: 'f', private_metadata: '{}', team_id: 'T1', state: { values } }) as unknown as ViewSubmitAction['view'];

  it('read the picked channel as a value and leave the file to the listener', () => {
    const submitted = view({
      channel: { channel: { type: 'channels_select', selected_channel: 'C7' } },
      file: { file: { type: 'file_input', files: [{ id: 'F1', name: 'chart.csv' }] } },
    });
    expect(formValues(submitted)).toEqual({ channel: 'C7', file: undefined });
    expect(submittedFileId(submitted)).toBe('F1');
    expect(submittedFileId(view({ channel: { channel: { type: 'channels_select', selected_channel: 'C7' } } }))).toBeUndefined();
  });
});

describe('Slack text from commands', () => {
  it('turns user mentions into markers with the users they name, and disarms channel-wide pings', () => {
    expect(neutralText('<@U1> thanks <!here> and <!channel> &amp; <#C1|launch> see <https://x.test|the doc> &lt;3')).toEqual({
      text: '{mention:0} thanks @here and @channel & #launch see the doc (https://x.test) <3',
      mentions: [{ platform: 'slack', id: 'U1' }],
    });
  });

  it('names each mentioned user once, with or without the name Slack adds, and leaves a typed-out mention as text', () => {
    expect(neutralText('<@U1> <@U2|ben>, <@U1> and &lt;@U3&gt;')).toEqual({
      text: '{mention:0} {mention:1}, {mention:0} and <@U3>',
      mentions: [
        { platform: 'slack', id: 'U1' },
        { platform: 'slack', id: 'U2' },
      ],
    });
  });

  it('renders a home as a Home tab view, cut at the 100 blocks Slack takes', () => {
    const home = renderHome(message);
    expect(home).toEqual({ type: 'home', blocks: renderMessage(message).blocks });
    const long = renderHome({ summary: 'Your home', blocks: Array.from({ length: 130 }, (_, i) => ({ type: 'section' as const, text: `line ${i}` })) });
    expect(long.blocks).toHaveLength(100);
  });
});
