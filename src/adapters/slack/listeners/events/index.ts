import type { App } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { userChange } from './user-change';

export function register(app: App, router: Router): void {
  app.event('user_change', userChange(router));
}
