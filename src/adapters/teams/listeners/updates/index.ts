import type { TeamsBot } from '../../bot';
import { personalInstall } from './personal-install';

export function register(bot: TeamsBot): void {
  bot.onUpdate(personalInstall);
}
