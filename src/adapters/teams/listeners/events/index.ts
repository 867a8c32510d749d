import type { TeamsBot } from '../../bot';
import { installed } from './installed';

export function register(bot: TeamsBot): void {
  bot.onEvent(installed);
}
