import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { renderMessage } from '../../render';
import { isLateRepeat } from './late-repeat';

/**
 * A message someone types to the bot in its Messages tab gets the help rather than silence (the bot
 * works through commands, buttons and forms). Edits, deletions and bots' messages are left alone.
 */
export function directMessage(router: Router) {
  return async ({ event, client, context }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
    if (event.subtype !== undefined || event.channel_type !== 'im' || event.bot_id || isLateRepeat(context)) return;
    await client.chat.postMessage({ channel: event.channel, ...renderMessage(router.help('slack')) });
  };
}
