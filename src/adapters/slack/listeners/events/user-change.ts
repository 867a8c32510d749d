import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { directoryUserOf, slackDirectory, type SlackUser } from '../../directory';
import { workspaceIdOf } from '../../interactions';

/** Profile, status and deactivation changes keep people (and who gets prompts) up to date. */
export function userChange(router: Router) {
  return async ({ event, body, client }: SlackEventMiddlewareArgs<'user_change'> & AllMiddlewareArgs) => {
    const user = event.user as SlackUser & { id: string; team_id?: string };
    await router.dispatch(
      {
        kind: 'profile',
        profile: directoryUserOf(user),
        origin: {
          platform: 'slack',
          workspaceId: workspaceIdOf({
            teamId: body.team_id ?? user.team_id,
            enterpriseId: body.enterprise_id,
            isEnterpriseInstall: body.authorizations?.[0]?.is_enterprise_install,
          }),
          conversationId: user.id,
          isDirect: true,
        },
        actor: { platform: 'slack', id: user.id },
        idempotencyKey: `event:${body.event_id}`,
      },
      slackDirectory(client),
    );
  };
}
