import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { slackDirectory } from '../../directory';
import { applyEffects } from '../../effects';
import { commandInteraction } from '../../interactions';

/** Every slash command: acknowledge at once, then let the owning feature decide. */
export function slashCommand(router: Router) {
  return async ({ command, ack, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const interaction = commandInteraction(command);
    const effects = await router.dispatch(interaction, slackDirectory(client));
    await applyEffects(effects, {
      client,
      userId: command.user_id,
      origin: interaction.origin,
      triggerId: command.trigger_id,
      respond,
    });
  };
}
