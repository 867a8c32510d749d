import type { App } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { globalShortcut } from './global-shortcut';

export function register(app: App, router: Router): void {
  app.shortcut({ type: 'shortcut' }, globalShortcut(router));
}
