import { fetchSentFile } from '../../../download';
import type { ActivityListener } from '../../bot';
import { attachedFile, commandOf } from '../../interactions';
import { answerMessage, answering } from '../../outcomes';
import { messageActivity } from '../../replies';

/**
 * `kudos <at>Ana</at> 20 thanks`: the first word names the command; anything else gets the help.
 * A file sent with the message (in the 1:1 chat) is fetched for the command it was sent with.
 */
export const textCommand: ActivityListener = {
  matches: () => true,
  async handle(context, kit) {
    const interaction = commandOf(context.activity, kit.router.commandNames);
    if (!interaction) {
      await kit.replies.privately(messageActivity(kit.router.help('teams')));
      return;
    }
    const file = attachedFile(context.activity);
    if (file) interaction.file = await fetchSentFile(file.name, file.downloadUrl, {}, (err) => kit.logger.warn({ err }, 'Teams: could not fetch a file'));
    await answerMessage(await kit.router.dispatch(interaction, kit.directory), answering(context, kit, false));
  },
};
