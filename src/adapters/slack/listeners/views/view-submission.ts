import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { slackDirectory } from '../../directory';
import { type Answerer, applyEffects, viewAcknowledgement } from '../../effects';
import { sentFile } from '../../files';
import { modalSource, submittedFileId, viewSubmissionInteraction } from '../../interactions';
import { workingView } from '../../render';

/**
 * Slack shows the person an error unless a submission is answered within 3 s; this leaves room for the network,
 * and ends before the database's own timeouts (2 s to connect, 2 s a statement, by default): at the same 2 s,
 * a database that does not answer raced them, and the apology came at the form's first field or as "Working on it"
 * by a few milliseconds either way.
 */
const ANSWER_WITHIN_MS = 1_500;

/** The work's result if it is done within `ms`, else undefined (the work goes on). */
function within<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Form submissions are decided before the ack, because errors must go back in the ack itself. When
 * deciding takes too long (a slow database) the modal shows that the work goes on, and its outcome
 * follows as private messages, a next form replacing the modal. A form with a file is answered so
 * at once: fetching and reading the file can take longer than the 3 s Slack gives.
 */
export function viewSubmission(router: Router) {
  return async ({ body, ack, client, logger }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const fileId = submittedFileId(body.view);
    if (fileId) await ack();
    const file = fileId ? await sentFile(client, fileId, (error) => logger.warn(`Slack: could not fetch file ${fileId}: ${String(error)}`)) : undefined;
    const interaction = viewSubmissionInteraction(body, file);
    const work = router.dispatch(interaction, slackDirectory(client));
    const answerer: Answerer = { client, userId: body.user.id, origin: interaction.origin, source: modalSource(body.view) };
    if (fileId) return applyEffects(await work, answerer);
    const inTime = await within(ANSWER_WITHIN_MS, work);
    if (inTime) {
      const firstInput = body.view.blocks.find((b) => b.type === 'input')?.block_id;
      const { ack: answer, after } = viewAcknowledgement(inTime, firstInput, interaction.origin);
      await ack(answer);
      return applyEffects(after, answerer);
    }
    await ack({ response_action: 'update', view: workingView(body.view.title) });
    await applyEffects(await work, { ...answerer, modalId: body.view.id });
  };
}
