import type { App } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { buttonClick } from './button-click';

export function register(app: App, router: Router): void {
  app.action({ type: 'block_actions' }, buttonClick(router));
}
