import type { App } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { appUninstalled, type Removals } from './app-uninstalled';
import { appHomeOpened } from './app-home-opened';
import { directMessage } from './direct-message';
import { tokensRevoked } from './tokens-revoked';
import { userChange } from './user-change';

export type { Removals };

export function register(app: App, router: Router, removals: Removals): void {
  app.event('user_change', userChange(router));
  app.event('app_home_opened', appHomeOpened(router));
  app.event('message', directMessage(router));
  app.event('app_uninstalled', appUninstalled(removals));
  app.event('tokens_revoked', tokensRevoked(removals));
}
