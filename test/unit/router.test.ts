import { describe, expect, it } from 'vitest';
import type { Interaction } from '../../src/chat/interaction';
import type { Feature, HandlerContext } from '../../src/chat/feature';
import { typed } from '../../src/chat/ui';
import { Router } from '../../src/chat/router';

const installed: Interaction = {
  kind: 'installed',
  origin: { platform: 'teams', workspaceId: 't1', conversationId: 'a:1', isDirect: true },
  actor: { platform: 'teams', id: '29:ana' },
  idempotencyKey: 'act-1',
};
const say = (text: string) => [{ type: 'reply' as const, message: { summary: text, blocks: [] } }];
const ctx = { org: { id: 'org-1' }, actor: { id: 'p-ana', display_name: 'Ana' } } as HandlerContext;

/** A router over these features, the once-only notifications (the welcome) it recorded, and how often it read a context. */
function routerWith(features: Feature[]) {
  const recorded: string[] = [];
  const contexts = { read: 0 };
  const router = new Router({
    features,
    contextFor: async () => {
      contexts.read += 1;
      return ctx;
    },
    showPeople: async () => ({}),
    exampleColleagues: async () => ['Megan', 'Lee'],
    notifyOnce: async (_orgId, notification) => void recorded.push(notification.dedupeKey!),
    onError: () => {},
  });
  return { router, recorded, contexts };
}
const directory = { lookup: async () => undefined, findByEmails: async () => new Map() };
const summaries = (effects: Awaited<ReturnType<Router['dispatch']>>) => effects.map((e) => e.type === 'reply' && e.message.summary);

describe('the router', () => {
  it('welcomes the person who installed, then hands the install to every feature that takes installs, in the order of the feature list', async () => {
    const { router, recorded } = routerWith([
      { name: 'checkins', help: [], installed: async () => say('your team') },
      { name: 'quiet', help: [] },
      { name: 'people', help: [], installed: async () => say('you are the HR admin') },
    ]);
    expect(summaries(await router.dispatch(installed, directory))).toEqual(['your team', 'you are the HR admin']);
    expect(recorded).toEqual(['welcome:teams:p-ana']);
  });

  it('answers an install nobody else takes with the welcome alone, not the help', async () => {
    const { router, recorded } = routerWith([{ name: 'quiet', help: ['`/x`'] }]);
    expect(await router.dispatch(installed, directory)).toEqual([]);
    expect(recorded).toEqual(['welcome:teams:p-ana']);
  });

  it('answers an unknown command with the help, its examples naming colleagues of the reader', async () => {
    const { router } = routerWith([{ name: 'kudos', help: [`${typed('kudos @name 20')} · ${typed('feedback request @name @other')}`] }]);
    const command: Interaction = { ...installed, kind: 'command', name: 'nope', text: '', mentions: [] };
    const [reply] = await router.dispatch(command, directory);
    expect(reply?.type === 'reply' && reply.message.blocks).toEqual([
      { type: 'section', text: `Here is what I can do:\n• ${typed('kudos @Megan 20')} · ${typed('feedback request @Megan @Lee')}` },
    ]);
  });

  describe('what comes back through the platform', () => {
    const uuid = '7d0f7c9e-3c1a-4b55-9a57-2a1f0b9a6e01';
    const handled: string[] = [];
    const feature: Feature = {
      name: 'f',
      help: [],
      commands: { say: async ({ text }) => say(`said ${text.length}`) },
      actions: { open: async ({ value }) => (handled.push(value ?? ''), say('opened')) },
      forms: { save: async ({ state }) => (handled.push(state.id ?? ''), say('saved')) },
    };
    const action = (value: string | undefined): Interaction => ({ ...installed, kind: 'action', actionId: 'open', ...(value === undefined ? {} : { value }) });
    const form = (state: Record<string, string>, more: Partial<Interaction> = {}): Interaction =>
      ({ ...installed, kind: 'form_submit', formId: 'save', values: {}, state, ...more }) as Interaction;
    const CANNOT_FIND = "I couldn't find that. It may have been removed, or the message it came from is out of date.";

    it('hands a button its id, and a form its state, when each is a uuid', async () => {
      const { router } = routerWith([feature]);
      expect(summaries(await router.dispatch(action(uuid), directory))).toEqual(['opened']);
      expect(summaries(await router.dispatch(action(undefined), directory))).toEqual(['opened']);
      expect(summaries(await router.dispatch(form({ id: uuid }), directory))).toEqual(['saved']);
      expect(handled).toEqual([uuid, '', uuid]);
    });

    it('answers an id that is no uuid, oversized, or unreadable with "I couldn\'t find that", before any look-up and without the handler', async () => {
      handled.length = 0;
      const { router, contexts } = routerWith([feature]);
      const tampered = [
        action('not-an-id'),
        action(`${uuid}'; drop table kudos; --`),
        action(uuid.repeat(100)),
        form({ id: '42' }),
        form({ id: uuid, other: '{"a":1}' }),
        form({ id: uuid }, { unreadable: true }),
      ];
      for (const interaction of tampered) {
        expect(await router.dispatch(interaction, directory)).toEqual([
          { type: 'reply', message: { summary: CANNOT_FIND, blocks: [{ type: 'section', text: CANNOT_FIND }] } },
        ]);
      }
      expect(handled).toEqual([]);
      expect(contexts.read).toBe(0);
    });

    it('answers a button or form nobody owns the same way, not with the help', async () => {
      const { router } = routerWith([feature]);
      expect(summaries(await router.dispatch({ ...action(uuid), actionId: 'checkin.forged' } as Interaction, directory))).toEqual([CANNOT_FIND]);
      expect(summaries(await router.dispatch({ ...form({}), formId: 'forged' } as Interaction, directory))).toEqual([CANNOT_FIND]);
    });

    it('refuses a command longer than any command needs, with the limit, before reading its context', async () => {
      const { router, contexts } = routerWith([feature]);
      const command = (text: string): Interaction => ({ ...installed, kind: 'command', name: 'say', text, mentions: [] });
      expect(summaries(await router.dispatch(command('x'.repeat(2_000)), directory))).toEqual(['said 2000']);
      expect(contexts.read).toBe(1);
      expect(summaries(await router.dispatch(command('x'.repeat(2_001)), directory))).toEqual([
        `That's more than I can read in one go: please keep what you type after ${typed('say')} to 2,000 characters or fewer (yours has 2,001).`,
      ]);
      expect(contexts.read).toBe(1);
    });
  });
});
