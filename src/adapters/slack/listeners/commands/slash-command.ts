import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Effect } from '../../../../chat/effects';
import type { Router } from '../../../../chat/router';
import { slackDirectory } from '../../directory';
import { applyEffects } from '../../effects';
import { commandInteraction } from '../../interactions';
import { renderMessage } from '../../render';

/** Slack waits 3 s for the acknowledgement; an answer ready within this goes in it. */
const ANSWER_IN_ACK_MS = 2_000;

function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Every slash command. The feature's decision normally takes milliseconds, so the private answer
 * goes in the acknowledgement itself: nothing is acknowledged before it is stored, and a busy bot
 * slows its answers instead of piling up work it already said yes to. Anything slower, and forms
 * (which need the trigger), are answered after an empty acknowledgement.
 */
export function slashCommand(router: Router) {
  return async ({ command, ack, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const interaction = commandInteraction(command);
    const work = router.dispatch(interaction, slackDirectory(client));
    const early: Effect[] | undefined = await within(work, ANSWER_IN_ACK_MS);
    const [only] = early ?? [];
    if (early?.length === 1 && (only?.type === 'reply' || only?.type === 'done')) {
      await ack({ response_type: 'ephemeral', ...renderMessage(only.message) });
      return;
    }
    await ack();
    await applyEffects(early ?? (await work), {
      client,
      userId: command.user_id,
      origin: interaction.origin,
      triggerId: command.trigger_id,
      respond,
    });
  };
}
