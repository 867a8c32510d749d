import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import express from 'express';
import type { TeamsConfig } from '../../config';
import type { Logger } from '../../logger';
import type { PlatformAdapter, PlatformDeps } from '../platform';
import { TeamsBot } from './bot';
import { channelName } from './channels';
import { conversationStore } from './conversations.queries';
import { DOWNLOADS_PATH, teamsDownloads } from './downloads';
import { downloadLinks } from './downloads.queries';
import { knownPeople, membership, readableRosters, turnDirectory, turnPeople } from './directory';
import { register as registerInvokes } from './listeners/invokes';
import { register as registerMessages } from './listeners/messages';
import { register as registerUpdates } from './listeners/updates';
import { tenantOf } from './interactions';
import { loopbackOnly } from './local-only';
import { createMessenger } from './messenger';
import { turnReplies } from './replies';
import { teamsSender } from './sender';

/** Teams with something to answer to: local mode or credentials. */
export type LiveTeamsConfig = Exclude<TeamsConfig, { mode: 'off' }>;

const APOLOGY = 'Sorry, something went wrong on my side. Please try again in a moment.';

/** Logs a failed turn with its context and tells the person, briefly; never a stack trace. */
function onTurnError(logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const { activity } = context;
    logger.error(
      { err: error, activityType: activity.type, name: activity.name, activityId: activity.id, conversationId: activity.conversation?.id },
      'Teams turn failed',
    );
    try {
      if (activity.type === 'invoke') {
        const body = activity.name?.startsWith('task/')
          ? { task: { type: 'message', value: APOLOGY } }
          : { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: APOLOGY };
        await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
      } else if (activity.type === 'message') {
        await context.sendActivity(APOLOGY);
      }
    } catch (sendError) {
      logger.warn({ err: sendError }, 'Teams: could not send the apology');
    }
  };
}

/** Local mode is an empty app id: botbuilder then does no authentication, in or out. */
const credentials = (teams: LiveTeamsConfig) =>
  teams.mode === 'local'
    ? { MicrosoftAppId: '', MicrosoftAppPassword: '' }
    : { MicrosoftAppId: teams.appId, MicrosoftAppPassword: teams.appPassword, MicrosoftAppType: teams.appType, MicrosoftAppTenantId: teams.appTenantId };

/**
 * Microsoft Teams through botbuilder's CloudAdapter on POST /api/messages. Authenticated, botbuilder
 * answers 401 to an activity without a valid Bot Framework token before any listener sees it.
 */
export function createTeamsPlatform(deps: PlatformDeps & { teams: LiveTeamsConfig }): PlatformAdapter {
  const { teams } = deps;
  const local = teams.mode === 'local';
  const logger = deps.logger.child({ platform: 'teams' });
  if (local) {
    logger.info('Teams: local mode: activities are not authenticated; only callers on this machine, not through a proxy, are accepted');
  }
  const auth = credentials(teams);
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(auth));
  adapter.onTurnError = onTurnError(logger);
  const store = conversationStore(deps.db);
  const messenger = createMessenger(adapter, store, auth.MicrosoftAppId);
  const downloads = teamsDownloads(downloadLinks(deps.db), deps.clock);

  return {
    platform: 'teams',
    sender: teamsSender(messenger, deps.pacer),
    routes: ['/api/messages', DOWNLOADS_PATH],
    async attach(http, router) {
      const bot = new TeamsBot(store);
      registerMessages(bot);
      registerUpdates(bot);
      registerInvokes(bot);
      const guard = local ? [loopbackOnly] : [];
      http.express.get(`${DOWNLOADS_PATH}/:id`, ...guard, downloads.serve);
      http.express.post('/api/messages', ...guard, express.json({ limit: http.bodyLimitBytes }), async (req, res) => {
        // Local mode is called from this machine: the address it was called at is one a browser here reaches.
        const baseUrl = deps.config.publicUrl ?? (local && req.headers.host ? `http://${req.headers.host}` : undefined);
        await adapter.process(req, res, (context) => {
          const people = turnPeople(context, store, messenger, logger);
          return bot.run(context, {
            router,
            directory: {
              ...turnDirectory(context, people, () => readableRosters(context, store, logger), logger),
              channelName: (channelId) => channelName(context, channelId, logger),
            },
            people,
            replies: turnReplies(context, messenger, logger),
            // Those picked in a form it shows again stay, by name.
            formPeople: async () => [...(local ? await knownPeople(context, store, logger) : []), ...(await people.pickedChoices())],
            isMember: membership(context, store, logger),
            filesFor: (message, files) => downloads.card({ tenantId: tenantOf(context.activity), userId: context.activity.from.id, baseUrl, message, files }),
            logger,
          });
        });
      });
    },
    async close() {},
  };
}
