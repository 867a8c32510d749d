import { describe, expect, it } from 'vitest';
import type { Interaction } from '../../src/chat/interaction';
import { type Feature, type HandlerContext, Router } from '../../src/chat/router';

const installed: Interaction = {
  kind: 'installed',
  origin: { platform: 'teams', workspaceId: 't1', conversationId: 'a:1', isDirect: true },
  actor: { platform: 'teams', id: '29:ana' },
  idempotencyKey: 'act-1',
};
const say = (text: string) => [{ type: 'reply' as const, message: { summary: text, blocks: [] } }];
const routerWith = (features: Feature[]) =>
  new Router({ features, contextFor: async () => ({}) as HandlerContext, onError: () => {} });
const directory = { lookup: async () => undefined, findByEmails: async () => new Map() };

describe('the router', () => {
  it('hands an install to every feature that takes installs, in the order of the feature list', async () => {
    const router = routerWith([
      { name: 'home', help: [], installed: async () => say('welcome') },
      { name: 'quiet', help: [] },
      { name: 'people', help: [], installed: async () => say('you are the HR admin') },
    ]);
    expect((await router.dispatch(installed, directory)).map((e) => e.type === 'reply' && e.message.summary)).toEqual(['welcome', 'you are the HR admin']);
  });

  it('answers an install nobody takes with nothing, not the help', async () => {
    expect(await routerWith([{ name: 'quiet', help: ['`/x`'] }]).dispatch(installed, directory)).toEqual([]);
  });
});
