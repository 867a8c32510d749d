import { describe, expect, it } from 'vitest';
import { readCardData, readInvokeData } from '../../src/adapters/teams/card-data';
import {
  activityKey,
  attachedFile,
  cardActionKey,
  cardInteraction,
  commandOf,
  FILE_DOWNLOAD_INFO,
  installedOf,
  originOf,
  textWithoutBot,
} from '../../src/adapters/teams/interactions';

/** Activities as Teams sends them: partial next to the SDK's types. */
const a = (activity: object) => activity as Parameters<typeof commandOf>[0];

const bot = { id: '28:bot', name: 'HEPO' };
const ana = { id: '29:ana', name: 'Ana Lopez' };
const ben = { id: '29:ben', name: 'Ben' };
const mention = (m: { id: string; name: string }) => ({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: m });

const base = {
  id: 'act-1',
  from: { id: '29:giver', name: 'Gina' },
  recipient: bot,
  conversation: { id: '19:c@thread.tacv2;messageid=1', conversationType: 'channel', tenantId: 't1' },
  channelData: { tenant: { id: 't1' } },
};

describe('Teams messages as commands', () => {
  it('drops the bot mention, takes the first word as the command and marks the other mentions, in order', () => {
    const activity = {
      ...base,
      type: 'message',
      text: '<at>HEPO</at> Kudos <at>Ana Lopez</at> <at>Ben</at> 20 #teamwork thanks',
      entities: [mention(bot), mention(ana), mention(ben), { type: 'clientInfo', locale: 'en-US' }],
    };
    expect(commandOf(a(activity), ['kudos'])).toEqual({
      kind: 'command',
      name: 'kudos',
      text: '{mention:0} {mention:1} 20 #teamwork thanks',
      mentions: [
        { platform: 'teams', id: '29:ana' },
        { platform: 'teams', id: '29:ben' },
      ],
      origin: { platform: 'teams', workspaceId: 't1', conversationId: '19:c@thread.tacv2;messageid=1', isDirect: false, channelId: '19:c@thread.tacv2' },
      actor: { platform: 'teams', id: '29:giver' },
      idempotencyKey: 'act-1',
    });
  });

  it('reads a personal chat without mentions, a slash and non-breaking spaces', () => {
    const activity = {
      ...base,
      type: 'message',
      text: '/kudos&nbsp;',
      conversation: { id: 'a:1', conversationType: 'personal' },
      channelData: {},
    };
    expect(commandOf(a(activity), ['kudos'])).toMatchObject({ name: 'kudos', text: '', mentions: [], origin: { workspaceId: 'local', isDirect: true } });
  });

  it('tells two people of the same name apart by the entities, in order, and keeps a tag no entity explains as its name', () => {
    const sam1 = { id: '29:sam-1', name: 'Sam' };
    const sam2 = { id: '29:sam-2', name: 'Sam' };
    const activity = {
      ...base,
      type: 'message',
      text: 'kudos <at>Sam</at> <at>Sam</at> <at>Zed</at> thanks <at>Sam</at>',
      entities: [mention(sam1), mention(sam2), mention(sam1)],
    };
    expect(commandOf(a(activity), ['kudos'])).toMatchObject({
      text: '{mention:0} {mention:1} Zed thanks {mention:0}',
      mentions: [
        { platform: 'teams', id: '29:sam-1' },
        { platform: 'teams', id: '29:sam-2' },
      ],
    });
  });

  it('leaves unknown words and empty messages to the help reply', () => {
    expect(commandOf(a({ ...base, text: 'hello there' }), ['kudos'])).toBeUndefined();
    expect(commandOf(a({ ...base, text: '<at>HEPO</at>', entities: [mention(bot)] }), ['kudos'])).toBeUndefined();
    expect(textWithoutBot(a({ ...base, text: '<at>HEPO</at> help', entities: [mention(bot)] }))).toBe('help');
  });

  it('takes the tenant from channel data when the conversation lacks it', () => {
    expect(originOf(a({ ...base, conversation: { id: 'c', conversationType: 'groupChat' } })).workspaceId).toBe('t1');
  });

  it('names the channel a message in a channel thread belongs to, and none in a group chat or 1:1 chat', () => {
    const inChannel = { ...base, channelData: { tenant: { id: 't1' }, team: { id: '19:team@thread.tacv2' }, channel: { id: '19:c@thread.tacv2' } } };
    expect(originOf(a(inChannel))).toMatchObject({ conversationId: '19:c@thread.tacv2;messageid=1', isDirect: false, channelId: '19:c@thread.tacv2' });
    expect(originOf(a({ ...base, conversation: { id: '19:chat@thread.v2', conversationType: 'groupChat' } }))).not.toHaveProperty('channelId');
    expect(originOf(a({ ...base, conversation: { id: 'a:1', conversationType: 'personal' } }))).not.toHaveProperty('channelId');
  });
});

describe('Teams card actions as interactions', () => {
  it('turns a form submission into form_submit with the state the form carried', () => {
    const data = readCardData(
      { formId: 'f', hepoForm: { formId: 'f', title: 'T', submitLabel: 'S', fields: [], state: { cycle: 'c1' } }, note: 'hi' },
      'submit:f',
    )!;
    expect(cardInteraction(a(base), data, 'k1')).toMatchObject({
      kind: 'form_submit',
      formId: 'f',
      values: { note: 'hi' },
      state: { cycle: 'c1' },
      idempotencyKey: 'k1',
    });
  });

  it('turns a button into an action with its value', () => {
    const data = readCardData({ actionId: 'kudos.thank', value: 'k9' }, 'kudos.thank')!;
    expect(cardInteraction(a(base), data, 'k2')).toMatchObject({ kind: 'action', actionId: 'kudos.thank', value: 'k9' });
  });

  it('marks card data changed on the way as unreadable, for the router to answer that it can find nothing', () => {
    const form = { formId: 'f', title: 'T', submitLabel: 'S', fields: [], state: { promptId: 'p1' } };
    const unreadable = (data: unknown, verb?: string) => cardInteraction(a(base), readInvokeData(data, verb), 'k').unreadable;
    expect(unreadable({ formId: 'f', hepoForm: form }, 'submit:f')).toBeUndefined();
    expect(unreadable({ actionId: 'kudos.thank', value: 'k9' })).toBeUndefined();
    expect(unreadable({ formId: 'f', hepoForm: { ...form, state: { promptId: 42 } } })).toBe(true);
    expect(unreadable({ formId: 'f', hepoForm: { ...form, state: { promptId: 'p'.repeat(101) } } })).toBe(true);
    expect(unreadable({ formId: 'f', hepoForm: { ...form, formId: 'other' } })).toBe(true);
    expect(unreadable({ formId: 'f', hepoForm: 'tampered' })).toBe(true);
    expect(unreadable({ formId: 'f', hepoForm: form, hepoSource: { activityId: 7 } })).toBe(true);
    expect(unreadable({ actionId: 'kudos.thank', value: { $ne: null } })).toBe(true);
    expect(unreadable({ actionId: 'x'.repeat(101) })).toBe(true);
    expect(unreadable('nonsense')).toBe(true);
    expect(unreadable({}, 'kudos.thank')).toBeUndefined();
  });

  it('keys an Action.Execute by the card and the clicker, so clicking twice is one submission', () => {
    expect(cardActionKey(a({ ...base, replyToId: 'm1' }))).toBe('card:m1:29:giver');
    expect(cardActionKey(a({ ...base, id: 'act-2', replyToId: 'm1' }))).toBe('card:m1:29:giver');
    expect(cardActionKey(a({ ...base, from: { id: '29:other', name: 'O' }, replyToId: 'm1' }))).toBe('card:m1:29:other');
    expect(cardActionKey(a(base))).toBe('act-1');
  });

  it('keys an activity without an id by what it says, where, from whom and when: the same delivery twice is one key', () => {
    const { id: _none, ...noId } = { ...base, type: 'message', text: 'kudos 10 thanks', timestamp: '2026-12-01T10:00:00.000Z' };
    const key = activityKey(a(noId));
    expect(key).toMatch(/^content:/);
    expect(activityKey(a({ ...noId }))).toBe(key);
    for (const other of [
      { text: 'kudos 20 thanks' },
      { timestamp: '2026-12-01T10:00:01.000Z' },
      { from: { id: '29:other', name: 'O' } },
      { value: { x: 1 } },
    ]) {
      expect(activityKey(a({ ...noId, ...other })), JSON.stringify(other)).not.toBe(key);
    }
  });
});

describe('Teams files and installs', () => {
  const personal = { ...base, conversation: { id: 'a:1', conversationType: 'personal', tenantId: 't1' } };

  it('finds the file a message carries and where to download it', () => {
    const file = { contentType: FILE_DOWNLOAD_INFO, name: 'chart.csv', content: { downloadUrl: 'https://x.test/d', uniqueId: 'u', fileType: 'csv' } };
    expect(attachedFile(a({ ...personal, attachments: [{ contentType: 'text/html', content: '<p/>' }, file] }))).toEqual({
      name: 'chart.csv',
      downloadUrl: 'https://x.test/d',
    });
    expect(attachedFile(a({ ...personal, attachments: [{ contentType: 'text/html', content: '<p/>' }] }))).toBeUndefined();
  });

  it('takes an install for the person themselves, whichever of its two activities Teams sends', () => {
    const installed = installedOf(a({ ...personal, type: 'installationUpdate', action: 'add' }));
    expect(installed).toMatchObject({ kind: 'installed', actor: { platform: 'teams', id: '29:giver' }, origin: { conversationId: 'a:1', isDirect: true } });
    expect(installedOf(a({ ...personal, type: 'conversationUpdate', membersAdded: [{ id: '28:bot' }] }))).toMatchObject({ kind: 'installed' });
  });

  it('takes no install into a team or a group chat, no upgrade, no removal and no one else joining for one', () => {
    const group = { ...base, conversation: { id: '19:g', conversationType: 'groupChat', tenantId: 't1' } };
    expect(installedOf(a({ ...base, type: 'installationUpdate', action: 'add' }))).toBeUndefined();
    expect(installedOf(a({ ...group, type: 'conversationUpdate', membersAdded: [{ id: '28:bot' }] }))).toBeUndefined();
    expect(installedOf(a({ ...personal, type: 'installationUpdate', action: 'add-upgrade' }))).toBeUndefined();
    expect(installedOf(a({ ...personal, type: 'installationUpdate', action: 'remove' }))).toBeUndefined();
    expect(installedOf(a({ ...base, type: 'conversationUpdate', membersAdded: [{ id: '29:ana' }] }))).toBeUndefined();
  });
});
