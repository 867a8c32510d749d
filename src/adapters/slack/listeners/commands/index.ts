import type { App } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { slashCommand } from './slash-command';

export function register(app: App, router: Router): void {
  app.command(/.*/, slashCommand(router));
}
