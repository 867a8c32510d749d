import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { slackDirectory } from '../../directory';
import { applyEffects } from '../../effects';
import { blockActionInteraction, buttonSource } from '../../interactions';
import { ackFirst, decideInTurn } from '../ack-first';

export function buttonClick(router: Router) {
  return async ({ body, ack, client }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs) => {
    await ackFirst(ack);
    const interaction = blockActionInteraction(body);
    if (!interaction) return;
    const effects = await decideInTurn(() => router.dispatch(interaction, slackDirectory(client)));
    await applyEffects(effects, {
      client,
      userId: body.user.id,
      origin: interaction.origin,
      triggerId: body.trigger_id,
      responseUrl: body.response_url,
      source: buttonSource(body),
    });
  };
}
