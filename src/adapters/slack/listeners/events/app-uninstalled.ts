import type { AllMiddlewareArgs, Context, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { InstalledWorkspace } from '../../installations.queries';

/** What the app does when Slack says it lost a workspace or some of its tokens. */
export interface Removals {
  uninstalled(workspace: InstalledWorkspace): Promise<void>;
  userTokensRevoked(workspace: InstalledWorkspace, userIds: string[]): Promise<void>;
}

export const workspaceOf = (context: Context): InstalledWorkspace => ({
  teamId: context.teamId,
  enterpriseId: context.enterpriseId,
  isEnterpriseInstall: context.isEnterpriseInstall,
});

/** The app was uninstalled from the workspace. Bolt hands this event over without authorizing it: there is no token left to. */
export function appUninstalled(removals: Removals) {
  return async ({ context }: SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs) => {
    await removals.uninstalled(workspaceOf(context));
  };
}
