import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { directoryUserOf, slackDirectory, type SlackUser } from '../../directory';
import { personalEvent } from '../../interactions';

/** Profile, status and deactivation changes keep people (and who gets prompts) up to date. */
export function userChange(router: Router) {
  return async ({ event, body, client }: SlackEventMiddlewareArgs<'user_change'> & AllMiddlewareArgs) => {
    const user = event.user as SlackUser & { id: string; team_id?: string };
    await router.dispatch({ kind: 'profile', profile: directoryUserOf(user), ...personalEvent(body, user.id, user.id, user.team_id) }, slackDirectory(client));
  };
}
