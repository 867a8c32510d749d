import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewClosedAction, ViewSubmitAction } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { slackDirectory } from '../../directory';
import { applyEffects } from '../../effects';
import { modalSource, viewSubmissionInteraction } from '../../interactions';

/**
 * A form that keeps a draft asks Slack to say when it is closed (`notify_on_close`): what was
 * entered arrives as a draft submission, saved, and the person is told where to pick it up.
 */
export function viewClosed(router: Router) {
  return async ({ body, ack, client }: SlackViewMiddlewareArgs<ViewClosedAction> & AllMiddlewareArgs) => {
    await ack();
    // A closed view carries the same view (its state included) as a submitted one.
    const interaction = { ...viewSubmissionInteraction(body as unknown as ViewSubmitAction), draft: true };
    const effects = await router.dispatch(interaction, slackDirectory(client));
    await applyEffects(effects, { client, userId: body.user.id, origin: interaction.origin, source: modalSource(body.view) });
  };
}
