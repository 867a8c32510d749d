import { homeRequestOf } from '../../interactions';
import { answeredLikeMessages } from '../../outcomes';

/** `home` typed to the bot: the person's home, as a card only they see (from a channel, in their 1:1 chat). */
export const homeRequest = answeredLikeMessages(homeRequestOf);
