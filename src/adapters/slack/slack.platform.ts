import { App, ErrorCode, HTTPModuleFunctions, HTTPReceiver, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { Undeliverable } from '../../chat/ports';
import type { DirectListener } from '../../http/server';
import type { Logger } from '../../logger';
import type { PlatformAdapter, PlatformDeps } from '../platform';
import * as actions from './listeners/actions';
import * as commands from './listeners/commands';
import * as events from './listeners/events';
import * as options from './listeners/options';
import * as shortcuts from './listeners/shortcuts';
import * as views from './listeners/views';
import { postgresInstallationStore, type RefreshedToken } from './installations.queries';
import { slackSender, webClientOptions } from './sender';
import { tokenCipher } from './token-cipher';

/** The bot scopes the app asks for on install; manifests/slack.yaml and README ("Slack scopes", what uses each) list the same. */
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
  // A review's export (PDF and Markdown) is uploaded to the asker's DM.
  'files:write',
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

/**
 * With one bot token the operator installed the app by hand and owns its data: an uninstall is
 * logged, for them to act on, and nothing is deleted (nor could the token be: it is configuration).
 */
function tokenModeRemovals(logger: Logger): events.Removals {
  return {
    async uninstalled(workspace) {
      logger.warn({ workspace }, 'Slack: the app was uninstalled or its bot token revoked; SLACK_BOT_TOKEN no longer works');
    },
    async userTokensRevoked() {},
  };
}

/**
 * Slack over HTTP (POST /slack/events) or Socket Mode, with one bot token or OAuth installs. With
 * OAuth, the installs' tokens are sealed at rest; those stored before (in clear, or under a key
 * since rotated out) are sealed again with the first key here, before anything reads them.
 */
export async function createSlackPlatform({ config, db, logger, clock, pacer }: PlatformDeps): Promise<PlatformAdapter | { why: string }> {
  const slack = config.slack;
  if (slack.mode === 'off') return { why: slack.why };
  const clientOptions = { ...webClientOptions(slack.apiUrl, pacer), logger: boltLogger(logger) };
  const tokenClient = slack.mode === 'token' ? new WebClient(slack.botToken, clientOptions) : undefined;
  const installations =
    slack.mode === 'oauth'
      ? postgresInstallationStore(db, {
          cipher: tokenCipher(slack.tokenKeys),
          clock,
          refresh: (refreshToken) =>
            new WebClient(undefined, clientOptions).oauth.v2.access({
              client_id: slack.clientId!,
              client_secret: slack.clientSecret!,
              grant_type: 'refresh_token',
              refresh_token: refreshToken,
            }) as Promise<RefreshedToken>,
        })
      : undefined;
  await installations?.sealAll();

  // One Web API client per workspace, made again when its token changes (rotation): a 429 pauses every message to that workspace (see callWithJson).
  const clients = new Map<string, WebClient>();
  const sender = slackSender(
    async (workspaceId) => {
      if (tokenClient) return tokenClient;
      const token = await installations!.botTokenFor(workspaceId);
      if (!token) throw new Undeliverable('Slack: the app is not installed in this workspace (any more)', { code: 'not_installed' });
      if (clients.get(workspaceId)?.token !== token) clients.set(workspaceId, new WebClient(token, clientOptions));
      return clients.get(workspaceId)!;
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
          installationStore: installations!,
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
          bodyLimit: http.bodyLimitBytes,
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
      options.register(app, router);
      shortcuts.register(app, router);
      events.register(app, router, installations ?? tokenModeRemovals(logger));
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
