import type { ActivityListener } from '../../bot';
import { installInteraction, isInstall } from '../../interactions';
import { answerMessage, answering } from '../../outcomes';

/** The app was installed: features that care answer, privately to the person who installed it. */
export const installed: ActivityListener = {
  matches: isInstall,
  async handle(context, kit) {
    await answerMessage(await kit.router.dispatch(installInteraction(context.activity), kit.directory), answering(context, kit, false));
  },
};
