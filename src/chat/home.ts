import type { Feature, Handler, HandlerContext, NotifyOnce } from './feature';
import type { Block, Message } from './ui';

/**
 * A person's home and their welcome, put together from what each feature contributes (its
 * `home` section and its `tryThis`), so a new capability adds its part without touching this file.
 */

/** Every feature's section, in the features' order. */
async function sections(features: Feature[], ctx: HandlerContext): Promise<Block[]> {
  return (await Promise.all(features.map((f) => f.home?.(ctx) ?? []))).flat();
}

const triesOf = (features: Feature[]) => features.flatMap((f) => (f.tryThis ? [f.tryThis] : []));

async function homeMessage(features: Feature[], ctx: HandlerContext): Promise<Message> {
  const buttons = triesOf(features).map((t) => t.button);
  return {
    summary: 'Your home',
    blocks: [
      { type: 'header', text: `Hi ${ctx.actor.display_name}` },
      ...(buttons.length > 0 ? [{ type: 'actions' as const, buttons }] : []),
      ...(await sections(features, ctx)),
    ],
  };
}

/** What the bot does and the first things to try, each with its button, then the person's home as it is now. */
async function welcomeMessage(features: Feature[], ctx: HandlerContext): Promise<Message> {
  return {
    summary: 'Welcome to HEPO',
    blocks: [
      {
        type: 'section',
        text: `👋 Hi **${ctx.actor.display_name}**, I'm HEPO. I bring recognition, check-ins, 1:1s and private feedback into the chat you already use. What you write privately stays between you and the people it is for.`,
      },
      { type: 'section', text: '**Things to try:**' },
      ...triesOf(features).flatMap((t): Block[] => [
        { type: 'section', text: t.text },
        { type: 'actions', buttons: [t.button] },
      ]),
      { type: 'context', text: 'Say `home` to me any time to see where you stand, or `help` for all I can do.' },
      ...(await sections(features, ctx)),
    ],
  };
}

/** The router's own answers to a person opening their home and to the app being installed for them. */
export function homeHandlers(features: Feature[], notifyOnce: NotifyOnce) {
  const show: Handler<'home'> = async (_interaction, ctx) => [{ type: 'show_home', message: await homeMessage(features, ctx) }];

  /**
   * Platforms repeat installs (a retried activity; Teams also says "added to the chat" next to
   * "installed"): the welcome goes through the outbox under one key per person and platform, so it is
   * recorded, and sent, once.
   */
  const welcome: Handler<'installed'> = async ({ origin, actor }, ctx) => {
    await notifyOnce(ctx.org.id, {
      dedupeKey: `welcome:${origin.platform}:${ctx.actor.id}`,
      platform: origin.platform,
      target: { kind: 'person', workspaceId: origin.workspaceId, personId: ctx.actor.id, platformUserId: actor.id },
      message: await welcomeMessage(features, ctx),
    });
    return [];
  };

  return { show, welcome };
}
