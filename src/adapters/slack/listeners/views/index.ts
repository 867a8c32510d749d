import type { App } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { viewClosed } from './view-closed';
import { viewSubmission } from './view-submission';

export function register(app: App, router: Router): void {
  app.view({ type: 'view_submission', callback_id: /.*/ }, viewSubmission(router));
  app.view({ type: 'view_closed', callback_id: /.*/ }, viewClosed(router));
}
