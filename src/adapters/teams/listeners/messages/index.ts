import type { TeamsBot } from '../../bot';
import { cardSubmit } from './card-submit';
import { homeRequest } from './home-request';
import { textCommand } from './text-command';

export function register(bot: TeamsBot): void {
  bot.onMessage(cardSubmit);
  bot.onMessage(homeRequest);
  bot.onMessage(textCommand);
}
