import type { AllMiddlewareArgs, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { slackDirectory } from '../../directory';
import { applyEffects } from '../../effects';
import { shortcutInteraction } from '../../interactions';
import { ackFirst, decideInTurn } from '../ack-first';

/** A global shortcut is an action whose id is its callback_id (set in manifests/slack.yaml). */
export function globalShortcut(router: Router) {
  return async ({ shortcut, ack, client }: SlackShortcutMiddlewareArgs<GlobalShortcut> & AllMiddlewareArgs) => {
    await ackFirst(ack);
    const interaction = shortcutInteraction(shortcut);
    const effects = await decideInTurn(() => router.dispatch(interaction, slackDirectory(client)));
    await applyEffects(effects, { client, userId: shortcut.user.id, origin: interaction.origin, triggerId: shortcut.trigger_id });
  };
}
