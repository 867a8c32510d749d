import type { ActivityListener } from '../../bot';
import { commandOf } from '../../interactions';
import { answerMessage, answering } from '../../outcomes';
import { messageActivity } from '../../replies';

/** `kudos <at>Ana</at> 20 thanks`: the first word names the command; anything else gets the help. */
export const textCommand: ActivityListener = {
  matches: () => true,
  async handle(context, kit) {
    const interaction = commandOf(context.activity, kit.router.commandNames);
    if (!interaction) {
      await kit.replies.privately(messageActivity(kit.router.help()));
      return;
    }
    await answerMessage(await kit.router.dispatch(interaction, kit.directory), answering(context, kit, false));
  },
};
