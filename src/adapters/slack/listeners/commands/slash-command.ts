import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { slackDirectory } from '../../directory';
import { applyEffects } from '../../effects';
import { commandInteraction } from '../../interactions';
import { ackFirst, decideInTurn } from '../ack-first';

/**
 * Every slash command. Acknowledged at once, as Slack asks, so an answer never waits on the
 * database; the feature's answer follows through the command's response_url (private to the person)
 * and forms open with the trigger id, which stays valid for 3 s.
 */
export function slashCommand(router: Router) {
  return async ({ command, ack, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ackFirst(ack);
    const interaction = commandInteraction(command);
    const effects = await decideInTurn(() => router.dispatch(interaction, slackDirectory(client)));
    await applyEffects(effects, {
      client,
      userId: command.user_id,
      origin: interaction.origin,
      triggerId: command.trigger_id,
      responseUrl: command.response_url,
    });
  };
}
