import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { type Removals, workspaceOf } from './app-uninstalled';

/** Tokens were revoked: the bot's means the app can no longer act there, as if uninstalled; people's own leave the bot's alone. */
export function tokensRevoked(removals: Removals) {
  return async ({ event, context }: SlackEventMiddlewareArgs<'tokens_revoked'> & AllMiddlewareArgs) => {
    const workspace = workspaceOf(context);
    if ((event.tokens.bot ?? []).length > 0) await removals.uninstalled(workspace);
    else if ((event.tokens.oauth ?? []).length > 0) await removals.userTokensRevoked(workspace, event.tokens.oauth ?? []);
  };
}
