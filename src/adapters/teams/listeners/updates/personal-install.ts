import { installedOf } from '../../interactions';
import { answeredLikeMessages } from '../../outcomes';

/** The app installed in someone's personal scope: they get the welcome (once, however often Teams says so). */
export const personalInstall = answeredLikeMessages(installedOf);
