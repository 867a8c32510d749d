import { App, ErrorCode, HTTPModuleFunctions, HTTPReceiver, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { DirectListener } from '../../http/server';
import type { Logger } from '../../logger';
import type { PlatformAdapter, PlatformDeps } from '../platform';
import * as actions from './listeners/actions';
import * as commands from './listeners/commands';
import * as events from './listeners/events';
import * as shortcuts from './listeners/shortcuts';
import * as views from './listeners/views';
import { postgresInstallationStore } from './installations.queries';
import { slackSender, webClientOptions } from './sender';

/** The bot scopes the app asks for on install; keep in step with manifests/slack.yaml. */
export const SLACK_BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'im:write',
  // Read back to find a message an uncertain attempt may have sent (see the sender); im:history also
  // brings the messages people type to the bot (message.im).
  'im:history',
  'channels:history',
  'groups:history',
  'users:read',
  // Emails match people to an org chart import; files:read fetches the file it comes in.
  'users:read.email',
  'files:read',
];

/** Events, and (with OAuth) the install page and its redirect. */
const ROUTES = ['/slack/events', '/slack/install', '/slack/oauth_redirect'];

function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'slack' });
  return {
    debug: (...msg) => log.debug(msg.map(String).join(' ')),
    info: (...msg) => log.info(msg.map(String).join(' ')),
    warn: (...msg) => log.warn(msg.map(String).join(' ')),
    error: (...msg) => log.error(msg.map(String).join(' ')),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/** Slack over HTTP (POST /slack/events) or Socket Mode, with one bot token or OAuth installs. */
export function createSlackPlatform({ config, db, logger, pacer }: PlatformDeps): PlatformAdapter | { why: string } {
  const slack = config.slack;
  if (slack.mode === 'off') return { why: slack.why };
  const clientOptions = { ...webClientOptions(slack.apiUrl, pacer), logger: boltLogger(logger) };
  const installations = postgresInstallationStore(db);
  const tokenClient = slack.mode === 'token' ? new WebClient(slack.botToken, clientOptions) : undefined;

  // One Web API client per token, made once (a 429 pauses every message to that workspace: see callWithJson).
  const clients = new Map<string, WebClient>();
  const sender = slackSender(
    async (workspaceId) => {
      if (tokenClient) return tokenClient;
      const token = await installations.botTokenFor(workspaceId);
      if (!token) throw new Error(`Slack workspace ${workspaceId} has no installation`);
      if (!clients.has(token)) clients.set(token, new WebClient(token, clientOptions));
      return clients.get(token)!;
    },
    { pacer, postsPerSecond: slack.postsPerSecond, channelPostsPerSecond: slack.channelPostsPerSecond },
  );

  const oauth =
    slack.mode === 'oauth'
      ? {
          clientId: slack.clientId,
          clientSecret: slack.clientSecret,
          stateSecret: slack.stateSecret,
          scopes: SLACK_BOT_SCOPES,
          installationStore: installations,
          installerOptions: { directInstall: true, clientOptions },
        }
      : {};
  let app: App | undefined;

  return {
    platform: 'slack',
    sender,
    routes: ROUTES,
    async attach(http, router) {
      // convoStore: Bolt's in-memory conversation store is unused here and costs time on every request.
      const common = { logger: clientOptions.logger, clientOptions, convoStore: false as const, ...(slack.mode === 'token' ? { token: slack.botToken } : {}) };
      if (slack.appToken) {
        app = new App({ ...common, ...oauth, socketMode: true, appToken: slack.appToken });
        logger.info('Slack: Socket Mode');
      } else {
        const receiver = new HTTPReceiver({
          signingSecret: slack.signingSecret,
          endpoints: '/slack/events',
          logger: clientOptions.logger,
          ...oauth,
        });
        // Bolt's own listener, straight on the server (see HttpApp.direct), as Bolt's own server runs it,
        // except that what it doesn't serve (the install pages in token mode) goes on to express, not to a 404.
        const serve: DirectListener = (req, res, next) => {
          try {
            receiver.requestListener(req, res);
          } catch (error) {
            if ((error as { code?: string }).code === ErrorCode.HTTPReceiverDeferredRequestError) next();
            else HTTPModuleFunctions.defaultDispatchErrorHandler({ error: error as Error, logger: clientOptions.logger, request: req, response: res });
          }
        };
        for (const path of ROUTES) http.direct(path, serve);
        app = new App({ ...common, receiver });
        logger.info(`Slack: HTTP on /slack/events, ${slack.mode === 'oauth' ? 'OAuth install at /slack/install' : 'one workspace'}`);
      }
      commands.register(app, router);
      views.register(app, router);
      actions.register(app, router);
      shortcuts.register(app, router);
      events.register(app, router);
      app.error(async (error) => {
        logger.error({ err: error }, 'slack listener failed');
      });
      if (slack.appToken) await app.start();
    },
    async close() {
      if (slack.appToken) await app?.stop();
    },
  };
}
