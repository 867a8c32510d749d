import type { Effect } from '../../chat/effects';
import { Invalid } from '../../chat/errors';
import { withinLimit } from '../../chat/input';
import { type Interaction, type Platform, type UserRef, withoutMentions } from '../../chat/interaction';
import type { Clock, NotificationTarget } from '../../chat/ports';
import type { Feature, HandlerContext } from '../../chat/feature';
import type { Person } from '../../db/database';
import type { SendRecorded } from '../../notify/deliver-notifications.job';
import type { OutgoingNotification } from '../../chat/ports';
import { authorize, can, wholeOrg } from '../people/authorization';
import { type MessagePart, messageText, parseKudosText } from './kudos.parser';
import { MAX_MESSAGE_LENGTH, allowanceMonth, allowancePeriod, checkMessage, checkPoints, chooseValue, overAllowance } from './kudos.rules';
import type { RecognitionQueries } from './recognition.queries';
import {
  HOW_TO_CHOOSE_CHANNEL,
  type KudosView,
  KUDOS_FORM,
  NO_CHANNEL,
  OPEN_KUDOS_FORM,
  type ShownTo,
  confirmationMessage,
  giveKudosButton,
  homeSection,
  kudosForm,
  recipientMessage,
  recognitionChannelShown,
  recognitionMessage,
  unreachedMessage,
} from './recognition.views';

const textReply = (summary: string, text: string): Effect => ({ type: 'reply', message: { summary, blocks: [{ type: 'section', text }] } });

export interface RecognitionDeps {
  queries: RecognitionQueries;
  clock: Clock;
  /** A kudos' post and DMs are recorded already claimed, and sent from this process. */
  sendRecorded: SendRecorded;
  /** People one kudos may name (KUDOS_MAX_RECIPIENTS). */
  maxRecipients: number;
}

interface KudosInput {
  recipients: UserRef[];
  points: number[];
  headerTags: string[];
  bodyTags: string[];
  message: MessagePart[];
}

const EXAMPLE = '{typed:kudos @name 20 #teamwork thanks for carrying the launch demo}';

function checkRecipients(actor: Person, people: Person[]): void {
  if (people.some((p) => p.id === actor.id)) {
    throw new Invalid(
      people.length > 1
        ? "You can't give kudos to yourself. Leave yourself out and send it to the others."
        : "You can't give kudos to yourself, but thanks for all you do! Recognise a teammate instead.",
      'recipients',
    );
  }
  const bot = people.find((p) => p.is_bot);
  if (bot) throw new Invalid(`${bot.display_name} is a bot. Kudos are for people.`, 'recipients');
  const gone = people.find((p) => !p.active);
  if (gone) throw new Invalid(`${gone.display_name} is no longer active here.`, 'recipients');
}

export function recognitionFeature(deps: RecognitionDeps): Feature {
  const { queries, clock, sendRecorded } = deps;

  async function pointsLeft(ctx: HandlerContext): Promise<{ period: string; left: number }> {
    const period = allowancePeriod(clock.now(), ctx.actor.timezone);
    const spent = await queries.pointsSpent(ctx.org.id, ctx.actor.id, period);
    return { period, left: Math.max(ctx.org.kudos_monthly_allowance - spent, 0) };
  }

  async function openForm(ctx: HandlerContext): Promise<Effect[]> {
    const { left } = await pointsLeft(ctx);
    return [{ type: 'open_form', form: kudosForm(ctx.org.company_values, left, ctx.org.kudos_monthly_allowance) }];
  }

  /** Where everyone sees it: the conversation it was given in, or the org's channel when that was a DM. */
  function publicTarget(interaction: Interaction, ctx: HandlerContext): NotificationTarget | undefined {
    const { origin } = interaction;
    if (!origin.isDirect) {
      return { kind: 'conversation', workspaceId: origin.workspaceId, conversationId: origin.conversationId };
    }
    const channel = origin.platform === 'slack' ? ctx.org.slack_recognition_channel : ctx.org.teams_recognition_channel;
    return channel ? { kind: 'conversation', workspaceId: origin.workspaceId, conversationId: channel } : undefined;
  }

  /** What the giver's confirmation says about who sees the kudos. */
  function shownTo(interaction: Interaction, ctx: HandlerContext, posted: boolean): ShownTo {
    const { platform, isDirect } = interaction.origin;
    if (!isDirect) return { in: 'conversation' };
    if (posted) return { in: 'recognition_channel', channel: recognitionChannelShown(ctx.org, platform)! };
    return can(ctx.actor, 'org.settings', wholeOrg(ctx.org.id)) ? { in: 'nowhere', choose: HOW_TO_CHOOSE_CHANNEL[platform] } : { in: 'nowhere' };
  }

  async function give(interaction: Interaction, ctx: HandlerContext, input: KudosInput): Promise<Effect[]> {
    if (input.recipients.length === 0) {
      const { origin } = interaction;
      // Teams offers no @mentions in a person's chat with the bot: there, the form picks people.
      if (origin.platform === 'teams' && origin.isDirect && interaction.kind === 'command') {
        throw new Invalid(
          "Teams can't @mention people in our chat. Type {typed:kudos} on its own to pick them in a form, or @mention them in a chat or channel I'm added to.",
          'recipients',
        );
      }
      throw new Invalid(`Mention at least one person to recognise, like ${EXAMPLE}.`, 'recipients');
    }
    // Checked before anyone is looked up or anything written.
    if (new Set(input.recipients.map((r) => r.id)).size > deps.maxRecipients) {
      throw new Invalid(`One kudos can name up to ${deps.maxRecipients} people. Split them into a few kudos.`, 'recipients');
    }
    // The message without the names it mentions, which are looked up below: too long already is refused first.
    withinLimit(messageText(input.message, () => '').trim(), MAX_MESSAGE_LENGTH, { field: 'message' });
    const allowance = ctx.org.kudos_monthly_allowance;
    // What is left is checked under the allowance lock when recording.
    const pointsEach = checkPoints(input.points, input.recipients.length, Number.POSITIVE_INFINITY, allowance);
    const recipients = await ctx.resolvePeople(input.recipients);
    checkRecipients(ctx.actor, recipients);
    const value = chooseValue(input.headerTags, input.bodyTags, ctx.org.company_values);
    const names = new Map(input.recipients.map((ref, i) => [ref.id, recipients[i]!.display_name]));
    const message = checkMessage(messageText(input.message, (ref) => names.get(ref.id)!));
    const period = allowancePeriod(clock.now(), ctx.actor.timezone);

    const view: KudosView = {
      giverId: ctx.actor.id,
      recipients: recipients.map((p) => ({ id: p.id, name: p.display_name })),
      pointsEach,
      value,
      message,
    };
    const { origin } = interaction;
    const target = publicTarget(interaction, ctx);
    // Someone a DM can't reach (in Teams, the app isn't added for them yet): the giver is told, once.
    const toGiver: NotificationTarget = { kind: 'person', workspaceId: origin.workspaceId, personId: ctx.actor.id, platformUserId: interaction.actor.id };
    // The DMs go out before the post: the post is what the giver waits to see, and what is sent after
    // it still keeps this process busy when their next command comes in.
    const notificationsFor = (kudosId: string): OutgoingNotification[] => [
      ...recipients.map((person, i) => ({
        dedupeKey: `kudos:${kudosId}:dm:${person.id}`,
        platform: origin.platform,
        target: { kind: 'person' as const, workspaceId: origin.workspaceId, personId: person.id, platformUserId: input.recipients[i]!.id },
        message: recipientMessage(view),
        ifUndeliverable: {
          dedupeKey: `kudos:${kudosId}:unreached:${person.id}`,
          platform: origin.platform,
          target: toGiver,
          message: unreachedMessage(person.id, origin.platform),
        },
      })),
      ...(target ? [{ dedupeKey: `kudos:${kudosId}:post`, platform: origin.platform, target, message: recognitionMessage(view) }] : []),
    ];

    const result = await queries.record(
      {
        orgId: ctx.org.id,
        giverId: ctx.actor.id,
        recipientIds: recipients.map((p) => p.id),
        pointsEach,
        companyValue: value,
        message,
        platform: origin.platform,
        period,
        allowance,
        idempotencyKey: `kudos:${origin.platform}:${interaction.idempotencyKey}`,
      },
      notificationsFor,
    );
    if (result.status === 'over_allowance') throw overAllowance(pointsEach, recipients.length, result.pointsLeft, allowance);
    await sendRecorded(ctx.org.id, result.notifications, ctx.peopleShown());

    const balance = { left: result.pointsLeft, allowance };
    return [{ type: 'done', message: confirmationMessage(view, balance, shownTo(interaction, ctx, target !== undefined)) }];
  }

  /**
   * `kudos channel …` (HR admins): where kudos given in private are shown to everyone. Slack names the
   * channel (`/kudos channel #recognition`); a Teams message can't, so there it is typed in the
   * channel itself (`kudos channel here`). `kudos channel off` keeps them private again.
   */
  async function setChannel(interaction: Extract<Interaction, { kind: 'command' }>, ctx: HandlerContext): Promise<Effect[]> {
    authorize(ctx.actor, 'org.settings', wholeOrg(ctx.org.id));
    const word = withoutMentions(interaction.text).split(' ')[1]?.toLowerCase() ?? '';
    if (word === 'off' || word === 'none') return clearChannel(interaction.origin.platform, ctx);
    if (interaction.origin.platform === 'teams') return setTeamsChannel(interaction, ctx, word);
    const [channel] = interaction.channels ?? [];
    if (!channel) throw new Invalid('Name the channel, like {typed:kudos channel #recognition}.');
    await queries.setRecognitionChannel(ctx.org.id, channel.id);
    return [
      {
        type: 'reply',
        message: {
          summary: 'Recognition channel set',
          blocks: [{ type: 'section', text: `Kudos given in direct messages will be posted in #${channel.name}.` }],
        },
      },
    ];
  }

  /** `kudos channel here`, typed in a Teams channel (the bot @mentioned): that channel, by the name Teams gives it now. */
  async function setTeamsChannel(interaction: Extract<Interaction, { kind: 'command' }>, ctx: HandlerContext, word: string): Promise<Effect[]> {
    const { channelId } = interaction.origin;
    if (!channelId || (word !== '' && word !== 'here')) {
      const now = recognitionChannelShown(ctx.org, 'teams');
      const current = now ? `It is ${now} now.` : 'None is set now, so kudos given in a 1:1 chat with me stay between the giver and the people they recognise.';
      throw new Invalid(`To choose the recognition channel, ${HOW_TO_CHOOSE_CHANNEL.teams} (${NO_CHANNEL} sets none). ${current}`);
    }
    const name = await ctx.channelName(channelId);
    await queries.setTeamsRecognitionChannel(ctx.org.id, { id: channelId, name });
    const where = name ? `**${name}**` : 'the channel you chose it in';
    return [textReply('Recognition channel set', `✅ Kudos given in a 1:1 chat with me will be posted in ${where}, for everyone there to see.`)];
  }

  async function clearChannel(platform: Platform, ctx: HandlerContext): Promise<Effect[]> {
    if (platform === 'teams') await queries.setTeamsRecognitionChannel(ctx.org.id, null);
    else await queries.setRecognitionChannel(ctx.org.id, null);
    return [textReply('No recognition channel', '✅ No recognition channel now: kudos given in private stay between the giver and the people they recognise.')];
  }

  /** This month in the person's own calendar: what they can still give, and the kudos they got and gave. */
  async function home(ctx: HandlerContext) {
    const { from, to } = allowanceMonth(clock.now(), ctx.actor.timezone);
    const [{ left }, kudos] = await Promise.all([pointsLeft(ctx), queries.kudosBetween(ctx.org.id, ctx.actor.id, from, to)]);
    return homeSection({ balance: { left, allowance: ctx.org.kudos_monthly_allowance }, ...kudos });
  }

  return {
    name: 'recognition',
    help: [
      `${EXAMPLE} recognise teammates (or just {typed:kudos} for a form)`,
      { only: 'slack', text: '{typed:kudos channel #recognition} where kudos given in private are posted (HR admins)' },
      { only: 'teams', text: '{typed:kudos channel here}, typed in a channel: post kudos given in private there (HR admins)' },
    ],
    home,
    tryThis: { text: `**Thank a teammate** with kudos and points: ${EXAMPLE}`, button: giveKudosButton },
    commands: {
      async kudos(interaction, ctx) {
        if (interaction.text.trim() === '') return openForm(ctx);
        if (/^channel\b/i.test(interaction.text.trim())) return setChannel(interaction, ctx);
        return give(interaction, ctx, parseKudosText(interaction.text, interaction.mentions));
      },
    },
    forms: {
      async [KUDOS_FORM](interaction, ctx) {
        const { values } = interaction;
        const ids = Array.isArray(values.recipients) ? values.recipients : values.recipients ? [values.recipients] : [];
        const rawPoints = typeof values.points === 'string' ? values.points.trim() : '';
        if (rawPoints !== '' && !/^\d+$/.test(rawPoints)) {
          throw new Invalid('Points must be a whole number, like 20.', 'points');
        }
        const value = typeof values.value === 'string' && values.value !== '' ? values.value : undefined;
        return give(interaction, ctx, {
          recipients: ids.map((id) => ({ platform: interaction.origin.platform, id })),
          points: rawPoints === '' ? [] : [Number(rawPoints)],
          headerTags: value ? [value] : [],
          bodyTags: [],
          message: [typeof values.message === 'string' ? values.message : ''],
        });
      },
    },
    actions: {
      [OPEN_KUDOS_FORM]: (_interaction, ctx) => openForm(ctx),
    },
  };
}
