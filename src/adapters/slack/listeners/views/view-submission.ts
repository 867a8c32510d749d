import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { slackDirectory } from '../../directory';
import { applyEffects, viewAcknowledgement } from '../../effects';
import { modalSource, viewSubmissionInteraction } from '../../interactions';

/** Form submissions are decided before the ack, because errors must go back in the ack itself. */
export function viewSubmission(router: Router) {
  return async ({ body, ack, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const interaction = viewSubmissionInteraction(body);
    const effects = await router.dispatch(interaction, slackDirectory(client));
    const firstInput = body.view.blocks.find((b) => b.type === 'input')?.block_id;
    const { ack: answer, after } = viewAcknowledgement(effects, firstInput, interaction.origin);
    await ack(answer);
    await applyEffects(after, { client, userId: body.user.id, origin: interaction.origin, source: modalSource(body.view) });
  };
}
