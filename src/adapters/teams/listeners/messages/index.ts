import type { TeamsBot } from '../../bot';
import { cardSubmit } from './card-submit';
import { textCommand } from './text-command';

export function register(bot: TeamsBot): void {
  bot.onMessage(cardSubmit);
  bot.onMessage(textCommand);
}
