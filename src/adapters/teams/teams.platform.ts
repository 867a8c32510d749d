import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import express from 'express';
import type { Logger } from '../../logger';
import type { PlatformAdapter, PlatformDeps } from '../platform';
import { TeamsBot } from './bot';
import { channelName } from './channels';
import { conversationStore } from './conversations.queries';
import { knownPeople, membership, readableRosters, turnDirectory, turnPeople } from './directory';
import { register as registerInvokes } from './listeners/invokes';
import { register as registerMessages } from './listeners/messages';
import { register as registerUpdates } from './listeners/updates';
import { loopbackOnly } from './local-only';
import { createMessenger } from './messenger';
import { turnReplies } from './replies';
import { teamsSender } from './sender';

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

/** Microsoft Teams through botbuilder's CloudAdapter on POST /api/messages. */
export function createTeamsPlatform(deps: PlatformDeps): PlatformAdapter {
  const { teams } = deps.config;
  const logger = deps.logger.child({ platform: 'teams' });
  if (teams.local) {
    logger.info('Teams: local mode (no MICROSOFT_APP_ID): activities are not authenticated; only loopback callers are accepted');
  }
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: teams.appId,
      MicrosoftAppPassword: teams.appPassword,
      MicrosoftAppType: teams.appType,
      MicrosoftAppTenantId: teams.appTenantId,
    }),
  );
  adapter.onTurnError = onTurnError(logger);
  const store = conversationStore(deps.db);
  const messenger = createMessenger(adapter, store, teams.appId);

  return {
    platform: 'teams',
    sender: teamsSender(messenger, deps.pacer),
    routes: ['/api/messages'],
    async attach(http, router) {
      const bot = new TeamsBot(store);
      registerMessages(bot);
      registerUpdates(bot);
      registerInvokes(bot);
      const guard = teams.local ? [loopbackOnly] : [];
      http.express.post('/api/messages', ...guard, express.json({ limit: '1mb' }), async (req, res) => {
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
            formPeople: async () => [...(teams.local ? await knownPeople(context, store, logger) : []), ...(await people.pickedChoices())],
            isMember: membership(context, store, logger),
            logger,
          });
        });
      });
    },
    async close() {},
  };
}
