import type { App } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { appHomeOpened } from './app-home-opened';
import { directMessage } from './direct-message';
import { userChange } from './user-change';

export function register(app: App, router: Router): void {
  app.event('user_change', userChange(router));
  app.event('app_home_opened', appHomeOpened(router));
  app.event('message', directMessage(router));
}
