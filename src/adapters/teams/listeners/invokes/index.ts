import type { TeamsBot } from '../../bot';
import { cardAction } from './card-action';
import { search } from './search';
import { taskFetch } from './task-fetch';
import { taskSubmit } from './task-submit';

export function register(bot: TeamsBot): void {
  bot.onInvoke('task/fetch', taskFetch);
  bot.onInvoke('task/submit', taskSubmit);
  bot.onInvoke('adaptiveCard/action', cardAction);
  bot.onInvoke('application/search', search);
}
