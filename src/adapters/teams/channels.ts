import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from '../../logger';

/** What Teams calls a team's first channel, which the channel list leaves unnamed. */
const GENERAL = 'General';

/**
 * A channel of the turn's team by the name people know it: "Contoso › Recognition". Two calls to
 * the team (its channels, its details), made only when a feature asks; undefined when Teams won't say.
 */
export async function channelName(context: TurnContext, channelId: string, logger: Logger): Promise<string | undefined> {
  try {
    const [channels, team] = await Promise.all([TeamsInfo.getTeamChannels(context), TeamsInfo.getTeamDetails(context).catch(() => undefined)]);
    const channel = channels.find((c) => c.id === channelId);
    if (!channel) return undefined;
    const name = channel.name || GENERAL;
    return team?.name ? `${team.name} › ${name}` : name;
  } catch (error) {
    logger.info({ err: error, channelId }, 'Teams: could not read the name of the channel');
    return undefined;
  }
}
