import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { slackDirectory } from '../../directory';
import { applyEffects, viewAcknowledgement } from '../../effects';
import { sentFile } from '../../files';
import { modalSource, submittedFileId, viewSubmissionInteraction } from '../../interactions';

/**
 * Form submissions are decided before the ack, because errors must go back in the ack itself.
 * A form with a file is the exception: fetching and reading it can take longer than the 3 s Slack
 * gives, so its modal closes at once and the whole answer follows as private messages.
 */
export function viewSubmission(router: Router) {
  return async ({ body, ack, client, logger }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const fileId = submittedFileId(body.view);
    if (fileId) await ack();
    const file = fileId ? await sentFile(client, fileId, (error) => logger.warn(`Slack: could not fetch file ${fileId}: ${String(error)}`)) : undefined;
    const interaction = viewSubmissionInteraction(body, file);
    let effects = await router.dispatch(interaction, slackDirectory(client));
    if (!fileId) {
      const firstInput = body.view.blocks.find((b) => b.type === 'input')?.block_id;
      const { ack: answer, after } = viewAcknowledgement(effects, firstInput, interaction.origin);
      await ack(answer);
      effects = after;
    }
    await applyEffects(effects, { client, userId: body.user.id, origin: interaction.origin, source: modalSource(body.view) });
  };
}
