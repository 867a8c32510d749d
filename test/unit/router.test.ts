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

/** A router over these features, and the once-only notifications (the welcome) it recorded. */
function routerWith(features: Feature[]) {
  const recorded: string[] = [];
  const router = new Router({
    features,
    contextFor: async () => ctx,
    showPeople: async () => ({}),
    exampleColleagues: async () => ['Megan', 'Lee'],
    notifyOnce: async (_orgId, notification) => void recorded.push(notification.dedupeKey!),
    onError: () => {},
  });
  return { router, recorded };
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
});
