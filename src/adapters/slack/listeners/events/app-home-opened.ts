import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { slackDirectory } from '../../directory';
import { applyEffects } from '../../effects';
import { personalEvent } from '../../interactions';
import { isLateRepeat } from './late-repeat';

/** Opening the app's Home tab publishes that person's home, as it is now; the Messages tab needs nothing. */
export function appHomeOpened(router: Router) {
  return async ({ event, body, client, context }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    if (event.tab !== 'home' || isLateRepeat(context)) return;
    const interaction = { kind: 'home' as const, ...personalEvent(body, event.user, event.channel) };
    const effects = await router.dispatch(interaction, slackDirectory(client));
    await applyEffects(effects, { client, userId: event.user, origin: interaction.origin });
  };
}
