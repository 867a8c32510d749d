import type { Effect } from '../../chat/effects';
import { Invalid, NotFound } from '../../chat/errors';
import { boundedText, singleValue, withinLimit } from '../../chat/input';
import { type Interaction, withoutMentions } from '../../chat/interaction';
import type { Feature, HandlerContext } from '../../chat/feature';
import { textMessage } from '../../chat/ui';
import type { Person } from '../../db/database';
import type { SendRecorded } from '../../notify/deliver-notifications.job';
import { authorizeOn } from '../people/authorization';
import type { FeedbackQueries } from './feedback.queries';
import {
  GIVE,
  GIVE_FORM,
  HOME_REQUESTS,
  MAX_FEEDBACK,
  MAX_TOPIC,
  OPEN_FORM,
  THANKS,
  feedbackForm,
  feedbackMessage,
  giveFeedbackButton,
  homeSection,
  requestMessage,
  thankedMessage,
  thanksNotice,
} from './feedback.views';

export interface FeedbackDeps {
  queries: FeedbackQueries;
  /** Feedback, its thanks and requests are recorded already claimed, and sent from this process. */
  sendRecorded: SendRecorded;
}

const requestGone = () => new NotFound("I couldn't find that request any more.");

function checkPerson(actor: Person, person: Person, field: string): void {
  if (person.id === actor.id) throw new Invalid('Feedback is for someone else. For yourself, try a self-reflection in {typed:checkin}.', field);
  if (person.is_bot) throw new Invalid(`${person.display_name} is a bot.`, field);
  if (!person.active) throw new Invalid(`${person.display_name} is no longer active here.`, field);
}

/** Private, continuous feedback: given any time, asked for any time, never shown in a channel. */
export function feedbackFeature({ queries, sendRecorded }: FeedbackDeps): Feature {
  async function requestFeedback(interaction: Extract<Interaction, { kind: 'command' }>, ctx: HandlerContext): Promise<Effect[]> {
    const refs = interaction.mentions;
    if (refs.length === 0) throw new Invalid('Mention who you would like feedback from, like {typed:feedback request @name @other about the launch demo}.');
    const topic = withoutMentions(interaction.text)
      .replace(/^request\s*/i, '')
      .replace(/^about\s+/i, '')
      .trim();
    if (!topic) throw new Invalid('Say what the feedback is about, like `… about the launch demo`.');
    withinLimit(topic, MAX_TOPIC, { what: 'the topic' });
    const people = await ctx.resolvePeople(refs);
    for (const person of people) checkPerson(ctx.actor, person, 'recipient');
    const { origin } = interaction;
    const recorded = await queries.request(
      {
        orgId: ctx.org.id,
        requesterId: ctx.actor.id,
        recipientIds: people.map((p) => p.id),
        topic,
        idempotencyKey: `request:${origin.platform}:${interaction.idempotencyKey}`,
        platform: origin.platform,
      },
      (requestId) =>
        people.map((person) => ({
          dedupeKey: `feedback-request:${requestId}:${person.id}`,
          platform: origin.platform,
          target: { kind: 'person', workspaceId: origin.workspaceId, personId: person.id },
          message: requestMessage({ fromId: ctx.actor.id, topic, requestId }),
        })),
    );
    await sendRecorded(ctx.org.id, recorded);
    return [{ type: 'reply', message: textMessage(`Asked ${people.map((p) => p.display_name).join(', ')} for feedback about: ${topic}`) }];
  }

  return {
    name: 'feedback',
    help: ['{typed:feedback @name} give private feedback · {typed:feedback request @name @other about the launch} ask for it'],
    home: async (ctx) => homeSection(await queries.waitingFor(ctx.org.id, ctx.actor.id, HOME_REQUESTS)),
    tryThis: { text: '**Tell someone privately** what went well, or what to try: {typed:feedback @name}', button: giveFeedbackButton },
    commands: {
      async feedback(interaction, ctx) {
        if (/^request\b/i.test(interaction.text.trim())) return requestFeedback(interaction, ctx);
        const [ref] = interaction.mentions;
        if (ref) await ctx.resolvePeople([ref]).then(([person]) => checkPerson(ctx.actor, person!, 'recipient'));
        const rest = withoutMentions(interaction.text);
        return [{ type: 'open_form', form: feedbackForm({ recipient: ref?.id, text: rest || undefined }) }];
      },
    },
    actions: {
      [OPEN_FORM]: async () => [{ type: 'open_form', form: feedbackForm({}) }],

      async [GIVE](interaction, ctx) {
        const request = interaction.value ? await queries.requestById(ctx.org.id, interaction.value) : undefined;
        if (!request) throw requestGone();
        const recipient = await queries.platformId(ctx.org.id, interaction.origin.platform, request.requester_id);
        return [{ type: 'open_form', form: feedbackForm({ recipient, requestId: request.id, topic: request.topic }) }];
      },

      async [THANKS](interaction, ctx) {
        const feedback = interaction.value ? await queries.feedback(ctx.org.id, interaction.value) : undefined;
        if (!feedback) throw new NotFound("I couldn't find that feedback any more.");
        await authorizeOn(ctx, 'feedback.thank', { id: feedback.recipient_id, org_id: feedback.org_id });
        const recorded = await queries.thank(ctx.org.id, feedback.id, {
          dedupeKey: `feedback-thanks:${feedback.id}`,
          platform: interaction.origin.platform,
          target: { kind: 'person', workspaceId: interaction.origin.workspaceId, personId: feedback.giver_id },
          message: thanksNotice(ctx.actor.id),
        });
        await sendRecorded(ctx.org.id, recorded);
        return [{ type: 'update_source', message: thankedMessage(feedback.giver_name) }];
      },
    },
    forms: {
      async [GIVE_FORM](interaction, ctx) {
        const recipientId = singleValue(interaction.values.recipient);
        if (!recipientId) throw new Invalid('Choose who the feedback is for.', 'recipient');
        const body = boundedText(interaction.values.text, MAX_FEEDBACK, 'text');
        if (!body) throw new Invalid('Write your feedback first.', 'text');
        const [recipient] = await ctx.resolvePeople([{ platform: interaction.origin.platform, id: recipientId }]);
        checkPerson(ctx.actor, recipient!, 'recipient');
        await authorizeOn(ctx, 'feedback.give', recipient!);
        const kind = interaction.values.kind === 'suggestion' ? 'suggestion' : 'praise';
        const { requestId } = interaction.state;
        const request = requestId ? await queries.requestById(ctx.org.id, requestId) : undefined;
        if (requestId && !request) throw requestGone();
        const { origin } = interaction;
        const recorded = await queries.give(
          {
            orgId: ctx.org.id,
            giverId: ctx.actor.id,
            recipientId: recipient!.id,
            kind,
            text: body,
            requestId: request?.id ?? null,
            idempotencyKey: `feedback:${origin.platform}:${interaction.idempotencyKey}`,
          },
          (feedbackId) => ({
            dedupeKey: `feedback:${feedbackId}`,
            platform: origin.platform,
            target: { kind: 'person', workspaceId: origin.workspaceId, personId: recipient!.id },
            message: feedbackMessage({ fromId: ctx.actor.id, kind, text: body, feedbackId, topic: request?.topic }),
          }),
        );
        await sendRecorded(ctx.org.id, recorded);
        return [{ type: 'done', message: textMessage(`Sent privately to ${recipient!.display_name}. Thank you for taking the time.`) }];
      },
    },
  };
}
